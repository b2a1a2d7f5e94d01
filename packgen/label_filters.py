"""Filters a label may use wherever it is rendered: in a document's template, on the download page.

A label ends a sentence after a value ("From the {{ pack.organisation | full_stop }}"), and the
value may end one already: an organisation called "Verein für Stadtteilarbeit e.V." or "Acme Ltd.",
a title that asks "Why work together?". `full_stop` gives the sentence its one end.
"""

from __future__ import annotations

SENTENCE_ENDS = (".", "!", "?", "…")


def full_stop(value: object) -> str:
    """The value with a full stop after it, unless it ends a sentence already."""
    text = str(value).rstrip()
    return text if text.endswith(SENTENCE_ENDS) else f"{text}."


FILTERS = {"full_stop": full_stop}
