"""YAML with line numbers: so every schema error can name the line a comms editor must fix.

PyYAML's composer gives us nodes with positions; we build plain data from them and keep, beside it,
a map from each value's path (("documents", 2, "file")) to its line. PyYAML silently lets a later
duplicate key win, which hides mistakes, so duplicates are an error here. PyYAML also counts
characters as line breaks that editors show within a line (NEL, and the line and paragraph separators
read_text folds); they are kept from it, so every line named is the one an editor shows.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packgen.errors import SourceError
from packgen.named_files import NOT_ORDINARY, PIPE, not_a_file

if TYPE_CHECKING:
    import yaml

# PyYAML is imported only when a file has to be read afresh: a checked file is usually kept (see
# packgen.sources.schema.load_checked), and importing PyYAML is a noticeable part of a rebuild.
Lines = dict[tuple, int]
YAML_TAGS = "tag:yaml.org,2002:"  # the prefix '!!' stands for
_KEY_LINE = re.compile(r"^\s*(?:- )?[\w-]+:(?:\s|$)")  # a line that starts a key: value (or a list item's)
# LINE SEPARATOR and PARAGRAPH SEPARATOR, as text pasted from a web page or a PDF may bring: an editor
# shows each within a line (or not at all), YAML and some readers take it for a line break, and a
# browser or Word may draw it as a box. Every source file and template reads each as a space, as a
# line break inside a paragraph or a value reads.
SEPARATORS_AS_SPACES = {0x2028: " ", 0x2029: " "}
# NEL, which YAML takes for a line break too, is read as a noncharacter the text lacks (Unicode keeps
# those for a program's own use), so PyYAML counts the lines an editor shows and the words after one
# in a comment stay in the comment; a value gets back a space (a line break folded, and a control
# character no document may print).
_HIDDEN_BREAKS = {"\x85": " "}
_STAND_INS = tuple(chr(c) for c in range(0xFDD0, 0xFDF0))
# Control characters YAML lets a quoted value write with a backslash ("\a", "\x07", "\u001b") though
# the file may not hold them: no document format can print them (XML, so Word, EPUB and the web page,
# cannot even hold them), so the value is refused at its line, as the same character typed is.
_ESCAPED_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def read_text(path: Path) -> str:
    """Read a source file as UTF-8, with errors that say what is wrong in words an editor knows."""
    try:
        if not_a_file(path) == PIPE:  # reading a pipe would wait for ever
            raise SourceError(f"this {NOT_ORDINARY}: name a text file", path)
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("file not found", path) from None
    except IsADirectoryError:
        raise SourceError("expected a file but found a folder", path) from None
    if b"\0" in data:
        raise SourceError("this looks like a binary file, not text: save it as plain UTF-8 text", path,
                          data[:data.index(b"\0")].count(b"\n") + 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError("not valid UTF-8 text: save the file with UTF-8 encoding", path, line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(SEPARATORS_AS_SPACES)


def load(text: str, path: Path, first_line: int = 1) -> tuple[Any, Lines]:
    """Parse YAML text; return the data and a path->line map. `first_line` offsets front matter."""
    import yaml

    offset = first_line - 1
    text, back = _unbroken(text)
    # libyaml's composer where PyYAML was built with it (the same nodes and marks, much faster);
    # PyYAML's own otherwise.
    composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=composer)
    except yaml.MarkedYAMLError as exc:
        quote = _unclosed_quote(text, exc, composer)
        if quote is not None:
            mark, char = quote
            raise SourceError(f"the quote ({char}) opened on this line is never closed: end the value with {char}",
                              path, mark.line + 1 + offset) from None
        bracket = _unclosed_bracket(exc, text)
        if bracket is not None:
            mark, opened, closing = bracket
            raise SourceError(f"the '{opened}' opened on this line is never closed: end it with '{closing}'",
                              path, mark.line + 1 + offset) from None
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + offset if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        written = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
        if "\t" in written[:len(written) - len(written.lstrip())]:  # libyaml's words name no tab for some
            raise SourceError("this line is indented with a tab, and YAML takes spaces only: indent it with "
                              "spaces, as the lines around it are", path, line) from None
        hint = ""
        if "\t" in text and "tab" in str(problem).lower() or "found character '\\t'" in str(exc):
            hint = " (YAML does not allow tabs for indentation: use spaces)"
        raise SourceError(f"invalid YAML: {problem}{hint}", path, line) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow in a file at all
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise SourceError(f"the character U+{ord(char):04X} cannot be in a YAML file: delete it", path,
                          text[:exc.position].count("\n") + 1 + offset) from None
    except yaml.YAMLError as exc:
        raise SourceError(f"invalid YAML: {' '.join(str(exc).split())}", path) from None
    lines: Lines = {}
    if node is None:
        return None, lines
    data = _build(node, (), lines, path, offset, yaml.constructor.SafeConstructor(), text, set())
    if not back:
        return data, lines
    return _restored(data, back), {_restored(loc, back): line for loc, line in lines.items()}


def _unbroken(text: str) -> tuple[str, dict[int, str]]:
    """The text with each of _HIDDEN_BREAKS in it swapped for a stand-in the text lacks, and the
    table that swaps them back (empty when there is nothing to swap, or no stand-in to spare)."""
    found = [char for char in _HIDDEN_BREAKS if char in text]
    spare = [char for char in _STAND_INS if char not in text][:len(found)]
    if not found or len(spare) < len(found):
        return text, {}
    pairs = list(zip(found, spare, strict=True))
    return text.translate({ord(char): stand_in for char, stand_in in pairs}), \
        {ord(stand_in): _HIDDEN_BREAKS[char] for char, stand_in in pairs}


def _restored(value: Any, back: dict[int, str]) -> Any:
    """A value built from the swapped text (a string, or a mapping, list or path of them) with each
    stand-in given back as _HIDDEN_BREAKS says."""
    if isinstance(value, str):
        return value.translate(back)
    if isinstance(value, dict):
        return {_restored(key, back): _restored(each, back) for key, each in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_restored(each, back) for each in value)
    return value


def _unclosed_bracket(exc: yaml.MarkedYAMLError, text: str) -> tuple[yaml.Mark, str, str] | None:
    """Where a '[' or '{' that is never closed was opened, and the two brackets, when that is the
    mistake: PyYAML names the line where it gave up, often the next key's."""
    context = exc.context or ""
    if exc.context_mark is None or not context.startswith("while parsing a flow"):
        return None
    opened = "[" if "sequence" in context else "{"
    return exc.context_mark, opened, "]" if opened == "[" else "}"


