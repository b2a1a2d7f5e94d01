"""Reading organisations' CSV files as Excel saves them, with errors that name the CSV line.

Excel saves "CSV UTF-8" with a byte-order mark, plain "CSV" in the Windows code page (Windows-1252
in the UK), and "Unicode text" as tab-separated UTF-16; in some locales it separates cells with
semicolons. Comms staff cannot be expected to know which one they made, so all are read.
Column headers may be a field's id or its visible label, in any case, spacing and punctuation.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from packgen.errors import PackgenError
from packgen.model import FormField
from packgen.named_files import NOT_ORDINARY, PIPE, not_a_file

from .spec import FormSpec

TRUE_WORDS = ("true", "yes", "y", "1", "x", "ticked")
FALSE_WORDS = ("", "false", "no", "n", "0")
MAX_CSV_BYTES = 64 << 20
# how a date may be written, as datetime.strptime reads it: DD/MM/YYYY (as the form asks) or YYYY-MM-DD
DATE_FORMS = ((re.compile(r"\d{1,2}/\d{1,2}/\d{4}"), "%d/%m/%Y"), (re.compile(r"\d{4}-\d{2}-\d{2}"), "%Y-%m-%d"))


class CsvError(PackgenError):
    """A problem in an organisations CSV, naming the file and line."""


@dataclass(frozen=True)
class Row:
    """One organisation: the CSV line it starts on and its values by field id (tick boxes as "true"/"")."""

    line: int
    values: dict[str, str]


def normalise(text: str) -> str:
    """The key headers are compared by: compatible forms folded, case folded, letters, digits and marks
    only (so "Lead name", "lead_name", "LEAD-NAME" and "Lead name:" are all "leadname")."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LNM")


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (with or without a BOM), UTF-32 or UTF-16 with a BOM, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16, whose BOM it begins with
        encoding = "utf-32"
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


def _delimiter(text: str) -> str:
    """The cell separator, guessed from the header line. Only the separator: the rest of Excel's way
    (quotes doubled inside a quoted cell) holds whatever the sniffer guesses from a line without quotes."""
    first = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def read_table(path: Path) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """The header's line, the header, and every non-empty row with the line it starts on."""
    path = Path(path)
    if not_a_file(path) == PIPE:  # reading a pipe would wait for ever
        raise CsvError(f"this {NOT_ORDINARY}: name the CSV file", path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise CsvError(f"cannot read the file: {exc.strerror or exc}", path) from None
    if len(data) > MAX_CSV_BYTES:
        raise CsvError(f"the file is larger than {MAX_CSV_BYTES >> 20} MB; is it really a CSV?", path)
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        raise CsvError("this is not a text file (it holds NUL bytes); save it from Excel as 'CSV UTF-8'", path)
    text = decode(data, path)
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=_delimiter(text), strict=True)
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


def read_organisations(path: Path, spec: FormSpec, only_known: bool = True) -> list[Row]:
    """Every organisation in the CSV, checked against the form's fields.

    With only_known (making forms): a column that is not a field, a column for the signature (which
    no one can sign in advance), no column for a required field the partnership fills in, an empty
    cell in such a column, a tick-box cell that is not yes/no and a date that is not a date are
    errors naming the line. The fields the signer completes are never required. Always: two columns
    for one field, a row with more cells than headers, and no column for the organisation's name
    (file names are made from it).
    """
    path = Path(path)
    fields, name_field = spec.fields, spec.name_field
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
                raise CsvError(_unknown(title, fields), path, header_line)
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
    required = {f.id for f in spec.prefilled_required} if only_known else set()
    absent = [f for f in spec.prefilled_required if f.id not in seen] if only_known else []
    if absent:
        names = listed([f"'{f.id}' ({f.label})" for f in absent])
        raise CsvError(f"the form needs {names} filled in for every organisation, but there is no column for "
                       f"{'it' if len(absent) == 1 else 'them'}: add a column headed with the field's id or label",
                       path, header_line)
    rows = []
    for line, cells in table:
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
            raise CsvError(f"this row has {len(cells)} cells but there are only {len(columns)} column headers",
                           path, line)
        values: dict[str, str] = {}
        for f, cell in zip(columns, cells + [""] * (len(columns) - len(cells)), strict=True):
            if f is None:
                continue
            values[f.id] = _value(f, cell, seen[f.id], path, line, only_known, f.id in required)
        rows.append(Row(line=line, values=values))
    return rows


def listed(items: list[str]) -> str:
    """Items as a sentence lists them: "a", "a and b", "a, b and c"."""
    return " and ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)


def _unknown(title: str, fields: tuple[FormField, ...]) -> str:
    """The error for a column that is no field: the close match, and every column the form accepts."""
    accepted = [f.id for f in fields if f.type != "signature"]
    close = difflib.get_close_matches(normalise(title), [normalise(a) for a in accepted], n=1)
    guess = next((f" (did you mean '{a}'?)" for a in accepted if close and normalise(a) == close[0]), "")
    return (f"the column '{title}' is not a field of the pledge form{guess}; the columns it accepts (by a field's "
            f"id, as here, or its label, in any case or punctuation): {', '.join(accepted)}")


def _value(f: FormField, cell: str, column: str, path: Path, line: int, check: bool, required: bool) -> str:
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
    if not text and required:
        raise CsvError(f"the required value '{column}' is empty", path, line)
    if f.type == "date" and text:
        _check_date(text, column, path, line)
    if f.type == "email" and text and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise CsvError(f"'{text}' in the column '{column}' is not an email address", path, line)
    if "\x00" in text:
        raise CsvError(f"the column '{column}' holds a NUL character", path, line)
    return text


def _check_date(text: str, column: str, path: Path, line: int) -> None:
    """A date written as the form asks, and one the calendar has (not 31/02/2027)."""
    form = next((fmt for pattern, fmt in DATE_FORMS if pattern.fullmatch(text)), None)
    if form is None:
        raise CsvError(f"'{text}' in the column '{column}' is not a date (write it as DD/MM/YYYY or YYYY-MM-DD)",
                       path, line)
    try:
        dt.datetime.strptime(text, form)
    except ValueError:
        raise CsvError(f"'{text}' in the column '{column}' is not a date the calendar has (check the day and "
                       "the month)", path, line) from None
