"""The pledge form's fields, as the writers will render them: composed from the sources once.

The form is the pack's document of kind `form` (pack.yaml); a pack with several names one with
`--document`.

`packgen forms` and `packgen register` both need the exact list of fields the form has (ids, labels,
types, the commitment tick boxes the template adds from the charter). Composing the document with
the same templates the build uses is the only way to get the list the writers actually draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from packgen import branding
from packgen.compose import compose
from packgen.errors import SourceError
from packgen.model import Document, FormBlock, FormField, walk
from packgen.sources.loader import Pack, load_pack
from packgen.templating import Renderer
from packgen.theme import Theme

FORM_KIND = "form"
NAME_FIELD = "organisation"


@dataclass(frozen=True)
class FormSpec:
    """The composed pledge form and its fields, in reading order."""

    document: Document
    fields: tuple[FormField, ...]
    blocks: tuple[FormBlock, ...]

    @property
    def by_id(self) -> dict[str, FormField]:
        return {f.id: f for f in self.fields}

    @property
    def name_field(self) -> FormField:
        """The field holding the organisation's name: `organisation`, else the first required text field."""
        for f in self.fields:
            if f.id == NAME_FIELD:
                return f
        for f in self.fields:
            if f.type == "text" and f.required:
                return f
        raise SourceError("the pledge form has no field for the organisation's name (give a field the id "
                          f"'{NAME_FIELD}')")

    @property
    def commitments(self) -> tuple[FormField, ...]:
        return tuple(f for f in self.fields if f.type == "checkbox")

    @property
    def values(self) -> tuple[FormField, ...]:
        """Fields holding words (not tick boxes, not the signature itself)."""
        return tuple(f for f in self.fields if f.type not in ("checkbox", "signature"))

    @property
    def signatures(self) -> tuple[FormField, ...]:
        return tuple(f for f in self.fields if f.type == "signature")

    @property
    def signer_fields(self) -> tuple[FormField, ...]:
        """The fields the person signing completes: every field in a group (FormBlock) that holds the
        signature (their name, role and the date of signing), never known when the forms are made."""
        return tuple(f for b in self.blocks if any(x.type == "signature" for x in b.fields) for f in b.fields)

    @property
    def prefilled_required(self) -> tuple[FormField, ...]:
        """The required fields the partnership fills in before sending the form: a CSV needs a column
        and a value for each."""
        signer = {f.id for f in self.signer_fields}
        return tuple(f for f in self.fields if f.required and f.id not in signer)

    @property
    def typed_name(self) -> FormField | None:
        """The field whose typed value is the declaration of a signer who does not sign digitally:
        the first text field of those the signer completes."""
        return next((f for f in self.signer_fields if f.type == "text"), None)


def load_spec(sources: Path, templates: Path, variant: str = "standard",
              document: str | None = None) -> tuple[FormSpec, Theme]:
    """Compose the pack's form (`document`, or its only one) for a variant; return its fields and the
    theme the writers need."""
    pack = load_pack(sources)
    form_id = form_of(pack, document)
    theme = branding.theme_for(pack, templates)
    renderer = Renderer(pack, templates)
    return spec_of(compose(pack, renderer, form_id, variant, theme)), theme


def form_of(pack: Pack, document: str | None) -> str:
    """The id of the form to use: `document` when it is one of the pack's forms, else the pack's only form."""
    forms = [doc.id for doc in pack.of_kind(FORM_KIND)]
    if document is not None:
        pack.pick((document,))
        if document not in forms:
            raise SourceError(f"the document '{document}' is not a form (its kind is "
                              f"'{pack.documents[document].kind}'; the pack's forms: {', '.join(forms) or 'none'})",
                              pack.pack_file)
        return document
    if not forms:
        raise SourceError(f"the pack has no form: list one under documents: with 'kind: {FORM_KIND}'",
                          pack.pack_file)
    if len(forms) > 1:
        raise SourceError(f"the pack has {len(forms)} forms ({', '.join(forms)}): choose one with --document",
                          pack.pack_file)
    return forms[0]


def spec_of(document: Document) -> FormSpec:
    blocks = tuple(b for b in walk(document.blocks) if isinstance(b, FormBlock))
    fields = tuple(f for b in blocks for f in b.fields)
    if not fields:
        raise SourceError(f"the '{document.id}' document has no form fields (its template calls form(...))")
    return FormSpec(document=document, fields=fields, blocks=blocks)
