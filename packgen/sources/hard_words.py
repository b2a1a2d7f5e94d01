"""Easy read's hard words: the words its text puts in **bold**, each explained from the pack's glossary.

The easy-read cover promises "Hard words are in bold. We explain them at the end", so every bold
word must have a meaning in some document's `hard_words`. A bold word is matched to its hard word
forgivingly: whatever its case and spacing, and one or many as the pack's language makes its plurals
("reasonable adjustment" is explained by "reasonable adjustments", "Gruppen" by "Gruppe").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from packgen.sources.schema import HardWord
from packgen.sources.sections import Section

BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
# How each language (its primary subtag) makes a plural: the endings added to the one. A language
# rule, not words a reader sees, so it is here rather than in the labels. Only endings: a plural that
# changes the word itself (German Stadt, Städte; French journal, journaux; most of Welsh's, as gair,
# geiriau or plentyn, plant) needs its hard word written as the bold text writes it. Welsh gets its
# regular endings (llyfr, llyfrau; swydd, swyddi; ardal, ardaloedd; cath, cathod; afon, afonydd).
# A language not here has no rule: only case and spacing are forgiven.
PLURAL_ENDINGS: dict[str, tuple[str, ...]] = {
    "en": ("s", "es"),
    "de": ("n", "en", "e", "er", "s"),
    "fr": ("s", "x"),
    "cy": ("au", "iau", "on", "ion", "i", "oedd", "ydd", "od"),
}


def bold_words(markdown: str) -> list[str]:
    """The words in **bold** in some Markdown, in order."""
    return [" ".join(found.split()) for found in BOLD.findall(markdown)]


def plural_endings(language: str) -> tuple[str, ...]:
    """The endings that make a plural in a language (a BCP 47 tag: de-AT is de), () where packgen has no rule."""
    return PLURAL_ENDINGS.get(language.split("-")[0].lower(), ())


def _plain(words: str) -> str:
    return " ".join(words.lower().split())


def _same_word(one: str, other: str, endings: tuple[str, ...]) -> bool:
    """Whether two plain words are one word, one or many: the same, or one is the other with a plural ending
    on its last word."""
    return one == other or any(one == other + ending or other == one + ending for ending in endings)


def explaining(word: str, glossary: Iterable[HardWord], language: str) -> HardWord | None:
    """The hard word that explains a bold word, or None: the one written as the bold word is (whatever its
    case and spacing) first, so a glossary with both Rat and Rate explains "Rate" with Rate."""
    glossary = tuple(glossary)
    plain, endings = _plain(word), plural_endings(language)
    same = next((hard for hard in glossary if _plain(hard.word) == plain), None)
    return same or next((hard for hard in glossary if _same_word(plain, _plain(hard.word), endings)), None)


def unexplained(sections: Iterable[Section], glossary: Iterable[HardWord],
                language: str) -> Iterator[tuple[Path, int, str]]:
    """Each bold word of these sections' easy-read text that no hard word explains: file, line, word."""
    glossary = tuple(glossary)
    for section in sections:
        if section.easy_read is None or section.easy_read_omitted:
            continue
        for found in BOLD.finditer(section.easy_read):
            word = " ".join(found.group(1).split())
            if explaining(word, glossary, language) is None:
                yield section.file, section.easy_read_line + section.easy_read.count("\n", 0, found.start()), word
