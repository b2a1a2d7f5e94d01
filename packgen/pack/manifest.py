"""build/manifest.json: every output, with what a website or a script needs to know about it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from packgen.sources.names import DOCUMENT_IDS
from packgen.sources.schema import PackMeta

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Output:
    document: str
    variant: str
    format: str
    path: str  # relative to build/, with forward slashes
    bytes: int
    sha256: str
    pages: int | None = None

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Output:
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__})  # type: ignore[arg-type]


def _order(output: Output) -> tuple:
    doc_rank = DOCUMENT_IDS.index(output.document) if output.document in DOCUMENT_IDS else len(DOCUMENT_IDS)
    return (doc_rank, output.document, output.variant, output.format)


def render(meta: PackMeta, outputs: Iterable[Output]) -> bytes:
    """The manifest as bytes: stable key order and output order, so two builds compare equal."""
    data = {
        "pack": {"title": meta.title, "version": meta.version, "status": meta.status,
                 "language": meta.language},
        "outputs": [o.to_json() for o in sorted(outputs, key=_order)],
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
