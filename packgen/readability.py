"""The easy-read gate: short sentences and plain words, measured on what easy-read readers read.

Measured on the text of each easy-read document's points (never on picture descriptions, which a
reader does not read as text, nor on contact details, whose e-mail addresses and numbers are not
prose). A sentence over the limit is a warning naming the source file and line it came from, so
the editor can rewrite it; `packgen build --strict` turns warnings into errors.
"""

from __future__ import annotations

import importlib.resources
import re
import sys
import types
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from packgen import cache as disk_cache
from packgen.model import Document, Paragraph, PictureRow, walk

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@dataclass(frozen=True)
class Readability:
    document: str
    sentences: int
    longest: tuple[str, ...]  # the longest sentences, longest first
    longest_words: int
    share_short: float  # share of sentences with at most `limit` words, 0..1
    reading_ease: float


@dataclass(frozen=True)
class ReadabilityWarning:
    message: str
    path: Path | None
    line: int | None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.path and self.line else f"{self.path}: " if self.path else ""
        return f"{where}{self.message}"


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if _WORD.search(s)]


def word_count(sentence: str) -> int:
    return len(_WORD.findall(sentence))


def point_texts(document: Document, skip: tuple[str, ...] = ()) -> list[str]:
    """The words of each easy-read point, leaving out points that carry any of `skip` (contact details)."""
    texts = []
    for block in walk(document.blocks):
        if isinstance(block, PictureRow):
            text = " ".join(p.text for p in block.children if isinstance(p, Paragraph)).strip()
            if text and not any(s and s in text for s in skip):
                texts.append(text)
    return texts


def _textstat():
    """textstat, imported on first use (only easy-read builds pay for it).

    textstat 0.7.3 imports pkg_resources only to open its word lists, and importing pkg_resources
    scans every installed distribution: 90 ms, a fifth of a one-paragraph rebuild. While textstat is
    imported it is given a stand-in with the one function it calls, opening the same files through
    importlib.resources; pkg_resources itself is left as it was for everyone else.
    """
    if "textstat" in sys.modules or "pkg_resources" in sys.modules:
        import textstat

        return textstat
    stand_in = types.ModuleType("pkg_resources")
    stand_in.resource_stream = lambda package, name: importlib.resources.files(package).joinpath(name).open("rb")
    sys.modules["pkg_resources"] = stand_in
    try:
        import textstat
    finally:
        del sys.modules["pkg_resources"]
    return textstat


@cache
def library_versions() -> bytes:
    """The code that measures (textstat's, and pyphen's, which counts its syllables), naming cached
    figures without importing either. (Their installed metadata says as much, but importing
    importlib.metadata to read it took 15-30 ms of a rebuild.)"""
    return disk_cache.package_code("textstat", "textstat.py") + disk_cache.package_code("pyphen")


def measure(document: Document, limit: int, skip: tuple[str, ...] = ()) -> Readability:
    textstat = _textstat()

    all_sentences = [s for text in point_texts(document, skip) for s in sentences(_end(text))]
    counts = [word_count(s) for s in all_sentences]
    ordered = sorted(zip(counts, all_sentences, strict=True), key=lambda pair: -pair[0])
    joined = " ".join(all_sentences)
    return Readability(
        document=document.id,
        sentences=len(all_sentences),
        longest=tuple(s for _, s in ordered[:3]),
        longest_words=ordered[0][0] if ordered else 0,
        share_short=(sum(1 for c in counts if c <= limit) / len(counts)) if counts else 1.0,
        reading_ease=float(textstat.flesch_reading_ease(joined)) if joined else 100.0,
    )


def warnings_for(document: Document, report: Readability, limit: int, minimum_ease: float,
                 locate, skip: tuple[str, ...] = ()) -> list[ReadabilityWarning]:
    """Warnings for sentences over the limit (at their source line) and a reading ease under target."""
    found: list[ReadabilityWarning] = []
    for text in point_texts(document, skip):
        for sentence in sentences(_end(text)):
            n = word_count(sentence)
            if n > limit:
                path, line = locate(sentence)
                found.append(ReadabilityWarning(f"easy-read sentence of {n} words (keep to {limit} or fewer): "
                                      f"\"{_short(sentence)}\"", path, line))
    if report.sentences and report.reading_ease < minimum_ease:
        found.append(ReadabilityWarning(
            f"easy-read {document.id}: Flesch reading ease {report.reading_ease:.0f} is under {minimum_ease:.0f}: "
            "use shorter sentences and everyday words", None, None))
    return found


def _end(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", ":")) else text + "."


def _short(sentence: str, width: int = 70) -> str:
    return sentence if len(sentence) <= width else sentence[: width - 1].rstrip() + "…"
