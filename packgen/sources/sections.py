"""A source document: YAML front matter, then sections that each start at a level-2 heading.

Sections are the unit templates assemble and the unit the easy-read variant is kept in step with:
each section carries, beside its standard text, a `::: easy-read` block of short points. Every
section remembers the file and line it starts at, so later checks can point at it.

    ---
    title: Co-Production Charter
    ---
    ## Background {#background status=published}
    Standard text...

    ::: easy-read
    - ![Two people talking](speaking head) We talk with people.
    :::
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from packgen.errors import SourceError
from packgen.ids import slug, unclosed_attributes

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*(?:\{([^{}]*)\})?[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_EASY_OPEN = re.compile(r"^:::+[ \t]*easy-read[ \t]*$")
_CONTAINER_OPEN = re.compile(r"^:::+[ \t]*\S")
_CONTAINER_CLOSE = re.compile(r"^:::+[ \t]*$")
_ATTR = re.compile(r"""(#[\w-]+)|([\w-]+)=("[^"]*"|'[^']*'|\S+)""")
SECTION_STATUSES = ("draft", "published")


@dataclass(frozen=True)
class Section:
    """One section of a source document. `body` and `easy_read` are Markdown source text."""

    id: str
    heading: str
    body: str
    file: Path
    line: int  # the heading's line (or the first body line for an untitled opening section)
    body_line: int
    status: str = "draft"  # "published": the organisation's own published words; "draft": written for the pack
    easy_read: str | None = None
    easy_read_line: int = 0
    easy_read_omitted: bool = False  # the source says plainly: no easy-read version of this section


def split_front_matter(text: str, path: Path) -> tuple[str, int, str, int]:
    """Return (yaml, yaml_first_line, markdown, markdown_first_line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise SourceError("a document must start with front matter: a '---' line, 'title: ...', then '---'",
                          path, 1)
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), 2, "\n".join(lines[i + 1:]), i + 2
    raise SourceError("front matter is not closed: add a '---' line after it", path, 1)


def split_sections(markdown: str, first_line: int, path: Path) -> list[Section]:
    """Cut Markdown into sections at each level-2 heading outside code fences and containers."""
    lines = markdown.split("\n")
    starts: list[tuple[int, str, dict[str, str]]] = []  # (index, heading, attrs)
    fence: str | None = None
    depth = 0
    for i, raw in enumerate(lines):
        if fence:
            if raw.strip().startswith(fence):
                fence = None
            continue
        m = _FENCE.match(raw)
        if m:
            fence = m.group(1)[:3]
            continue
        if _CONTAINER_CLOSE.match(raw) and depth:
            depth -= 1
            continue
        if _CONTAINER_OPEN.match(raw):
            depth += 1
            continue
        m = _HEADING.match(raw)
        if m and len(m.group(1)) == 2 and depth == 0:
            if not m.group(2).strip():  # '## {#id}': else the section's words join the one before it, unheaded
                raise SourceError("this heading has no words: write them after the '## '", path, first_line + i)
            unclosed = unclosed_attributes(m.group(2)) if m.group(3) is None else None
            if unclosed:
                raise SourceError(unclosed, path, first_line + i)
            attrs = _parse_attrs(m.group(3) or "", path, first_line + i)
            starts.append((i, m.group(2).strip(), attrs))
        elif m and len(m.group(1)) == 1:
            raise SourceError("a level-1 heading ('# ...') belongs to the template, which adds the "
                              "document title: start sections at '## '", path, first_line + i)
    sections: list[Section] = []
    preamble_end = starts[0][0] if starts else len(lines)
    if "\n".join(lines[:preamble_end]).strip():
        sections.append(_make(path, "opening", "", lines, 0, preamble_end, first_line, {}))
    for n, (index, heading, attrs) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        sections.append(_make(path, attrs.get("id") or slug(heading), heading, lines, index + 1, end,
                              first_line, attrs, heading_index=index))
    seen: dict[str, int] = {}
    for s in sections:
        if s.id in seen:
            raise SourceError(f"two sections have the id '{s.id}' (the other is at line {seen[s.id]}): "
                              "give one an id of its own with {{#new-id}}", path, s.line)
        seen[s.id] = s.line
    return sections


def _parse_attrs(text: str, path: Path, line: int) -> dict[str, str]:
    attrs: dict[str, str] = {}
    pos = 0
    text = text.strip()
    for m in _ATTR.finditer(text):
        if text[pos:m.start()].strip():
            break
        pos = m.end()
        if m.group(1):
            attrs["id"] = m.group(1)[1:]
        else:
            attrs[m.group(2)] = m.group(3).strip("\"'")
    if text[pos:].strip():
        raise SourceError(f"cannot read the heading's attributes '{{{text}}}': write them as "
                          "{#id status=draft}", path, line)
    unknown = set(attrs) - {"id", "status", "easy-read"}
    if unknown:
        raise SourceError(f"unknown heading attribute '{sorted(unknown)[0]}' (allowed: #id, status, easy-read)",
                          path, line)
    if attrs.get("status", "draft") not in SECTION_STATUSES:
        raise SourceError(f"status must be one of {', '.join(SECTION_STATUSES)}", path, line)
    if attrs.get("easy-read", "omit") != "omit":
        raise SourceError("easy-read=omit is the only value: it says this section has no easy-read version",
                          path, line)
    return attrs


def _make(path: Path, sid: str, heading: str, lines: list[str], start: int, end: int, first_line: int,
          attrs: dict[str, str], heading_index: int | None = None) -> Section:
    """Build a section, lifting its `::: easy-read` block out of the standard body."""
    body_lines: list[str] = []
    easy: list[str] | None = None
    easy_line = 0
    i = start
    fence: str | None = None
    while i < end:
        raw = lines[i]
        if fence is None and _FENCE.match(raw):
            fence = _FENCE.match(raw).group(1)[:3]
        elif fence and raw.strip().startswith(fence):
            fence = None
        if fence is None and _EASY_OPEN.match(raw):
            if easy is not None:
                raise SourceError("a section has one '::: easy-read' block; merge the two", path,
                                  first_line + i)
            j = i + 1
            depth = 0
            while j < end:
                if _CONTAINER_OPEN.match(lines[j]):
                    depth += 1
                elif _CONTAINER_CLOSE.match(lines[j]):
                    if depth == 0:
                        break
                    depth -= 1
                j += 1
            if j >= end:
                raise SourceError("'::: easy-read' is not closed: add a ':::' line after its points", path,
                                  first_line + i)
            easy = lines[i + 1:j]
            if not "".join(easy).strip():  # the section's heading would stand alone in easy read
                raise SourceError("this '::: easy-read' block is empty: write its points, each starting with a "
                                  "picture, or delete the block and mark the heading {#id easy-read=omit} to "
                                  "leave the section out of easy read", path, first_line + i)
            easy_line = first_line + i + 1
            body_lines.extend([""] * (j + 1 - i))  # blank lines keep the body's line numbers true
            i = j + 1
            continue
        body_lines.append(raw)
        i += 1
    line = first_line + (heading_index if heading_index is not None else start)
    omitted = attrs.get("easy-read") == "omit"
    if omitted and easy is not None:
        raise SourceError("this section says easy-read=omit but has an easy-read block: keep one", path, line)
    return Section(
        id=sid,
        heading=heading,
        body="\n".join(body_lines).rstrip() + "\n",
        file=path,
        line=line,
        body_line=first_line + start,
        status=attrs.get("status", "draft"),
        easy_read=("\n".join(easy).rstrip() + "\n") if easy is not None else None,
        easy_read_line=easy_line,
        easy_read_omitted=omitted,
    )

