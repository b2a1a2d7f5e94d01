"""File names made from organisation names: readable, unique, and never outside the output folder.

An organisation's name is data typed by someone else; it may hold `../../x`, an absolute path, NUL,
a name Windows reserves (CON, COM1...), only punctuation, right-to-left text or 300 characters. The
name is reduced to letters, digits and combining marks of any script joined by hyphens, so what
remains can never be a path, then checked against the folder it goes in as a second guard.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from packgen.errors import PackgenError

# Windows refuses these as file names with any extension, in any case (also with superscript digits).
RESERVED = {"con", "prn", "aux", "nul", "conin$", "conout$"} | {
    f"{dev}{n}" for dev in ("com", "lpt") for n in (*"0123456789", "¹", "²", "³")}
MAX_CHARS = 80
MAX_BYTES = 180  # file systems allow 255 bytes; leave room for "-123", an extension and a temporary prefix
_KEEP = ("L", "N", "M")


def slug(name: str) -> str:
    """Letters, digits and marks of `name` (any script), other runs as one hyphen; may be empty."""
    text = unicodedata.normalize("NFC", name)
    out: list[str] = []
    gap = False
    for ch in text:
        if unicodedata.category(ch)[0] in _KEEP and not (unicodedata.category(ch)[0] == "M" and not out):
            if gap and out:
                out.append("-")
            out.append(ch)
            gap = False
        else:
            gap = True
    return _shorten("".join(out))


def _shorten(text: str) -> str:
    """At most MAX_CHARS characters and MAX_BYTES UTF-8 bytes, never ending mid-letter or on a hyphen."""
    cut = text[:MAX_CHARS]
    while len(cut.encode("utf-8")) > MAX_BYTES:
        cut = cut[:-1]
    if len(cut) < len(text):
        # do not leave a base letter without its combining marks, or marks without their letter
        while cut and len(cut) < len(text) and unicodedata.category(text[len(cut)])[0] == "M":
            cut = cut[:-1]
    return cut.strip("-")


def is_reserved(stem: str) -> bool:
    return stem.split(".")[0].casefold() in RESERVED


class Namer:
    """Unique file stems for one run: the same name twice gets -2, -3 (compared as a case-insensitive
    file system such as Windows' or macOS' would compare them)."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._given: dict[str, list[str]] = {}  # the stems given for each name's file name

    def stem(self, name: str, fallback: str) -> str:
        base = slug(name) or fallback
        if is_reserved(base):
            base = f"{base}-{fallback}"
        candidate, n = base, 1
        while self._key(candidate) in self._used:
            n += 1
            candidate = f"{base}-{n}"
        self._used.add(self._key(candidate))
        self._given.setdefault(self._key(base), []).append(candidate)
        return candidate

    @property
    def numbered(self) -> list[list[str]]:
        """The stems of names that made the same file name, numbered apart, in the order given."""
        return [stems for stems in self._given.values() if len(stems) > 1]

    @staticmethod
    def _key(stem: str) -> str:
        return unicodedata.normalize("NFD", stem).casefold()


def inside(out: Path, stem: str, suffix: str) -> Path:
    """The path for `stem + suffix` in `out`, refusing anything that would land elsewhere."""
    if not stem or "/" in stem or "\\" in stem or "\x00" in stem or stem.startswith(".") or is_reserved(stem):
        raise PackgenError(f"refusing the unsafe file name {stem!r}")
    folder = out.resolve()
    target = folder / f"{stem}{suffix}"
    if target.resolve().parent != folder:
        raise PackgenError(f"refusing to write {stem!r} outside {out}")
    return target
