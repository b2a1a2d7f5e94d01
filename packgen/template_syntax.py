"""Where a template's syntax error was written.

Jinja notices a block left open (an `{% if %}` with no `{% endif %}`) only at the end of the file or
at another block's end (an `{% endif %}` inside a `{% for %}`), and names that line; it notices a tag
left open (`{% if x` with no `%}`) only where the words after it stop making sense, often lines later.
The mistake is on the line that opened the block or the tag, so the template is read again by Jinja's
own parser, noting the line of each tag it is inside and of the tag it is reading: raw blocks,
comments, nesting and the tags an extension adds are read exactly as they were the first time. A tag
that belongs inside a block met where no block takes it (an `{% endif %}` with no `{% if %}`, an
`{% elif %}` inside a `{% for %}`, a second `{% else %}` in an `{% if %}`) is named at its own line, with
what to do.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

import jinja2
from jinja2 import nodes
from jinja2.lexer import Token, TokenStream
from jinja2.parser import Parser

# Jinja's words for a block still open at the end of the file, naming the innermost one.
_UNCLOSED = re.compile(r"Unexpected end of template\..*The innermost block that needs to be closed is '(\w+)'",
                       re.DOTALL)
# Jinja's words for the end of another block ({% endif %}) met inside one (a {% for %}), naming both.
_ENDED_WRONG = re.compile(r"Encountered unknown tag '(end\w+)'\..*The innermost block that needs to be closed is "
                          r"'(\w+)'", re.DOTALL)
# Jinja's words for a tag that belongs inside a block (an {% endif %}, an {% elif %}) met where none is open.
_STRAY = re.compile(r"Encountered unknown tag '(end\w+|elif|else)'\.$")
# Jinja's words for an {% elif %} or {% else %} met inside a block that does not take it (a {% for %}).
_MISPLACED = re.compile(r"Encountered unknown tag '(elif|else)'\..*The innermost block that needs to be closed is "
                        r"'(\w+)'", re.DOTALL)
# Jinja's words for an {% elif %} or {% else %} met where the block it is in looks only for its end: the
# block has had its {% else %}, which comes last.
_AFTER_ELSE = re.compile(r"Encountered unknown tag '(elif|else)'\. Jinja was looking for the following tags: "
                         r"'end(\w+)'\. The innermost block that needs to be closed is '(\w+)'\.$")
# Jinja's words for a filter or a test it does not have, naming it.
_UNKNOWN = re.compile(r"No (filter|test) named '([^']+)'")
JINJA_LIST = {kind: f"https://jinja.palletsprojects.com/en/stable/templates/#list-of-builtin-{kind}s"
              for kind in ("filter", "test")}
# The blocks each tag within a block may be in: {% else %} ends a {% for %} too (what it prints for nothing).
_BELONGS_IN = {"elif": ("if",), "else": ("if", "for")}


# A tag's opening and closing marks, by the token Jinja's lexer makes of its opening.
_TAG_MARKS = {"block_begin": ("{%", "%}"), "variable_begin": ("{{", "}}")}
_TAG_CLOSES = {"block_end", "variable_end"}
_TAG_OPENS = ("{%", "{{", "{#")


def unknown_name(message: str, env: jinja2.Environment) -> str | None:
    """Jinja's words for a filter or test no template has (`| titel`, `is publishd`) in an editor's, with
    the name it most likely means; None for any other message."""
    found = _UNKNOWN.match(message)
    if found is None:
        return None
    kind, name = found[1], found[2]
    close = difflib.get_close_matches(name, env.filters if kind == "filter" else env.tests, n=1)
    return f"there is no {kind} '{name}': " + (f"did you mean '{close[0]}'?" if close else
                                               f"check its spelling ({JINJA_LIST[kind]} lists Jinja's {kind}s)")


def placed(exc: jinja2.TemplateSyntaxError, env: jinja2.Environment) -> tuple[str, int | None]:
    """The words and line for a syntax error in a template `env` read: a tag or a block never closed
    at the line that opened it, any other error as Jinja reports it."""
    if exc.source is None:
        return exc.message or str(exc), exc.lineno
    reading = _Openings(env, exc.source)
    try:
        reading.parse()
    except jinja2.TemplateSyntaxError:
        pass
    tag = reading.tag_never_closed(exc)
    if tag is not None:
        kind, line, opening = tag
        closing = _TAG_MARKS[kind][1]
        return f"the '{opening}' opened on this line is never closed: end it with '{closing}'", line
    said = exc.message or ""
    if (unknown := unknown_name(said, env)) is not None:
        return unknown, exc.lineno
    if (found := _UNCLOSED.match(said)) and (line := reading.opened_at(found[1])) is not None:
        block = found[1]
        return f"the '{{% {block} %}}' opened on this line is never closed: end it with '{{% end{block} %}}'", line
    if (found := _ENDED_WRONG.match(said)) and (line := reading.opened_at(found[2])) is not None:
        end, block = found[1], found[2]
        return f"the '{{% {block} %}}' opened on this line is ended with '{{% {end} %}}' on line {exc.lineno}: end " \
               f"it with '{{% end{block} %}}'", line
    if found := _STRAY.match(said):
        return _stray(found[1], exc.lineno), exc.lineno
    if (found := _AFTER_ELSE.match(said)) and found[2] == found[3]:
        tag, block = found[1], found[3]
        opened = reading.opened_at(block)
        return f"'{{% {tag} %}}' on line {exc.lineno} comes after the '{{% else %}}' of the '{{% {block} %}}'" + \
            (f" opened on line {opened}" if opened is not None else "") + \
            (", which comes last: move it above that '{% else %}'" if tag == "elif" else
             f", and a '{{% {block} %}}' takes one: take one of them away, or end the '{{% {block} %}}' before this "
             f"one with '{{% end{block} %}}'"), exc.lineno
    if (found := _MISPLACED.match(said)) and found[2] not in _BELONGS_IN[found[1]]:
        tag, block = found[1], found[2]
        opened = reading.opened_at(block)
        return f"'{{% {tag} %}}' on line {exc.lineno} is inside the '{{% {block} %}}'" + \
            (f" opened on line {opened}" if opened is not None else "") + \
            f", which takes no '{{% {tag} %}}': end the '{{% {block} %}}' before it with '{{% end{block} %}}', or " \
            f"open an '{{% if %}}' inside it", exc.lineno
    return exc.message or str(exc), exc.lineno


def _stray(tag: str, line: int | None) -> str:
    """The words for `tag` (an end, an elif, an else) with no block open that it could belong to."""
    if tag.startswith("end"):
        return f"'{{% {tag} %}}' on line {line} ends no '{{% {tag[3:]} %}}': take it away, or open the block above it"
    blocks = " or ".join(f"'{{% {block} %}}'" for block in _BELONGS_IN[tag])
    return f"'{{% {tag} %}}' on line {line} is in no {blocks}: take it away, or open one above it"


class _NotingStream(TokenStream):
    """Jinja's token stream telling `noted` of each token it steps to: every step the parser takes (next,
    expect, skip) is a call of the stream's own `__next__`."""

    noted: Callable[[Token], None]

    def __next__(self) -> Token:
        token = super().__next__()
        self.noted(self.current)
        return token


