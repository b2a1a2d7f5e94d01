"""What pydantic and PyYAML report, in the words of the YAML a comms officer wrote.

pydantic names a place as a path (`fields.6.type`) and the problem in a programmer's words ("Input
should be ..."); PyYAML names the place where it gave up, which for an unclosed quote is the end of
the file. Here a path becomes "field 7 ('contact-name'): type", read from the data itself, and a
problem says what to write instead.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Sequence
from typing import Any

# The keys that name an item of a list, in the order they are looked for: "field 7 ('contact-name')".
NAMING_KEYS = ("id", "word", "name")
UNKNOWN_KEY = ("extra_forbidden", "unexpected_keyword_argument")
MISSING_KEY = ("missing", "missing_keyword_only_argument", "missing_argument")


def place(loc: Sequence[Any], data: object) -> str:
    """A path into the data in words: ("fields", 6, "type") -> "field 7 ('contact-name'): type"."""
    parts: list[str] = []
    current = data
    loc = tuple(loc)
    for n, part in enumerate(loc):
        following = loc[n + 1] if n + 1 < len(loc) else None
        if isinstance(part, int):
            current = _part(current, part)
            continue
        current = _part(current, part)
        if isinstance(following, int):
            item = _part(current, following)
            name = next((value for key in NAMING_KEYS if isinstance(value := _part(item, key), str) and value), "")
            parts.append(f"{_singular(part)} {following + 1}" + (f" ('{name}')" if name else ""))
        else:
            parts.append(str(part))
    return ": ".join(parts)


def _part(data: object, key: Any) -> object:
    if isinstance(data, dict):
        return data.get(key)
    if isinstance(data, list | tuple):
        return data[key] if isinstance(key, int) and 0 <= key < len(data) else None
    if dataclasses.is_dataclass(data) and isinstance(key, str):
        return getattr(data, key, None)
    return None


def _singular(key: str) -> str:
    words = key.replace("_", " ")
    return words[:-1] if words.endswith("s") and not words.endswith("ss") else words


def first(errors: Sequence[dict[str, Any]], line_of: Any) -> dict[str, Any]:
    """The error to report: an unknown key before anything else (a misspelt key is also a missing
    one, and the misspelling is the mistake), then the earliest in the file. A list said to be too
    short because its items are wrong ("after validation") is not itself the mistake: its items are."""
    def order(err: dict[str, Any]) -> tuple[int, int, int]:
        kind = 0 if err["type"] in UNKNOWN_KEY else 2 if err["type"] in MISSING_KEY else 1
        loc = tuple(err["loc"])
        emptied = err["type"] == "too_short" and any(
            len(other["loc"]) > len(loc) and tuple(other["loc"][:len(loc)]) == loc for other in errors)
        return int(emptied), kind, line_of(loc) or 0
    return min(errors, key=order)


def unknown_key(loc: Sequence[Any], data: object, allowed: Sequence[str]) -> str:
    """"unknown key 'organisaton': did you mean 'organisation'?", or the keys allowed there."""
    key = str(loc[-1])
    where = place(loc[:-1], data)
    present = _walk(data, loc[:-1])
    unused = [k for k in allowed if not (isinstance(present, dict) and k in present)]
    close = difflib.get_close_matches(key, unused, n=1) or difflib.get_close_matches(key, allowed, n=1)
    fix = f": did you mean '{close[0]}'?" if close else f" (allowed here: {', '.join(allowed)})"
    return (f"{where}: " if where else "") + f"unknown key '{key}'{fix}"


def _walk(data: object, loc: Sequence[Any]) -> object:
    for part in loc:
        data = _part(data, part)
    return data


def problem(err: dict[str, Any], data: object) -> str:
    """One pydantic error (not an unknown key) as words: where, what was written, what to write."""
    loc = tuple(err["loc"])
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in MISSING_KEY:
        where = place(loc[:-1], data)
        return (f"{where}: " if where else "") + f"missing key '{loc[-1]}'"
    where = place(loc, data) or "the file"
    written = err.get("input")
    value = f" '{written}'" if isinstance(written, str | int | float | bool) else ""
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"{where}{value} is not one of {', '.join(options)}"
    if kind in ("string_too_short", "too_short") and ctx.get("min_length") == 1:
        return f"{where} is empty: fill it in"
    if kind == "string_type":
        return f"{where} should be words, not {_what(written)}"
    if kind in ("bool_parsing", "bool_type"):
        return f"{where}{value} should be true or false"
    if kind.startswith(("date_", "datetime_")):
        return f"{where}{value} is not a date: write it as year-month-day, like 2026-11-23"
    if kind in ("tuple_type", "list_type"):
        return f"{where} should be a list (one line starting '- ' for each item), not {_what(written)}"
    if kind in ("dataclass_type", "dataclass_exact_type", "dict_type", "model_type"):
        return f"{where} should be a set of 'key: value' lines, not {_what(written)}"
    if kind.startswith(("int_", "float_")):
        return f"{where}{value} should be a number"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = next(iter(ctx.values()), "")
        bound = f"{bound:g}" if isinstance(bound, float) else bound  # 0, not pydantic's 0.0
        words = {"greater_than": "more than", "greater_than_equal": "at least", "less_than": "less than",
                 "less_than_equal": "at most"}[kind]
        return f"{where}{value} should be {words} {bound}"
    message = str(err.get("msg", "")).replace("Input should", "it should")
    return f"{where}: {message[:1].lower()}{message[1:]}"


def _what(value: object) -> str:
    if isinstance(value, dict):
        return "a set of 'key: value' lines"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{value}'"
