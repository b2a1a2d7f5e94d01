"""ReportLab's platypus, imported without compiling a pattern packgen never uses.

reportlab.platypus.paragraph compiles, as it is imported, the pattern its Paragraph uses to spot
web addresses in link markup: with IGNORECASE over most of Unicode, which takes re 36-38 ms, a fifth
of a worker's start-up and on the path of every build. reportlab.lib.textsplit's pattern for CJK
line breaks, a class from U+2E80 to U+FFFF, takes another 4 ms. packgen draws its own text and
links, never a Paragraph, yet any import of platypus runs those modules. While platypus is imported,
a pattern reaching far beyond Latin is compiled when first used instead: the same pattern object to
ReportLab, which only calls its methods (every such pattern there is used so), and nothing to pay
if none is called.
"""

from __future__ import annotations

import re
import sys
from typing import Any

_FAR = "\u1000"  # a class reaching past here is slow to compile (case-insensitive: re folds each code point)
_compile = re.compile


class DeferredPattern:
    """A compiled pattern made on first use; every attribute is the compiled pattern's."""

    def __init__(self, pattern: str, flags: int):
        self._source = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = _compile(*self._source)
        return getattr(self._compiled, name)


def _deferring(pattern: Any, flags: int = 0) -> Any:
    if isinstance(pattern, str) and pattern and max(pattern) > _FAR:
        return DeferredPattern(pattern, flags)
    return _compile(pattern, flags)


def import_platypus() -> None:
    """Import reportlab.platypus (once per process), deferring its costly patterns."""
    if "reportlab.platypus" in sys.modules:
        return
    # re.compile is everyone's: it is put back at once. (A pattern another thread compiles meanwhile
    # is at most deferred too, which changes nothing but when it is compiled.)
    re.compile = _deferring  # type: ignore[assignment]
    try:
        import reportlab.platypus  # noqa: F401
    finally:
        re.compile = _compile  # type: ignore[assignment]
