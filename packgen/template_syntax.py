"""Where a template's syntax error was written.

Jinja notices a block left open (an `{% if %}` with no `{% endif %}`) only when it reaches the end of
the file, and names that last line. The mistake is on the line that opened the block, so the template
is read again by Jinja's own parser, noting the line of each tag it is inside: raw blocks, comments,
nesting and the tags an extension adds are read exactly as they were the first time.
"""

from __future__ import annotations

import re

import jinja2
from jinja2 import nodes
from jinja2.parser import Parser

# Jinja's words for a block still open at the end of the file, naming the innermost one.
_UNCLOSED = re.compile(r"Unexpected end of template\..*The innermost block that needs to be closed is '(\w+)'",
                       re.DOTALL)


def placed(exc: jinja2.TemplateSyntaxError, env: jinja2.Environment) -> tuple[str, int | None]:
    """The words and line for a syntax error in a template `env` read: a block never closed at the line
    that opened it, any other error as Jinja reports it."""
    found = _UNCLOSED.match(exc.message or "")
    if found and exc.source is not None:
        tag = found[1]
        line = _opened_at(exc.source, env, tag)
        if line is not None:
            return f"the '{{% {tag} %}}' opened on this line is never closed: end it with '{{% end{tag} %}}'", line
    return exc.message or str(exc), exc.lineno


def _opened_at(source: str, env: jinja2.Environment, tag: str) -> int | None:
    """The line of the innermost `tag` still open where parsing `source` fails (None if none is)."""
    parser = _Openings(env, source)
    try:
        parser.parse()
    except jinja2.TemplateSyntaxError:
        pass
    return next((line for name, line in reversed(parser.open_at_failure) if name == tag), None)


class _Openings(Parser):
    """Jinja's parser, keeping the tags (name and line) it was inside when it first failed."""

    def __init__(self, env: jinja2.Environment, source: str):
        super().__init__(env, source)
        self.inside: list[tuple[str, int]] = []
        self.open_at_failure: list[tuple[str, int]] = []
        self.failed = False

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