class _Openings(Parser):
    """Jinja's parser, keeping the blocks (name and line) it was inside when it first failed, and the
    tag ({% or {{, and line) it was reading if it had not reached that tag's end."""

    def __init__(self, env: jinja2.Environment, source: str):
        super().__init__(env, source)
        self.source = source
        self.inside: list[tuple[str, int]] = []
        self.open_at_failure: list[tuple[str, int]] = []
        self.failed = False
        # the kind of token that opened the tag being read, its line and its mark as written ('{%-')
        self.open_tag: tuple[str, int, str] | None = None
        self._note(self.stream.current)  # the stream has read its first token already
        self.stream.__class__ = _NotingStream  # the same stream, each token noted as the parser steps to it
        self.stream.noted = self._note

    def _note(self, token: Token) -> None:
        if token.type in _TAG_MARKS:
            self.open_tag = (token.type, token.lineno, str(token.value))
        elif token.type in _TAG_CLOSES:
            self.open_tag = None

    def opened_at(self, block: str) -> int | None:
        """The line of the innermost `block` (if, for) open where parsing failed (None if none is)."""
        return next((line for name, line in reversed(self.open_at_failure) if name == block), None)

    def tag_never_closed(self, exc: jinja2.TemplateSyntaxError) -> tuple[str, int, str] | None:
        """The tag being read where parsing failed, if it is never closed: the file ends inside it, or
        the words from the failing line on reach another tag, or the end, before its own closing mark.
        A tag that is closed further on (one written over several lines) has its mistake where Jinja
        says."""
        if self.open_tag is None:
            return None
        if self.stream.current.type == "eof":
            return self.open_tag
        if exc.lineno <= self.open_tag[1]:  # the tag's own line: where Jinja says is where it is wrong
            return None
        after = "\n".join(self.source.split("\n")[exc.lineno - 1:])
        closing = after.find(_TAG_MARKS[self.open_tag[0]][1])
        opens = [at for mark in _TAG_OPENS if (at := after.find(mark)) >= 0]
        return self.open_tag if closing < 0 or (opens and min(opens) < closing) else None

    def parse_statement(self) -> nodes.Node | list[nodes.Node]:
        token = self.stream.current
        self.inside.append((str(token.value), token.lineno))
        try:
            return super().parse_statement()
        except jinja2.TemplateSyntaxError:
            if not self.failed:  # the innermost call fails first: it sees every tag still open
                self.failed = True
                self.open_at_failure = list(self.inside)
            raise
        finally:
            self.inside.pop()
