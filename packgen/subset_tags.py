"""Font subset tags: the six capital letters and a plus before a subset font's name (ISO 32000-1,
9.6.4). Different subsets in one file need different tags; the writer, the combined PDF and
`packgen check` read them the same way."""

from __future__ import annotations


def is_subset_name(name: str) -> bool:
    """Whether a font name starts with a subset tag ("AAAAAB+AtkinsonHyperlegible-Bold")."""
    return len(name) > 7 and name[6] == "+" and name[:6].isalpha() and name[:6].isupper()


def subset_tag(n: int) -> str:
    """The n-th tag: AAAAAA, AAAAAB, ... (counted, so the same file gets the same names)."""
    letters = ""
    for _ in range(6):
        n, r = divmod(n, 26)
        letters = chr(65 + r) + letters
    return letters
