"""The easy-read gate: short sentences and plain words, measured on what easy-read readers read.

Measured on the text of each easy-read document's points (never on picture descriptions, which a
reader does not read as text, nor on contact details, whose e-mail addresses and numbers are not
prose). A sentence over the limit is a warning naming the source file and line it came from, so
the editor can rewrite it; `packgen build --strict` turns warnings into errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from packgen import cache as disk_cache
from packgen.model import Document, Paragraph, PictureRow, walk
from packgen.textstat_shim import import_textstat

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


@cache
def library_versions() -> bytes:
    """The code that measures (textstat's, and pyphen's, which counts its syllables), naming cached
    figures without importing either: their files, not their installed metadata, whose reader
    (importlib.metadata) is slow to import."""
    return disk_cache.package_code("textstat", "textstat.py") + disk_cache.package_code("pyphen")


def measure(document: Document, limit: int, skip: tuple[str, ...] = ()) -> Readability:
    textstat = import_textstat()

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
