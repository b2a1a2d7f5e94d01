"""Where each value a template may print came from: the file and line that hold it.

Templates carry values from the sources (a commitment's picture, its alt text, a contact's e-mail
address, a field's type) into the Markdown they make. When that Markdown is wrong because a value
is (a picture name misspelt in front matter), the comms officer must be sent to the line holding
the value, not to the template. Values are recorded as the YAML is read, with the line yamlio
found for each; `find` looks a wrong value up.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from packgen.sources.yamlio import Lines, line_of

SHORTEST_PART = 3  # a value found inside a longer one (an address in "mailto:...") is at least this long


@dataclass(frozen=True)
class Origin:
    text: str  # the value, its spaces as md_escape prints them (runs of white space are one space)
    file: Path
    line: int | None
    loc: tuple  # its place in the file's data: ("commitments", 2, "picture")
    markdown: bool = False  # the value is Markdown itself (a label): a wrong value may be a part of it


@dataclass(frozen=True)
class Origins:
    entries: tuple[Origin, ...] = ()

    @classmethod
    def of(cls, value: object, lines: Lines, file: Path, markdown: bool = False) -> Origins:
        """Every text in a checked value (dataclasses, tuples, mappings) with its line in `file`."""
        return cls(tuple(Origin(" ".join(text.split()), file, line_of(lines, loc), loc, markdown)
                         for loc, text in _texts(value, ()) if text.strip()))

    def __add__(self, other: Origins) -> Origins:
        return Origins(self.entries + other.entries)

    def line(self, file: Path, loc: tuple) -> int | None:
        """The line of the value at `loc` in `file`, or None when it holds no words there."""
        return next((o.line for o in self.entries if o.file == file and o.loc == loc), None)

    def find(self, wrong: str, near: str = "") -> Origin | None:
        """The source value a wrong value came from, or None (then the template wrote it).

        A value equal to it comes first; else the longest value it holds as a whole part (an e-mail
        address inside "mailto:..."); else Markdown (a label) that holds it. Where several values
        fit, the one whose neighbours (the other values of its item) appear in `near`, the Markdown
        around the mistake, wins.
        """
        wrong = " ".join(wrong.split())
        if not wrong:
            return None
        exact = [o for o in self.entries if o.text == wrong]
        inside = [o for o in self.entries if not o.markdown and len(o.text) >= SHORTEST_PART and _holds(wrong, o.text)]
        longest = max((len(o.text) for o in inside), default=0)
        inside = [o for o in inside if len(o.text) == longest]
        holding = [o for o in self.entries if o.markdown and _holds(o.text, wrong)]
        for found in (exact, inside, holding):
            if found:
                return max(found, key=lambda o: self._neighbours_in(o, near))
        return None

    def _neighbours_in(self, origin: Origin, near: str) -> int:
        plain = _unescaped(near)
        return sum(1 for o in self.entries if o.file == origin.file and o.loc[:-1] == origin.loc[:-1]
                   and o is not origin and o.text in plain)


def _holds(text: str, part: str) -> bool:
    """`part` is in `text` as a whole: not the middle of a longer word."""
    return re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text) is not None


def _unescaped(markdown: str) -> str:
    return " ".join(re.sub(r"\\(.)", r"\1", markdown).split())


def _texts(value: object, loc: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield loc, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _texts(getattr(value, f.name), loc + (f.name,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, loc + (key,))
    elif isinstance(value, list | tuple):
        for n, item in enumerate(value):
            yield from _texts(item, loc + (n,))
