"""build/manifest.json: every output, with what a website or a script needs to know about it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

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


def render(meta: PackMeta, outputs: Iterable[Output], order: Sequence[str]) -> bytes:
    """The manifest as bytes: stable key order, and outputs in the pack's document order (then the
    pack's own files), so two builds compare equal."""
    def rank(output: Output) -> tuple:
        position = order.index(output.document) if output.document in order else len(order)
        return (position, output.document, output.variant, output.format)

    data = {
        "pack": {"title": meta.title, "version": meta.version, "status": meta.status,
                 "language": meta.language},
        "outputs": [o.to_json() for o in sorted(outputs, key=rank)],
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
