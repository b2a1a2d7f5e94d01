"""liblouis's translator, through its command-line tool (Debian's liblouis-bin): Debian's Python binding
is built for the system's Python, not packgen's."""

from __future__ import annotations

import shutil
import subprocess

from packgen.errors import RenderError

# The literary braille code for each language (its primary subtag): Unified English Braille, grade 2.
TABLES = {"en": "en-ueb-g2.ctb"}
# BRF's cells as ASCII (North American Braille ASCII, the one BRF files use whatever the language).
DISPLAY = "en-us-brf.dis"
PROGRAM = "lou_translate"


def table(language: str) -> str:
    return TABLES[language.split("-")[0].lower()]


def translate(texts: list[str], language: str) -> list[str]:
    """Each text (one line, no line break) in braille cells: one call to liblouis for them all."""
    return _run("--forward", texts, language)


def back_translate(cells: list[str], language: str) -> list[str]:
    """Each line of braille cells back in print, as a braille reader's device would speak it."""
    return _run("--backward", cells, language)


def _run(direction: str, lines: list[str], language: str) -> list[str]:
    program = shutil.which(PROGRAM)
    if program is None:
        raise RenderError(f"{PROGRAM} is not installed: install Debian's liblouis-bin to make Braille-ready files")
    if not lines:
        return []
    result = subprocess.run([program, direction, f"{DISPLAY},{table(language)}"], input=_escaped(lines),
                            capture_output=True, text=True, encoding="utf-8", check=False)
    out = result.stdout.split("\n")[:len(lines)]
    if result.returncode != 0 or len(out) != len(lines):
        raise RenderError(f"liblouis could not translate the text: {result.stderr.strip() or 'no output'}")
    return out


def _escaped(lines: list[str]) -> str:
    """The lines as lou_translate reads them: it takes a backslash as the start of an escape (\\x0041),
    and BRF's backslash is a cell (dots 1256, "ou")."""
    return "".join(line.replace("\\", "\\\\") + "\n" for line in lines)