def _unclosed_quote(text: str, exc: yaml.MarkedYAMLError, loader: type) -> tuple[yaml.Mark, str] | None:
    """Where a quote that is never closed was opened, and the quote, when that is the mistake.

    PyYAML reports an unclosed quote where it gave up: the end of the file, or, when a later quote
    closed it, a line further on. Where the quote opened is where the comms officer must look: the
    scanner's context, or else a quoted value that swallowed the lines of other keys.
    """
    import yaml

    if isinstance(exc, yaml.scanner.ScannerError) and exc.context == "while scanning a quoted scalar" \
            and exc.context_mark is not None:
        return exc.context_mark, _char_at(text, exc.context_mark)
    opened = None
    lines = text.split("\n")
    try:
        for token in yaml.scan(text, Loader=loader):
            if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"') and any(
                    _KEY_LINE.match(line) for line in lines[token.start_mark.line + 1:token.end_mark.line + 1]):
                opened = token.start_mark
    except yaml.YAMLError:
        pass
    return (opened, _char_at(text, opened)) if opened is not None else None


def _char_at(text: str, mark: yaml.Mark) -> str:
    lines = text.split("\n")
    line = lines[mark.line] if mark.line < len(lines) else ""
    return line[mark.column] if mark.column < len(line) and line[mark.column] in "'\"" else '"'


def _build(node: yaml.Node, where: tuple, lines: Lines, path: Path, offset: int,
           constructor: yaml.constructor.SafeConstructor, text: str, built: set[int]) -> Any:
    import yaml

    if id(node) in built:  # an alias (*name): its value again, which a few lines can make a billion times over
        raise SourceError("packgen does not read YAML anchors and aliases ('&name' and '*name'): write the value "
                          "out in full", path, _first_alias(text) + offset)
    built.add(id(node))
    lines[where] = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise SourceError("keys must be plain words", path, key_node.start_mark.line + 1 + offset)
            if key in out:
                raise SourceError(f"the key '{key}' appears twice", path,
                                  key_node.start_mark.line + 1 + offset)
            out[key] = _build(value_node, where + (key,), lines, path, offset, constructor, text, built)
            lines[where + (key,)] = key_node.start_mark.line + 1 + offset
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, where + (i,), lines, path, offset, constructor, text, built)
                for i, item in enumerate(node.value)]
    line = node.start_mark.line + 1 + offset
    try:
        value = constructor.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        if "could not determine a constructor" in str(exc.problem):
            raise SourceError(f"'{_tag(node.tag)}' is a YAML tag packgen does not read: write the value without it",
                              path, line) from None
        raise SourceError(f"invalid value: {exc.problem}", path, line) from None
    except yaml.YAMLError as exc:
        raise SourceError(f"invalid value: {' '.join(str(exc).split())}", path, line) from None
    except ValueError:
        if node.tag.endswith(":timestamp"):  # a date YAML reads as one (2026-02-30) that the calendar does not have
            raise SourceError(f"'{node.value}' is not a date in the calendar: write a real one, as YYYY-MM-DD",
                              path, line) from None
        raise SourceError(f"'{node.value}' is not what its tag '{_tag(node.tag)}' says: write the value without "
                          "the tag", path, line) from None
    odd = _ESCAPED_CONTROL.search(value) if isinstance(value, str) else None
    if odd:
        code = ord(odd.group(0))
        escape = f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
        raise SourceError(f"the value holds the character U+{code:04X}, a control character no document can print "
                          f"(written with a backslash, such as '{escape}'): delete it", path, line)
    if type(value) is float:
        value = Number(value)
        value.text = node.value
    return value


def _tag(tag: str) -> str:
    """A tag as it is written in the file: '!!int' for YAML's own, '!name' for any other."""
    return "!!" + tag.removeprefix(YAML_TAGS) if tag.startswith(YAML_TAGS) else tag


def _first_alias(text: str) -> int:
    """The line of the first alias in the text (1 when none is found)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark.line + 1
    except yaml.YAMLError:
        pass
    return 1


class Number(float):
    """A YAML number that keeps how it was written ("0.10"), for a value meant as words (a version)."""

    text: str


def line_of(lines: Lines, loc: tuple) -> int | None:
    """The line of the deepest known ancestor of `loc` (pydantic error locations may go deeper)."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())
