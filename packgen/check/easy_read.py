"""Easy-read rules shared by the DOCX, PDF and HTML checkers.

Easy read (Department of Health guidance, Mencap's "Am I making myself clear?") asks for large type,
no italics, short sentences and no block capitals. Type size and italics are read from each format
by its own checker (the smallest size, every variant's, is text_size's rule); the wording rules work
on plain text and live here, once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from packgen.check.context import FileContext
from packgen.check.findings import Finding, error, warning

MAX_SENTENCE_WORDS = 15
SOURCES_HINT = "sources/ (the '::: easy-read' block of that section)"

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[^\W_][\w'’-]*", re.UNICODE)
_CAPS_WORD = re.compile(r"^[A-Z][A-Z'’-]*[A-Z]$")
CAPS_RUN = 3  # three block-capital words in a row is shouting; NHS or UK on their own are fine


def snippet(text: str, limit: int = 40) -> str:
    """The start of a passage, for the report's 'where' so a person can search for it."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def long_sentences(text: str) -> list[tuple[str, int]]:
    out = []
    for sentence in _SENTENCE_END.split(text):
        words = _WORD.findall(sentence)
        if len(words) > MAX_SENTENCE_WORDS:
            out.append((sentence.strip(), len(words)))
    return out


def caps_runs(text: str) -> list[str]:
    runs: list[str] = []
    current: list[str] = []
    for word in text.split():
        bare = word.strip(".,;:!?()[]\"'“”‘’")
        if len(bare) >= 2 and _CAPS_WORD.match(bare):
            current.append(bare)
            continue
        if len(current) >= CAPS_RUN:
            runs.append(" ".join(current))
        current = []
    if len(current) >= CAPS_RUN:
        runs.append(" ".join(current))
    return runs


def wording_findings(ctx: FileContext, passages: Iterable[tuple[str, str]]) -> list[Finding]:
    """Sentence length and block capitals for each (where, text) passage of an easy-read file."""
    findings: list[Finding] = []
    for where, text in passages:
        for sentence, count in long_sentences(text):
            findings.append(warning(
                "easy-read-sentence-length", ctx.label, f"{where} ('{snippet(sentence)}')",
                f"This sentence has {count} words; easy-read sentences should have {MAX_SENTENCE_WORDS} or fewer.",
                f"Split it into shorter sentences, one idea each, in {SOURCES_HINT}."))
        for run in caps_runs(text):
            findings.append(warning(
                "easy-read-capitals", ctx.label, f"{where} ('{snippet(run)}')",
                "Words written in block capitals are hard to read.",
                f"Write them in ordinary capitals and small letters in {SOURCES_HINT}; use bold for emphasis."))
    return findings


def italic_finding(ctx: FileContext, where: str) -> Finding:
    return error("easy-read-italic", ctx.label, where,
                 "Easy-read text is in italics, which is hard to read.",
                 "Remove the italics (*...* in sources/); use bold for the one word that matters.")

