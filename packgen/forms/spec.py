"""The pledge form's fields, as the writers will render them: composed from the sources once.

`packgen forms` and `packgen register` both need the exact list of fields the form has (ids, labels,
types, the commitment tick boxes the template adds from the charter). Composing the document with
the same templates the build uses is the only way to get the list the writers actually draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from packgen.compose import compose
from packgen.errors import SourceError
from packgen.model import Document, FormBlock, FormField, walk
from packgen.sources.loader import load_pack
from packgen.templating import Renderer
from packgen.theme import Theme, load_theme

FORM_ID = "pledge-form"
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
    def typed_name(self) -> FormField | None:
        """The field whose typed value is the declaration of a signer who does not sign digitally:
        the first text field in the same group (FormBlock) as the signature field."""
        for block in self.blocks:
            if any(f.type == "signature" for f in block.fields):
                for f in block.fields:
                    if f.type == "text":
                        return f
        return None


def load_spec(sources: Path, templates: Path, variant: str = "standard") -> tuple[FormSpec, Theme]:
    """Compose the pledge form for a variant; return its fields and the theme the writers need."""
    pack = load_pack(sources)
    theme = load_theme(templates)
    renderer = Renderer(pack, templates)
    if FORM_ID not in pack.documents:
        raise SourceError(f"the pack has no '{FORM_ID}' document", Path(sources) / "pack.yaml")
    document = compose(pack, renderer, FORM_ID, variant)
    return spec_of(document), theme


def spec_of(document: Document) -> FormSpec:
    blocks = tuple(b for b in walk(document.blocks) if isinstance(b, FormBlock))
    fields = tuple(f for b in blocks for f in b.fields)
    if not fields:
        raise SourceError(f"the '{FORM_ID}' document has no form fields (its template calls form(...))")
    return FormSpec(document=document, fields=fields, blocks=blocks)
