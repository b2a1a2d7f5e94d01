"""Errors a user can act on. Each names the file (and line) so comms staff can go straight to it."""

from __future__ import annotations

from pathlib import Path


class PackgenError(Exception):
    """An error reported as one line and exit status 1, never as a traceback."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __reduce__(self):
        # Keep the file and line when an error crosses from a worker process to the parent.
        return (type(self), (self.message, self.path, self.line))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line:
                where += f":{self.line}"
            where += ": "
        return f"{where}{self.message}"


class SourceError(PackgenError):
    """Something in `sources/` is wrong: bad YAML, a missing key, a missing picture..."""


class TemplateError(PackgenError):
    """A template in `templates/` is wrong: a syntax error, an undefined variable, a forbidden call."""


class RenderError(PackgenError):
    """A writer cannot draw what the model asks for (e.g. a character no font has).

    `text` is the start of the words it could not draw, and `char` the character, if one is to
    blame: a writer never reads the sources, so the build, which has them, finds those words there
    to name the file and line (Pack.locate). `labels` are the labels to blame (one left empty): the
    build names the labels file and the first one's line."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None, text: str = "",
                 char: str = "", labels: tuple[str, ...] = ()):
        super().__init__(message, path, line)
        self.text = text
        self.char = char
        self.labels = labels

    def __reduce__(self):
        return (type(self), (self.message, self.path, self.line, self.text, self.char, self.labels))


class RenderWarning(UserWarning):
    """What a writer warns of in words of the sources while still writing its file (a letter the braille
    code lacks, written as its base letter). As with RenderError, `text` is the start of those words and
    `char` the character to blame, which the build finds in the sources to name the file and line."""

    def __init__(self, message: str, text: str = "", char: str = ""):
        super().__init__(message)
        self.message = message
        self.text = text
        self.char = char

    def __reduce__(self):
        # Keep the words when the warning crosses from a worker process to the parent.
        return (type(self), (self.message, self.text, self.char))

    def __str__(self) -> str:
        return self.message


def one_line(text: str) -> str:
    """Text for one line of a terminal: a line break or other control character in a name it quotes
    is shown as Python writes it (\\n), and a byte of a file name that is not UTF-8 as \\xff, so the
    line stays one line, prints on any terminal, and the name is seen as it is."""
    def shown(char: str) -> str:
        if char < " " or char == "\x7f":
            return repr(char)[1:-1]
        if "\udc80" <= char <= "\udcff":  # a byte Python could not read as UTF-8 (surrogateescape)
            return f"\\x{ord(char) - 0xDC00:02x}"
        if "\ud800" <= char <= "\udfff":
            return f"\\u{ord(char):04x}"
        return char
    return "".join(shown(char) for char in text)
