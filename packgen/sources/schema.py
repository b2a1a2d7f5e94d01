"""The shape of `sources/`: what keys pack.yaml and each document's front matter may hold.

pydantic checks types and unknown keys; `validate` turns its first complaint into a SourceError with
the line it came from, so an editor sees "pack.yaml:12: unknown key 'titel'" and nothing else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Literal, TypeVar, get_origin, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from packgen.errors import SourceError
from packgen.sources.yamlio import Lines, line_of

FIELD_TYPES = ("text", "multiline", "email", "telephone", "date", "checkbox", "signature")
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Contact(_Strict):
    name: str
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    telephone: str = ""
    address: str = ""
    website: str = ""


class DocumentEntry(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    source: str
    template: str = ""  # default: documents/<id>.md.j2


class PackMeta(_Strict):
    title: str = Field(min_length=1)
    organisation: str = Field(min_length=1)
    short_name: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    version: str = Field(min_length=1)
    status: Literal["draft", "final"]
    date: dt.date
    language: str = Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    contact: Contact
    shared: str = ""  # a Markdown file of passages used by more than one document
    pictures: str = "pictures"  # where organisations put their own pictures
    documents: tuple[DocumentEntry, ...] = Field(min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: object) -> object:
        # "version: 1.0" is a float to YAML; comms staff mean the words "1.0".
        return str(value) if isinstance(value, int | float) else value


class Commitment(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=1)
    easy_read: str = ""
    picture: str = ""
    alt: str = ""


class FieldSpec(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    label: str = Field(min_length=1)
    type: Literal["text", "multiline", "email", "telephone", "date", "checkbox", "signature"]
    help: str = ""
    required: bool = False
    group: str = "details"


class HardWord(_Strict):
    """A word easy-read text puts in bold, explained on the "hard words" page."""

    word: str = Field(min_length=1)
    meaning: str = Field(min_length=1)


class FrontMatter(_Strict):
    title: str = Field(min_length=1)
    subtitle: str = ""
    subject: str = ""
    status: Literal["draft", "final"] = "draft"
    keywords: tuple[str, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    fields: tuple[FieldSpec, ...] = ()
    hard_words: tuple[HardWord, ...] = ()


M = TypeVar("M")


def validate(model: type[M], data: object, lines: Lines, path: Path) -> M:
    """Validate data against a model (a pydantic model or a dataclass, such as the theme's parts);
    report the first problem at its line, in plain words."""
    if not isinstance(data, dict):
        raise SourceError("expected a set of 'key: value' lines", path, lines.get(()))
    try:
        if isinstance(model, type) and issubclass(model, BaseModel):
            return model.model_validate(data)
        return TypeAdapter(model).validate_python(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        line = line_of(lines, loc)
        dotted = ".".join(str(p) for p in loc) or "(top)"
        kind = err["type"]
        if kind in ("extra_forbidden", "unexpected_keyword_argument"):  # a model's word, a dataclass's
            allowed = ", ".join(_allowed_keys(model, loc[:-1]))
            message = f"unknown key '{loc[-1]}' (allowed here: {allowed})"
        elif kind == "missing":
            message = f"missing key '{dotted}'"
        else:
            message = f"{dotted}: {err['msg']}"
        raise SourceError(message, path, line) from None


def _allowed_keys(model: type, loc: tuple) -> list[str]:
    """The keys a model accepts at `loc`, to suggest the right spelling."""
    current = model
    keyed = False  # the part before was a mapping: this part is one of its keys, not a field
    for part in loc:
        if isinstance(part, int) or keyed:
            keyed = False
            continue
        annotation = _fields(current).get(str(part))
        if annotation is None:
            break
        inner = _model_inside(annotation)
        if inner is None:
            break
        keyed = get_origin(annotation) is dict
        current = inner
    return list(_fields(current))


def _fields(model: type) -> dict[str, object]:
    if issubclass(model, BaseModel):
        return {name: field.annotation for name, field in model.model_fields.items()}
    return get_type_hints(model)  # a dataclass: its annotations, resolved


def _model_inside(annotation: object) -> type | None:
    if isinstance(annotation, type) and (issubclass(annotation, BaseModel) or dataclasses.is_dataclass(annotation)):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_inside(arg)
        if found is not None:
            return found
    return None
