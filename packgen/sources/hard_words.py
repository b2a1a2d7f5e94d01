"""Easy read's hard words: the words its text puts in **bold**, each explained from the pack's glossary.

The easy-read cover promises "Hard words are in bold. We explain them at the end", so every bold
word must have a meaning in some document's `hard_words`. A bold word is matched to its hard word
forgivingly: whatever its case and spacing, and one or many ("reasonable adjustment" is explained
by "reasonable adjustments").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from packgen.sources.schema import HardWord
from packgen.sources.sections import Section

BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
PLURAL_ENDINGS = ("es", "s")


def bold_words(markdown: str) -> list[str]:
    """The words in **bold** in some Markdown, in order."""
    return [" ".join(found.split()) for found in BOLD.findall(markdown)]


def _forms(words: str) -> set[str]:
    """The ways of writing a hard word that count as the same word: lower case, one space between words,
    and one or many (the last word with or without -s or -es)."""
    plain = " ".join(words.lower().split())
    forms = {plain} | {plain + ending for ending in PLURAL_ENDINGS}
    forms |= {plain.removesuffix(ending) for ending in PLURAL_ENDINGS if plain.endswith(ending)}
    return forms


def explaining(word: str, glossary: Iterable[HardWord]) -> HardWord | None:
    """The hard word that explains a bold word, or None."""
    forms = _forms(word)
    return next((hard for hard in glossary if forms & _forms(hard.word)), None)


def unexplained(sections: Iterable[Section], glossary: Iterable[HardWord]) -> Iterator[tuple[Path, int, str]]:
    """Each bold word of these sections' easy-read text that no hard word explains: file, line, word."""
    glossary = tuple(glossary)
    for section in sections:
        if section.easy_read is None or section.easy_read_omitted:
            continue
        for found in BOLD.finditer(section.easy_read):
            word = " ".join(found.group(1).split())
            if explaining(word, glossary) is None:
                yield section.file, section.easy_read_line + section.easy_read.count("\n", 0, found.start()), word
