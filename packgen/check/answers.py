"""Answer cells with nothing to answer in: a table column whose every body cell is empty, with no field.

Such a table asks to be ticked or filled in (a self-assessment checklist, an action plan), but on
screen there is nothing to tick or type, and a screen reader announces each cell as "blank". Each
format's checker finds its tables' body cells and says which are empty with no widget in them
(True); this module holds the one rule about them and its words.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from packgen.check.context import FileContext
from packgen.check.findings import Finding, warning
from packgen.ooxml import qn as q

MIN_ROWS = 2  # one empty row is a gap; a column of them is a question nobody can answer on screen
FIX = ("Put {.checklist} (tick boxes) or {.fill-in} (boxes to type in) on the line above the table in "
       "sources/.")  # another program's file: rules.FIX_ELSEWHERE


def empty_answer_columns(rows: list[list[bool]]) -> list[int]:
    """The 1-based columns, after the first (it names each row), whose every body cell is empty."""
    if len(rows) < MIN_ROWS:
        return []
    width = min(len(row) for row in rows)
    return [c + 1 for c in range(1, width) if all(row[c] for row in rows)]


def finding(rule: str, ctx: FileContext, where: str, columns: list[int]) -> Finding:
    named = ", ".join(str(c) for c in columns)
    plural = len(columns) > 1
    return warning(rule, ctx.label, where,
                   f"Column{'s' if plural else ''} {named} of this table {'are' if plural else 'is'}"
                   " empty in every row, with nothing to tick or type in: on screen it cannot be filled in, and "
                   "screen readers announce each cell as blank.", FIX)


# --- Word --------------------------------------------------------------------------------------------

def docx_findings(ctx: FileContext, body: etree._Element, text: Callable[[etree._Element], str]) -> list[Finding]:
    """docx-empty-answer-cells for each table of the body (`text` reads a cell's words)."""
    found = []
    for n, tbl in enumerate(body.iter(q("w:tbl")), 1):
        rows = [tr for tr in tbl.findall(q("w:tr"))
                if tr.find(f"{q('w:trPr')}/{q('w:tblHeader')}") is None]
        if len(rows) == len(tbl.findall(q("w:tr"))):
            rows = rows[1:]  # no row marked as the header: the first is read as one
        cells = [[not text(tc).strip() and not _has_docx_control(tc) for tc in tr.findall(q("w:tc"))] for tr in rows]
        columns = empty_answer_columns(cells)
        if columns:
            found.append(finding("docx-empty-answer-cells", ctx, f"table {n}", columns))
    return found


def _has_docx_control(tc: etree._Element) -> bool:
    """A content control, or a legacy form field (check box, text), the cell can be answered in."""
    return next(tc.iter(q("w:sdt"), q("w:ffData")), None) is not None


# --- web pages ---------------------------------------------------------------------------------------

CONTROLS = ("input", "select", "textarea", "button")


def html_findings(ctx: FileContext, root: etree._Element) -> list[Finding]:
    """html-empty-answer-cells for each table of the page."""
    found = []
    for n, table in enumerate(root.iter("table"), 1):
        rows = [tr for tr in table.iter("tr") if next(tr.iter("th"), None) is None or next(tr.iter("td"), None)
                is not None]
        cells = [[not (cell.text_content() or "").strip() and next(cell.iter(*CONTROLS), None) is None
                  for cell in tr if cell.tag in ("td", "th")] for tr in rows]
        columns = empty_answer_columns(cells)
        if columns:
            label = table.get("id") or ""
            found.append(finding("html-empty-answer-cells", ctx, f"table {n}" + (f" (#{label})" if label else ""),
                                 columns))
    return found
