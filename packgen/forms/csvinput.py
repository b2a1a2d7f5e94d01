"""Reading organisations' CSV files as Excel saves them, with errors that name the CSV line.

Excel saves "CSV UTF-8" with a byte-order mark, plain "CSV" in the Windows code page (Windows-1252
in the UK), and "Unicode text" as tab-separated UTF-16; in some locales it separates cells with
semicolons. Comms staff cannot be expected to know which one they made, so all are read.
Column headers may be a field's id or its visible label, in any case and spacing.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from packgen.errors import PackgenError
from packgen.model import FormField

TRUE_WORDS = ("true", "yes", "y", "1", "x", "ticked")
FALSE_WORDS = ("", "false", "no", "n", "0")
MAX_CSV_BYTES = 64 << 20
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class CsvError(PackgenError):
    """A problem in an organisations CSV, naming the file and line."""


@dataclass(frozen=True)
class Row:
    """One organisation: the CSV line it starts on and its values by field id (tick boxes as "true"/"")."""

    line: int
    values: dict[str, str]


def normalise(text: str) -> str:
    """The key headers are compared by: compatible forms folded, case folded, no spaces, - or _."""
    return re.sub(r"[\s\-_]+", "", unicodedata.normalize("NFKC", text).casefold())


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (with or without a BOM), UTF-16 with a BOM, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp1252"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise CsvError(f"this file is neither UTF-8 nor Windows-1252 text (byte {data[exc.start]:#04x}); save it "
                       "from Excel as 'CSV UTF-8'", path, line) from None


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    first = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def read_table(path: Path) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """The header's line, the header, and every non-empty row with the line it starts on."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise CsvError(f"cannot read the file: {exc.strerror or exc}", path) from None
    if len(data) > MAX_CSV_BYTES:
        raise CsvError(f"the file is larger than {MAX_CSV_BYTES >> 20} MB; is it really a CSV?", path)
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvError("this is not a text file (it holds NUL bytes); save it from Excel as 'CSV UTF-8'", path)
    text = decode(data, path)
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text), strict=True)
    header: list[str] | None = None
    header_line = 1
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                header_line = line
                continue
            rows.append((line, cells))
    except csv.Error as exc:
        raise CsvError(f"the CSV is malformed ({exc})", path, start) from None
    if header is None:
        raise CsvError("the file is empty: the first line should name the columns, e.g. organisation,email", path)
    return header_line, header, rows


def read_organisations(path: Path, fields: tuple[FormField, ...], name_field: FormField,
                       only_known: bool = True) -> list[Row]:
    """Every organisation in the CSV, checked against the form's fields.

    A column that is not a field (with only_known), a column for the signature (which no one can sign
    in advance), two columns for one field, a row with more cells than headers, an empty required
    cell, a tick-box cell that is not yes/no and a date that is not a date are errors naming the line.
    Required fields are required in the columns the CSV has; the organisation's name always is,
    since file names are made from it.
    """
    path = Path(path)
    header_line, header, table = read_table(path)
    keys: dict[str, FormField] = {}
    for f in fields:
        keys.setdefault(normalise(f.id), f)
    for f in fields:
        keys.setdefault(normalise(f.label), f)
    columns: list[FormField | None] = []
    seen: dict[str, str] = {}
    for title in header:
        f = keys.get(normalise(title))
        if f is None:
            if only_known:
                known = ", ".join(x.id for x in fields if x.type != "signature")
                raise CsvError(f"the column '{title}' is not a field of the pledge form (columns may be named by "
                               f"a field's id or label: {known})", path, header_line)
            columns.append(None)
            continue
        if f.type == "signature" and only_known:
            raise CsvError(f"the column '{title}' is the signature: only the person signing can add it", path,
                           header_line)
        if f.id in seen:
            raise CsvError(f"the columns '{seen[f.id]}' and '{title}' are both the field '{f.id}'", path, header_line)
        seen[f.id] = title
        columns.append(f)
    if name_field.id not in seen:
        raise CsvError(f"there is no column for the organisation's name: add one headed '{name_field.id}' or "
                       f"'{name_field.label}'", path, header_line)
    rows = []
    for line, cells in table:
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
            raise CsvError(f"this row has {len(cells)} cells but there are only {len(columns)} column headers",
                           path, line)
        values: dict[str, str] = {}
        for f, cell in zip(columns, cells + [""] * (len(columns) - len(cells)), strict=True):
            if f is None:
                continue
            values[f.id] = _value(f, cell, seen[f.id], path, line, only_known)
        rows.append(Row(line=line, values=values))
    return rows


def _value(f: FormField, cell: str, column: str, path: Path, line: int, check: bool) -> str:
    text = cell.strip() if f.type != "multiline" else cell.strip("\r\n ").replace("\r\n", "\n")
    if not check:
        return text
    if f.type == "checkbox":
        word = text.casefold()
        if word in TRUE_WORDS:
            return "true"
        if word in FALSE_WORDS:
            return ""
        raise CsvError(f"'{text}' in the column '{column}' is a tick box: write yes or leave it empty", path, line)
    if not text and f.required:
        raise CsvError(f"the required value '{column}' is empty", path, line)
    if f.type == "date" and text:
        if not ISO_DATE.fullmatch(text) and not re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            raise CsvError(f"'{text}' in the column '{column}' is not a date (write it as DD/MM/YYYY or YYYY-MM-DD)",
                           path, line)
    if f.type == "email" and text and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise CsvError(f"'{text}' in the column '{column}' is not an email address", path, line)
    if "\x00" in text:
        raise CsvError(f"the column '{column}' holds a NUL character", path, line)
    return text
