"""`packgen register`: one CSV row per returned form in a folder, for the partnership's records.

Every file gets a row, whatever it is: a registered form with its values, ticks and signature; a
printed or scanned return that needs its values entered by hand; a file that is not the form or
cannot be read, with the reason; a folder named like a form or a link to a folder, saying so. Each
file is read in a bounded child process (packgen/sandbox.py), so one hostile file costs one row,
never the run. The CSV opens in Excel as it is (UTF-8 with a byte-order mark) and no cell can be
taken for a formula.
"""

from __future__ import annotations

import csv
import io
import os
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from packgen.errors import PackgenError
from packgen.forms import REGISTER_MEMORY_MB, REGISTER_SECONDS
from packgen.named_files import FOLDER, PIPE, not_a_file, what_is_at
from packgen.pack.files import TEMP_MARK, atomic_path, make_folder
from packgen.sandbox import Sandbox, bounds_problem

from . import readers
from .csvinput import read_organisations
from .names import slug
from .readers import DIGITAL, MANUAL, NOT_OURS, OK, SIGNATURE_PROBLEMS, TYPED, UNREADABLE, Expect, Reading
from .spec import FormSpec, load_spec

NOT_RETURNED = "not returned"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CERT_SUFFIXES = (".pem", ".crt", ".cer", ".der")
FORM_SUFFIXES = (".pdf", ".docx", ".doc")  # the names a returned form has (an old .doc is read to say so)
# what one cell shows: Excel holds 32,767 characters a cell, a form's answers are far shorter, and a
# hostile form's megabytes of field name or value stay out of the spreadsheet (its row says so)
MAX_CELL_CHARS = 10_000
CUT_MARK = "\u2026"


@dataclass(frozen=True)
class RegisterOptions:
    folder: Path
    out: Path = Path("register.csv")
    organisations: Path | None = None
    trust: Path | None = None
    sources: Path = Path("sources")
    templates: Path = Path("templates")
    document: str | None = None  # the form returned, when the pack has several
    timeout: float = REGISTER_SECONDS
    memory_mb: int = REGISTER_MEMORY_MB
    workers: int = 2


