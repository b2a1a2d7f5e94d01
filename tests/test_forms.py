"""`packgen forms`: CSVs as Excel saves them, safe file names, Word forms filled as the writer fills them.

Files are read back with python-docx's XML (a library nobody on the project wrote) and, for the
safety of names, by looking at what landed on disk, inside and outside --out.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from packgen import writers
from packgen.forms.csvinput import CsvError, normalise, read_organisations
from packgen.forms.names import MAX_BYTES, Namer, inside, slug
from packgen.forms.spec import load_spec
from packgen.model import FormBlock
from packgen.writers.docx.fill import DocxTemplate

from conftest import ROOT, ended_when_told, run_packgen

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
AWKWARD = ["../../x", "CON", "!!! ...", "Acme Housing", "Acme Housing", "مؤسسة الخير للرعاية",
           "Zażółć & Co <Ltd>", "/etc/passwd", "nul.txt", "COM1", "a" * 300, "Cymdeithas Tai Ŵyn a'r Ŷd"]


@functools.cache
def shipped_spec():
    return load_spec(ROOT / "sources", ROOT / "sources" / "templates")[0]


@pytest.fixture(scope="module")
def spec():
    return shipped_spec()


# The organisation's details the pledge form requires (besides its name): every CSV that makes forms has them.
DETAILS = {"lead-name": "Ann Jones", "lead-role": "Director", "email": "ann@example.org"}


def with_details(rows: list[list[str]]) -> list[list[str]]:
    """The rows with a column in front for each required detail the header lacks, the same in every row."""
    named = {normalise(title) for title in rows[0]}
    missing = [k for k in DETAILS if normalise(k) not in named]
    return [missing + rows[0]] + [[DETAILS[k] for k in missing] + row for row in rows[1:]]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)  # as Excel writes it
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def controls(path: Path) -> dict[str, str]:
    """Every content control's value by tag, as python-docx's parsed XML holds it ("true"/"" for ticks)."""
    body = docx.Document(str(path)).element.body
    out = {}
    for sdt in body.iter(f"{{{W}}}sdt"):
        tag = sdt.find(f"{{{W}}}sdtPr/{{{W}}}tag").get(f"{{{W}}}val")
        box = sdt.find(f"{{{W}}}sdtPr/{{{W14}}}checkbox/{{{W14}}}checked")
        if box is not None:
            out[tag] = "true" if box.get(f"{{{W14}}}val") == "1" else ""
        elif sdt.find(f"{{{W}}}sdtPr/{{{W}}}showingPlcHdr") is not None:
            out[tag] = ""
        else:
            content = sdt.find(f"{{{W}}}sdtContent")
            out[tag] = "\n".join("".join(t.text or "" for t in r.iter(f"{{{W}}}t")) for r in _lines(content))
    return out


def _lines(content):
    """Runs grouped into lines at each w:br."""
    lines, current = [], []
    for run in content.iter(f"{{{W}}}r"):
        if run.find(f"{{{W}}}br") is not None:
            lines.append(current)
            current = []
        else:
            current.append(run)
    lines.append(current)
    return [etree.Element("x") if not ln else _wrap(ln) for ln in lines]


def _wrap(runs):
    holder = etree.Element("x")
    for r in runs:
        holder.append(etree.fromstring(etree.tostring(r)))
    return holder


def all_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


# --- file names ---------------------------------------------------------------------------------

def test_awkward_organisation_names_make_one_correct_file_each_inside_out(tmp_path: Path) -> None:
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    rows = [["Organisation", "Lead name", "Lead role", "email"]] + [[name, "Ann Jones", "Director", "ann@example.org"]
                                                                for name in AWKWARD]
    orgs = write_csv(work / "orgs.csv", rows)
    out = work / "out"
    before = all_files(tmp_path)
    result = run_packgen("forms", "--organisations", str(orgs), "--out", str(out), "--format", "docx")
    assert result.returncode == 0, result.stderr
    made = sorted(out.iterdir())
    assert all_files(tmp_path) - before == set(made), "a file landed outside --out"
    assert len(made) == len(AWKWARD)
    assert not (tmp_path / "x.docx").exists() and not (tmp_path / "a" / "x.docx").exists()
    names = {p.name for p in made}
    assert {"x.docx", "Acme-Housing.docx", "Acme-Housing-2.docx", "Zażółć-Co-Ltd.docx",
            "مؤسسة-الخير-للرعاية.docx", "etc-passwd.docx", "Cymdeithas-Tai-Ŵyn-a-r-Ŷd.docx"} <= names
    for path in made:
        stem = path.name.split(".")[0].casefold()
        assert stem not in ("con", "nul", "com1", "prn", "aux"), path.name
        assert len(path.name.encode()) <= 255 and not path.name.startswith(".")
    # each file holds its own organisation's name, exactly as typed
    got = sorted(controls(p)["organisation"] for p in made)
    assert got == sorted(AWKWARD)
    assert "made 12 form(s)" in result.stdout and str(out) in result.stdout


def test_the_same_organisation_twice_is_a_warning_naming_its_lines(tmp_path: Path) -> None:
    orgs = write_csv(tmp_path / "orgs.csv", with_details([["organisation"], ["Acme Youth"], ["Hill Farm"],
                                                          ["Acme Youth"], ["ACME youth!"]]))
    out = tmp_path / "out"
    result = run_packgen("forms", "--organisations", str(orgs), "--out", str(out), "--format", "docx")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stdout.splitlines() if line.startswith("warning:")]
    assert warnings == [f"warning: {orgs}: lines 2, 4 and 5 have organisation names that make the same file name "
                        "('Acme Youth' and 'ACME youth!'): their forms are numbered Acme-Youth, Acme-Youth-2, "
                        "ACME-youth-3"]
    assert {p.name for p in out.iterdir()} == {"Acme-Youth.docx", "Acme-Youth-2.docx", "ACME-youth-3.docx",
                                               "Hill-Farm.docx"}
    assert controls(out / "ACME-youth-3.docx")["organisation"] == "ACME youth!"


def test_forms_left_by_an_earlier_run_with_another_csv_are_listed_and_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    old = write_csv(tmp_path / "old.csv", with_details([["organisation"], ["Old Trust"], ["Hill Farm"]]))
    new = write_csv(tmp_path / "new.csv", with_details([["organisation"], ["Hill Farm"], ["New Trust"]]))
    assert run_packgen("forms", "--organisations", str(old), "--out", str(out)).returncode == 0
    result = run_packgen("forms", "--organisations", str(new), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (f"warning: 2 form(s) in {out} are not from this run (an earlier run's, with another CSV?); they were "
            "left as they are, delete them if they are no longer wanted: Old-Trust.docx, Old-Trust.pdf"
            ) in result.stdout.splitlines()
    assert controls(out / "Old-Trust.docx")["organisation"] == "Old Trust"  # never deleted without asking
    again = run_packgen("forms", "--organisations", str(new), "--out", str(out), "--format", "docx")
    assert "Old-Trust.docx, Old-Trust.pdf" in again.stdout and "Hill-Farm.pdf" in again.stdout


@pytest.mark.parametrize("name, stem", [
    ("../../x", "x"), ("/etc/passwd", "etc-passwd"), ("C:\\Windows\\system32", "C-Windows-system32"),
    ("a\x00b", "a-b"), ("..", ""), ("!!!", ""), ("  Zażółć & Co <Ltd>  ", "Zażółć-Co-Ltd"),
    ("e\u0301cole", "école"), ("\u202eevil\u202c", "evil"),
])
def test_slug(name: str, stem: str) -> None:
    assert slug(name) == stem


def test_reserved_duplicate_and_empty_names_get_distinct_safe_stems(tmp_path: Path) -> None:
    namer = Namer()
    stems = [namer.stem(n, f"row-{i}") for i, n in enumerate(["CON", "con", "Acme", "ACME", "acme", "!!!", "COM1.txt"])]
    assert stems == ["CON-row-0", "con-row-1", "Acme", "ACME-2", "acme-3", "row-5", "COM1-txt"]
    long = namer.stem("Ŵ" * 400, "row-9")
    assert len(long.encode()) <= MAX_BYTES
    for stem in stems + [long]:
        assert inside(tmp_path, stem, ".pdf").parent == tmp_path.resolve()


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=200))
def test_no_name_leaves_the_folder(tmp_path_factory, name: str) -> None:
    out = tmp_path_factory.mktemp("names")
    stem = Namer().stem(name, "row-2")
    target = inside(out, stem, ".docx")
    assert target.parent == out.resolve()
    target.write_bytes(b"x")  # the file system accepts it
    assert [p.name for p in out.iterdir()] == [target.name]


def test_inside_refuses_unsafe_stems(tmp_path: Path) -> None:
    from packgen.errors import PackgenError

    for bad in ("../x", "a/b", "a\\b", "a\x00b", ".hidden", "CON", ""):
        with pytest.raises(PackgenError):
            inside(tmp_path, bad, ".pdf")


# --- CSV files as Excel saves them ----------------------------------------------------------------

def test_utf8_with_bom_and_headers_by_label_in_any_case(tmp_path: Path, spec) -> None:
    path = write_csv(tmp_path / "orgs.csv", [["NAME OF YOUR ORGANISATION", " lead_name ", "Email Address",
                                             "their job title or role"],
                                            ["Zażółć & Co <Ltd>", "Siân Ŵyn", "sian@example.org", "Chair"]])
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_organisations(path, spec)
    assert rows[0].values == {"organisation": "Zażółć & Co <Ltd>", "lead-name": "Siân Ŵyn", "email": "sian@example.org",
                              "lead-role": "Chair"}
    assert rows[0].line == 2


def test_windows_1252_csv(tmp_path: Path, spec) -> None:
    path = write_csv(tmp_path / "orgs.csv", with_details([["organisation", "first-steps"],
                                                         ["Café Société Ltd", "Pay £20 – “fair”"]]), encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    rows = read_organisations(path, spec)
    assert rows[0].values == {**DETAILS, "organisation": "Café Société Ltd", "first-steps": "Pay £20 – “fair”"}


def test_quotes_inside_a_cell_as_excel_doubles_them(tmp_path: Path, spec) -> None:
    path = write_csv(tmp_path / "orgs.csv", with_details([["organisation"], ['The "Open Door" Trust']]))
    assert b'"The ""Open Door"" Trust"' in path.read_bytes()
    [row] = read_organisations(path, spec)
    assert row.values["organisation"] == 'The "Open Door" Trust'


def test_semicolons_and_ticks(tmp_path: Path, spec) -> None:
    tick = spec.commitments[0]
    path = tmp_path / "orgs.csv"
    path.write_text(f"organisation;lead-name;lead-role;email;{tick.id}\nA;Ann;Chair;a@example.org;yes\n"
                    "B;Bob;Chair;b@example.org;\n", "utf-8")
    rows = read_organisations(path, spec)
    assert [r.values[tick.id] for r in rows] == ["true", ""]


@pytest.mark.parametrize("rows, line, words", [
    ([["organisation", "lead-name"], ["A", "Ann"], ["", "Bob"]], 3, "required value 'organisation' is empty"),
    ([["organisation", "favourite colour"], ["A", "red"]], 1, "'favourite colour' is not a field"),
    ([["organisation", "signature"], ["A", "x"]], 1, "signature"),
    ([["lead-name"], ["Ann"]], 1, "no column for the organisation's name"),
    ([["organisation", "email"], ["A", "a@example.org"], ["B", "not an address"]], 3, "not an email address"),
    ([["organisation", "first-steps"], ["A", "one\ntwo\nthree"], ["B", "x", "extra"]], 5, "only 5 column headers"),
    ([["organisation", "date"], ["A", "next week"]], 2, "not a date"),
    ([["organisation", "Lead name", "lead-name"], ["A", "x", "y"]], 1, "both the field 'lead-name'"),
])
def test_csv_errors_name_the_line(tmp_path: Path, spec, rows, line: int, words: str) -> None:
    path = write_csv(tmp_path / "orgs.csv", with_details(rows))
    with pytest.raises(CsvError) as caught:
        read_organisations(path, spec)
    assert caught.value.line == line and words in str(caught.value)
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_a_required_detail_without_a_column_is_an_error_naming_the_csv_and_the_field(tmp_path: Path) -> None:
    orgs = write_csv(tmp_path / "orgs.csv", [["organisation", "lead-name", "lead-role"],
                                            ["Acme Youth", "Ann", "Chair"]])
    out = tmp_path / "out"
    result = run_packgen("forms", "--organisations", str(orgs), "--out", str(out), "--format", "docx")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"packgen: error: {orgs}:1: ") and "'email' (Email address)" in line
    assert not out.exists() or not any(out.iterdir())


def test_what_the_signer_completes_is_never_required_in_the_csv(tmp_path: Path) -> None:
    # the signer's name, role and date columns may be there and empty: the person signing fills them in
    orgs = write_csv(tmp_path / "orgs.csv", with_details([["organisation", "signed-name", "signed-role", "date"],
                                                          ["Acme Youth", "", "", ""]]))
    out = tmp_path / "out"
    result = run_packgen("forms", "--organisations", str(orgs), "--out", str(out), "--format", "docx")
    assert result.returncode == 0, result.stderr
    got = controls(out / "Acme-Youth.docx")
    assert got["organisation"] == "Acme Youth" and got["email"] == DETAILS["email"]
    assert got["signed-name"] == got["signed-role"] == got["date"] == ""


@pytest.mark.parametrize("date", ["31/02/2027", "29/02/2027", "2027-13-01", "00/01/2027"])
def test_a_date_the_calendar_does_not_have_is_an_error_naming_the_line(tmp_path: Path, date: str) -> None:
    orgs = write_csv(tmp_path / "orgs.csv", with_details([["organisation", "date"], ["Acme Youth", "28/02/2027"],
                                                          ["Hill Farm", date]]))
    out = tmp_path / "out"
    result = run_packgen("forms", "--organisations", str(orgs), "--out", str(out), "--format", "docx")
    assert result.returncode == 1
    assert result.stderr.strip() == (f"packgen: error: {orgs}:3: '{date}' in the column 'date' is not a date the "
                                     "calendar has (check the day and the month)")
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("lead", ["Lead name", "lead_name", "LEAD-NAME", "Lead name:", "lead.name", " Lead  Name * "])
def test_headers_match_whatever_their_case_spaces_and_punctuation(tmp_path: Path, spec, lead: str) -> None:
    path = write_csv(tmp_path / "orgs.csv", [["Organisation", lead, "Lead role", "E-mail"],
                                            ["Acme Youth", "Siân Ŵyn", "Chair", "sian@example.org"]])
    [row] = read_organisations(path, spec)
    assert row.values == {"organisation": "Acme Youth", "lead-name": "Siân Ŵyn", "lead-role": "Chair",
                          "email": "sian@example.org"}


def test_an_unknown_header_lists_the_accepted_ones(tmp_path: Path, spec) -> None:
    orgs = write_csv(tmp_path / "orgs.csv", with_details([["organisation", "Telephon"],
                                                          ["Acme Youth", "01632 960000"]]))
    result = run_packgen("forms", "--organisations", str(orgs), "--out", str(tmp_path / "out"), "--format", "docx")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"packgen: error: {orgs}:1: the column 'Telephon' is not a field of the pledge form "
                           "(did you mean 'telephone'?)")
    accepted = line.split(": ")[-1].split(", ")
    assert accepted == [f.id for f in spec.fields if f.type != "signature"]


def test_cli_reports_a_bad_row_in_one_line(tmp_path: Path) -> None:
    orgs = write_csv(tmp_path / "orgs.csv", with_details([["organisation", "lead-name"], ["A", "Ann"], ["", "Bob"]]))
    result = run_packgen("forms", "--organisations", str(orgs), "--out", str(tmp_path / "out"), "--format", "docx")
    assert result.returncode == 1
    assert result.stderr.strip() == f"packgen: error: {orgs}:3: the required value 'organisation' is empty"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_file_that_is_not_text_is_refused(tmp_path: Path) -> None:
    orgs = tmp_path / "orgs.csv"
    orgs.write_bytes(b"PK\x03\x04\x00\x00binary")
    result = run_packgen("forms", "--organisations", str(orgs), "--out", str(tmp_path / "out"), "--format", "docx")
    assert result.returncode == 1 and "Traceback" not in result.stderr and "not a text file" in result.stderr


# --- Word forms --------------------------------------------------------------------------------------

def test_filled_copy_is_what_the_writer_makes_with_the_values(tmp_path: Path, spec) -> None:
    values = {"organisation": "Zażółć & Co <Ltd>", "lead-name": "  Siân  ", "email": "a@example.org",
              "first-steps": "Line one\nمؤسسة الخير\nLine three", "date": "2025-06-01",
              spec.commitments[1].id: "true"}
    theme = load_spec(ROOT / "sources", ROOT / "sources" / "templates")[1]
    blank, filled_by_writer = tmp_path / "blank.docx", tmp_path / "writer.docx"
    writers.get("docx").write(spec.document, theme, blank)
    blocks = tuple(replace(b, fields=tuple(replace(f, value=values.get(f.id, "")) for f in b.fields))
                   if isinstance(b, FormBlock) else b for b in spec.document.blocks)
    writers.get("docx").write(replace(spec.document, blocks=blocks), theme, filled_by_writer)
    ours = DocxTemplate.from_path(blank).fill(values)

    def document_xml(data: bytes) -> bytes:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return etree.tostring(etree.fromstring(z.read("word/document.xml")), method="c14n")

    assert document_xml(ours) == document_xml(filled_by_writer.read_bytes())
    (tmp_path / "ours.docx").write_bytes(ours)
    got = controls(tmp_path / "ours.docx")
    assert got["organisation"] == "Zażółć & Co <Ltd>" and got["first-steps"] == values["first-steps"]
    assert got[spec.commitments[1].id] == "true" and got[spec.commitments[0].id] == ""
    assert got["lead-role"] == ""


def test_many_forms_use_the_pool_and_leave_no_temporary_files(tmp_path: Path, spec) -> None:
    rows = [["organisation", "lead-name", "lead-role", "email", spec.commitments[0].id]]
    rows += [[f"Organisation {i} Zażółć", f"Lead {i}", "Director", f"lead{i}@example.org", "yes" if i % 2 else ""]
             for i in range(90)]
    orgs = write_csv(tmp_path / "orgs.csv", rows)
    out = tmp_path / "out"
    result = run_packgen("forms", "--organisations", str(orgs), "--out", str(out), "--format", "docx", "--progress")
    assert result.returncode == 0, result.stderr
    assert "90/90 organisations" in result.stderr  # the bar, forced on although stderr is not a terminal
    made = sorted(out.iterdir())
    assert len(made) == 90 and all(not p.name.startswith(".") for p in made)
    for i in (0, 45, 89):
        got = controls(out / f"Organisation-{i}-Zażółć.docx")
        assert got["lead-name"] == f"Lead {i}" and got[spec.commitments[0].id] == ("true" if i % 2 else "")


def start_many_forms(tmp_path: Path, mark: str = "") -> tuple[subprocess.Popen, Path]:
    """`packgen forms` making 4,000 PDF forms, in a session of its own, once its pool is writing."""
    rows = [["organisation", "lead-name", "lead-role", "email"]]
    rows += [[f"Organisation {i}", f"Lead {i}", "Director", f"lead{i}@example.org"] for i in range(4000)]
    orgs = write_csv(tmp_path / "orgs.csv", rows)
    out = tmp_path / "out"
    command = subprocess.Popen([sys.executable, "-m", "packgen", "forms", "--organisations", str(orgs), "--out",
                                str(out), "--format", "pdf"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True,
                               env={**os.environ, "PACKGEN_TEST_MARK": mark})
    while not (out.is_dir() and len(list(out.iterdir())) > 40):  # the pool is writing
        assert command.poll() is None, command.communicate()
        time.sleep(0.05)
    return command, out


def assert_stopped_leaving_whole_forms(command: subprocess.Popen, out: Path, mark: str = "") -> None:
    said, left = ended_when_told(command, mark)
    assert command.returncode == 130, said
    assert said.strip().splitlines() == ["packgen: stopped"], said
    assert left == []
    for form in out.iterdir():
        assert not form.name.startswith(".") and pikepdf.open(form).pages, form


def test_ctrl_c_stops_many_forms_with_one_line_and_only_whole_forms_left(tmp_path: Path, spec) -> None:
    command, out = start_many_forms(tmp_path)
    # Ctrl-C in a terminal reaches every process of the command (its process group)
    os.killpg(command.pid, signal.SIGINT)
    assert_stopped_leaving_whole_forms(command, out)


@pytest.mark.parametrize("to_group", [False, True], ids=["the command", "its process group"])
def test_a_closing_terminal_stops_many_forms_as_ctrl_c_does_and_no_worker_outlives_them(tmp_path: Path,
                                                                                        to_group: bool) -> None:
    # A terminal that closes sends SIGHUP to what runs in it; `kill -HUP` sends it to the command alone.
    mark = f"packgen-hup-{os.getpid()}-{tmp_path.name}"
    command, out = start_many_forms(tmp_path, mark)
    (os.killpg if to_group else os.kill)(command.pid, signal.SIGHUP)
    assert_stopped_leaving_whole_forms(command, out, mark)


def test_no_bar_when_not_a_terminal(tmp_path: Path) -> None:
    orgs = write_csv(tmp_path / "orgs.csv", with_details([["organisation"], ["A"]]))
    result = run_packgen("forms", "--organisations", str(orgs), "--out", str(tmp_path / "out"), "--format", "docx")
    assert result.returncode == 0 and result.stderr == ""


def test_libreoffice_opens_a_filled_form(tmp_path: Path) -> None:
    from conftest import require

    soffice = require("soffice")
    orgs = write_csv(tmp_path / "orgs.csv", with_details([["organisation", "lead-name"],
                                                          ["Zażółć & Co <Ltd>", "Siân Ŵyn"]]))
    out = tmp_path / "out"
    assert run_packgen("forms", "--organisations", str(orgs), "--out", str(out), "--format", "docx").returncode == 0
    import subprocess

    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "txt:Text",
                    "--outdir", str(tmp_path / "txt"), str(out / "Zażółć-Co-Ltd.docx")], check=True,
                   capture_output=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    text = (tmp_path / "txt" / "Zażółć-Co-Ltd.txt").read_text("utf-8-sig")
    assert "Zażółć & Co <Ltd>" in text and "Siân Ŵyn" in text


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-be"])
def test_a_utf32_csv_is_read(tmp_path: Path, spec, encoding: str) -> None:
    path = tmp_path / "orgs.csv"
    bom = b"" if encoding == "utf-32" else b"\x00\x00\xfe\xff"
    path.write_bytes(bom + "organisation,lead-name,lead-role,email\nCymdeithas,Siân,Cadeirydd,s@example.org\n"
                     .encode(encoding))
    rows = read_organisations(path, spec)
    assert rows[0].values == {"organisation": "Cymdeithas", "lead-name": "Siân", "lead-role": "Cadeirydd",
                              "email": "s@example.org"}


def test_a_pipe_named_as_the_csv_is_one_line_not_a_wait(tmp_path: Path) -> None:
    pipe = tmp_path / "orgs.csv"
    os.mkfifo(pipe)
    result = run_packgen("forms", "--organisations", str(pipe), "--out", str(tmp_path / "out"), "--format", "docx")
    assert result.returncode == 1
    assert result.stderr.strip() == (f"packgen: error: {pipe}: this is not an ordinary file (a pipe or a device?): "
                                     "name the CSV file")


def test_excel_unicode_text_is_read(tmp_path: Path, spec) -> None:
    """Excel's "Unicode Text" is tab-separated UTF-16 with a byte-order mark."""
    path = tmp_path / "orgs.txt"
    path.write_bytes("organisation\tlead-name\tlead-role\temail\r\nمؤسسة الخير\tفاطمة\tمديرة\tf@example.org\r\n"
                     .encode("utf-16"))
    rows = read_organisations(path, spec)
    assert rows[0].values == {"organisation": "مؤسسة الخير", "lead-name": "فاطمة", "lead-role": "مديرة",
                              "email": "f@example.org"}


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400)
       | st.text(max_size=400).map(lambda t: ("organisation,lead-name,lead-role,email\n" + t).encode()))
def test_any_bytes_give_rows_or_a_csv_error(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("csv") / "orgs.csv"
    path.write_bytes(data)
    spec = shipped_spec()
    try:
        rows = read_organisations(path, spec)
    except CsvError as exc:
        assert exc.path == path and exc.message
    else:
        assert all(r.values["organisation"] for r in rows)