@dataclass
class RegisterReport:
    out: Path
    readings: list[tuple[str, Reading]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    twice: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0
    slowest: float = 0.0
    peak_mb: float = 0.0
    cut: int = 0  # rows with a cell cut to MAX_CELL_CHARS

    def count(self, status: str) -> int:
        return sum(1 for _, r in self.readings if r.status == status)

    def summary(self) -> str:
        signed = Counter(r.signed for _, r in self.readings if r.status == OK)
        parts = [f"registered {self.count(OK)} form(s) ({signed[DIGITAL]} signed digitally, {signed[TYPED]} with a "
                 f"typed name)"]
        problems = Counter(r.signature_problem for _, r in self.readings if r.status == OK and r.signature_problem)
        for key, why in SIGNATURE_PROBLEMS.items():
            if problems[key]:
                parts.append(f"{problems[key]} signature{'s' if problems[key] > 1 else ''} {key}: {why}")
        if self.count(MANUAL):
            parts.append(f"{self.count(MANUAL)} need manual entry")
        if self.count(NOT_OURS):
            parts.append(f"{self.count(NOT_OURS)} {NOT_OURS}")
        if self.count(UNREADABLE):
            parts.append(f"{self.count(UNREADABLE)} could not be read")
        if self.missing:
            parts.append(f"{len(self.missing)} organisation(s) have not returned a form")
        if self.twice:
            parts.append(f"{len(self.twice)} returned more than one")
        if self.cut:
            parts.append(f"{self.cut} with a value longer than {MAX_CELL_CHARS:,} characters, cut in the register")
        return f"packgen: {', '.join(parts)}; {len(self.readings)} file(s) in {self.seconds:.2f}s -> {self.out}"


def expectation(sources: Path, templates: Path, trust: Path | None,
                document: str | None = None) -> tuple[FormSpec, Expect]:
    """What a returned form should hold: the fields of both variants (their labels differ)."""
    spec, _ = load_spec(sources, templates, "standard", document)
    fields = [(f.id, f.label, f.type) for f in spec.fields]
    # what an untouched Word control shows (its hint in words), read as empty even where a tool that
    # resaved the form dropped Word's placeholder flag (LibreOffice does)
    placeholders = {(f.id, f.placeholder) for f in spec.fields if f.type != "checkbox"}
    try:
        easy, _ = load_spec(sources, templates, "easy-read", spec.document.id)
        fields += [(f.id, f.label, f.type) for f in easy.fields if (f.id, f.label, f.type) not in fields]
        placeholders |= {(f.id, f.placeholder) for f in easy.fields if f.type != "checkbox"}
    except PackgenError:
        pass
    roots = load_trust(trust) if trust is not None else ()
    typed = spec.typed_name
    return spec, Expect(fields=tuple(fields), name_field=spec.name_field.id, typed_name=typed.id if typed else "",
                        title=spec.document.metadata.title.split(":")[0], trust_roots=roots,
                        trust_given=trust is not None, placeholders=tuple(sorted(placeholders)))


def load_trust(folder: Path) -> tuple[bytes, ...]:
    """Every certificate in the folder's PEM or DER files, as DER; a file that holds none is an error,
    and so is a name of theirs where something else is (a folder, a pipe, which is never opened): the
    certificate meant to be there would be missed, and the signatures it vouches for said untrusted."""
    from asn1crypto import pem, x509

    folder = Path(folder)
    if not folder.is_dir():
        raise PackgenError("the --trust folder is a file, not a folder: name the folder the certificate files "
                           "are in" if folder.exists() else "the --trust folder does not exist", folder)
    found: list[bytes] = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in CERT_SUFFIXES:
            continue
        there = what_is_at(path)
        if there is not None:
            raise PackgenError(f"this is {there}, not a "
                               "certificate file: put the certificate file itself in the --trust folder", path)
        data = path.read_bytes()
        blobs = [der for _, _, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
        try:
            for der in blobs:
                _ = x509.Certificate.load(der).native  # parse it now: a bad file is the user's to fix
                found.append(der)
        except (ValueError, TypeError, KeyError) as exc:
            raise PackgenError(f"this is not a certificate in PEM or DER form ({exc})", path) from None
    if not found:
        raise PackgenError(f"no certificates ({', '.join(CERT_SUFFIXES)}) in the --trust folder", folder)
    return tuple(found)


def returned_files(folder: Path, skip: Path | None = None) -> list[Path]:
    """Every file in the folder and its subfolders, every subfolder named like a form and every link
    to a folder, hidden files and our own temporary files aside."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PackgenError("this folder does not exist", folder)
    skip_real = skip.resolve() if skip is not None else None
    files = []
    for top, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        # a folder named like a form stands where someone's form should be: its row says it is a
        # folder, and what it holds is still read. A link to a folder is not followed (os.walk does
        # not go in): its row says the forms in it are not read
        for name in sorted([*names, *(d for d in dirs if Path(d).suffix.lower() in FORM_SUFFIXES
                                      or (Path(top) / d).is_symlink())]):
            if name.startswith((".", "~$")) or TEMP_MARK in name:
                continue
            path = Path(top) / name
            if skip_real is not None and not path.is_symlink() and path.resolve() == skip_real:
                continue
            files.append(path)
    return files


def register(options: RegisterOptions) -> RegisterReport:
    started = time.perf_counter()
    _check_bounds(options)
    _check_out(Path(options.out), Path(options.folder))
    spec, expect = expectation(options.sources, options.templates, options.trust, options.document)
    organisations = []
    if options.organisations is not None:
        rows = read_organisations(options.organisations, spec, only_known=False)
        organisations = [r.values[spec.name_field.id] for r in rows]
    files = returned_files(options.folder, skip=options.out)
    report = RegisterReport(out=options.out)
    results: dict[int, Reading] = {}
    sandbox = Sandbox(partial(_read_one, expect=expect), workers=options.workers, seconds=options.timeout,
                      memory_mb=options.memory_mb)
    for index, _path, outcome in sandbox.map([str(p) for p in files]):
        results[index] = outcome.result if outcome.ok and outcome.result is not None else Reading(
            UNREADABLE, outcome.problem)
        report.slowest = max(report.slowest, outcome.seconds)
        report.peak_mb = max(report.peak_mb, outcome.peak_mb)
    report.readings = [(_relative(files[i], options.folder), results[i]) for i in range(len(files))]
    returned_by = _match(report.readings, organisations, spec.name_field.id)
    report.missing = [org for org in organisations if not returned_by.get(org)]
    report.twice = {org: names for org, names in returned_by.items() if len(names) > 1}
    _write(options.out, spec, report, returned_by)
    report.seconds = time.perf_counter() - started
    return report


def _check_bounds(options: RegisterOptions) -> None:
    """The limits each file is read within are what make a hostile file cost one row: none may be off."""
    problem = bounds_problem(options.memory_mb, options.timeout)
    if problem:
        raise PackgenError(problem)


def _check_out(out: Path, folder: Path) -> None:
    """Where the register goes is checked before the forms are read, which may take minutes: never a
    folder, a pipe or a device, nor a returned form (writing the register would replace it)."""
    there = not_a_file(out)
    if there == FOLDER:
        raise PackgenError(f"this is a folder: name the register's CSV file, for example {out / 'register.csv'}",
                           out)
    if there == PIPE:
        raise PackgenError(f"this is not an ordinary file ({PIPE}): name the register's CSV file, for example "
                           "register.csv", out)
    if out.exists() and out.suffix.lower() != ".csv" and out.resolve().is_relative_to(folder.resolve()):
        raise PackgenError("this is a file in the folder of returned forms, which the register would replace: "
                           "name a .csv file for the register, for example register.csv", out)
    make_folder(out.parent, "the register is written in a folder")


def _read_one(path: str, expect: Expect) -> Reading:
    return readers.read(path, expect)


def _relative(path: Path, folder: Path) -> str:
    """The file's name in the register: a byte of it that is not UTF-8 is shown as \\xff, not lost."""
    try:
        name = path.relative_to(folder).as_posix()
    except ValueError:
        name = path.as_posix()
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _match(readings: list[tuple[str, Reading]], organisations: list[str], name_id: str) -> dict[str, list[str]]:
    """Which files each organisation returned: by the name in the form, else by the file name we gave it."""
    by_key = {_key(org): org for org in organisations}
    by_stem = {slug(org).casefold(): org for org in organisations if slug(org)}
    returned: dict[str, list[str]] = {org: [] for org in organisations}
    for name, reading in readings:
        if reading.status not in (OK, MANUAL):
            continue
        org = by_key.get(_key(reading.values.get(name_id, "")))
        if org is None:
            org = by_stem.get(Path(name).stem.casefold())
        if org is not None:
            returned[org].append(name)
    return returned


def safe_cell(value: str) -> str:
    """A cell Excel shows as text: one starting = + - @ (or a tab or return) is prefixed with '."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


def _bounded_row(header: list[str], row: list[str]) -> tuple[list[str], list[str]]:
    """(the row, the columns cut): each cell shows at most MAX_CELL_CHARS characters of its value,
    followed by an ellipsis when cut, and the row's problem (its third cell) names the columns cut."""
    cut = [column for column, cell in zip(header, row, strict=True) if len(cell) > MAX_CELL_CHARS]
    if not cut:
        return row, cut
    row = [cell if len(cell) <= MAX_CELL_CHARS else cell[:MAX_CELL_CHARS] + CUT_MARK for cell in row]
    note = f"longer than {MAX_CELL_CHARS:,} characters, so cut here: {', '.join(cut)}"
    problem = row[2]
    if len(problem) + len(note) > MAX_CELL_CHARS:  # the problem itself was cut: room for the note
        problem = problem[:MAX_CELL_CHARS - len(note) - 3] + CUT_MARK
    row[2] = f"{problem}; {note}" if problem else note
    return row, cut


def _write(out: Path, spec: FormSpec, report: RegisterReport, returned_by: dict[str, list[str]]) -> None:
    value_ids = [f.id for f in spec.values]
    commitments = spec.commitments
    header = ["file", "status", "problem", *value_ids, "commitments ticked", "commitments",
              "signed", "signature intact", "signature valid", "trusted", "modified after signing", "signer",
              "signing time", "returned"]
    files_of: dict[str, str] = {}
    for org, names in report.twice.items():
        for name in names:
            files_of[name] = f"{org} returned {len(names)} forms: {'; '.join(names)}"
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for name, r in report.readings:
        ticked = [c for c in commitments if r.values.get(c.id)]
        counted = f"{len(ticked)} of {len(commitments)}" if r.status == OK else ""
        # by their words, as the organisation read them, one a line; the id says which to count by
        words = "\n".join(f"{c.label} ({c.id})" for c in ticked)
        row = [name, r.status, r.problem, *(r.values.get(v, "") for v in value_ids), counted, words,
               r.signed if r.status == OK else "", r.intact, r.valid, r.trusted, r.modified, r.signer,
               r.signing_time, files_of.get(name, "")]
        bounded, cut = _bounded_row(header, [str(cell) for cell in row])
        report.cut += bool(cut)
        writer.writerow([safe_cell(cell) for cell in bounded])
    name_column = value_ids.index(spec.name_field.id)
    for org in report.missing:
        row = ["", NOT_RETURNED, "no form from this organisation", *[""] * len(value_ids)]
        row[3 + name_column] = org
        writer.writerow([safe_cell(cell) for cell in row + [""] * (len(header) - len(row))])
    out = Path(out)
    try:
        with atomic_path(out) as tmp:
            tmp.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    except OSError as exc:
        raise PackgenError(f"cannot write the register ({exc.strerror or exc})", out) from None
