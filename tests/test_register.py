"""`packgen register`: returned forms filled and signed with tools nobody on the project wrote
(pypdf fills, pyHanko signs with a certificate made here, lxml edits Word content controls,
LibreOffice re-saves), read back into a CSV that Excel opens safely.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfWriter

from packgen.forms.register import safe_cell
from packgen.forms.spec import load_spec

from conftest import ROOT, ended_when_told, outlived_by, require, run_packgen
from signing import fill_pdf, make_certificate, sign_pdf
from test_forms import DETAILS, with_details

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
ORGS = ["Zażółć & Co <Ltd>", "مؤسسة الخير", "=HYPERLINK(\"http://evil.example\")", "Riverside Trust"]


@pytest.fixture(scope="module")
def spec():
    return load_spec(ROOT / "sources", ROOT / "sources" / "templates")[0]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def read_register(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def worded(spec, ids: list[str]) -> str:
    """The commitments cell for these ticks: each commitment's words as the form shows them, with its id, one a line."""
    label = {f.id: f.label for f in spec.commitments}
    return "\n".join(f"{label[i]} ({i})" for i in ids)


def register(folder: Path, out: Path, *extra: str) -> list[dict[str, str]]:
    result = run_packgen("register", str(folder), "--out", str(out), *extra)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return read_register(out)


# --- a PDF form with the pledge form's fields -----------------------------------------------------

def stand_in_pdf_form(path: Path, spec, lock: bool = False) -> Path:
    """A PDF form whose fields are named like the pledge form's (ReportLab's acroform, pyHanko's
    signature field): the returns register reads when someone's form came from another generator.
    With `lock`, signing it locks every field (the signature field's FieldMDP lock)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import FieldMDPAction, FieldMDPSpec, SigFieldSpec, append_signature_field
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(72, 800, "Pledge Form")
    y = 760
    for f in spec.fields:
        if f.type == "signature":
            continue
        if f.type == "checkbox":
            c.acroForm.checkbox(name=f.id, tooltip=f.label, x=72, y=y, size=12, fieldFlags="")
        else:
            c.acroForm.textfield(name=f.id, tooltip=f.label, x=72, y=y, width=400, height=16, fieldFlags="",
                                 maxlen=0)
        y -= 22
    c.showPage()
    c.save()
    writer = IncrementalPdfFileWriter(io.BytesIO(buffer.getvalue()))
    append_signature_field(writer, SigFieldSpec("signature", box=(72, 40, 272, 80), field_mdp_spec=FieldMDPSpec(
        FieldMDPAction.ALL) if lock else None))
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())
    return path


# --- Word forms ---------------------------------------------------------------------------------------

def docx_parts(path: Path) -> dict[str, bytes]:
    """A Word file's parts by name, to change as a hostile or unusual tool would."""
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def write_docx(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def fill_docx(source: Path, target: Path, values: dict[str, str], ticks: list[str], by: str = "tag") -> None:
    """Fill content controls as Word would: the placeholder flag removed, the text replaced, boxes ticked."""
    parts = docx_parts(source)
    root = etree.fromstring(parts["word/document.xml"])
    for sdt in root.iter(f"{{{W}}}sdt"):
        pr = sdt.find(f"{{{W}}}sdtPr")
        tag_node = pr.find(f"{{{W}}}tag" if by == "tag" else f"{{{W}}}alias")
        key = tag_node.get(f"{{{W}}}val") if tag_node is not None else None
        box = pr.find(f"{{{W14}}}checkbox")
        if box is not None and key in ticks:
            box.find(f"{{{W14}}}checked").set(f"{{{W14}}}val", "1")
            sdt.find(f".//{{{W}}}t").text = "\u2612"
        elif key in values:
            plc = pr.find(f"{{{W}}}showingPlcHdr")
            if plc is not None:
                pr.remove(plc)
            content = sdt.find(f"{{{W}}}sdtContent")
            runs = content.findall(f"{{{W}}}r")
            for r in runs[1:]:
                content.remove(r)
            run = runs[0]
            for child in list(run):
                if child.tag != f"{{{W}}}t":
                    run.remove(child)
            run.find(f"{{{W}}}t").text = values[key]
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    write_docx(target, parts)


def make_docx_forms(tmp_path: Path, names: list[str]) -> Path:
    orgs = write_csv(tmp_path / "orgs.csv", with_details([["organisation"]] + [[n] for n in names]))
    out = tmp_path / "made"
    result = run_packgen("forms", "--organisations", str(orgs), "--out", str(out), "--format", "docx")
    assert result.returncode == 0, result.stderr
    return out


# --- the tests ---------------------------------------------------------------------------------------

def test_word_round_trip_every_value_in_the_csv(tmp_path: Path, spec) -> None:
    made = make_docx_forms(tmp_path, ORGS)
    returned = tmp_path / "returned"
    returned.mkdir()
    commitments = [f.id for f in spec.commitments]
    answers = {}
    for i, path in enumerate(sorted(made.iterdir())):
        values = {"lead-name": f"Gwenllian {i}", "lead-role": "Prif Weithredwr", "email": f"g{i}@example.org",
                  "telephone": "+44 1632 960000", "first-steps": "Talu pobl yn deg", "signed-name": f"Siân {i}",
                  "signed-role": "Director", "date": "01/06/2025"}
        ticks = commitments[: i + 2]
        fill_docx(path, returned / path.name, values, ticks)
        answers[path.name] = (values, ticks)
    rows = register(returned, tmp_path / "register.csv", "--organisations", str(tmp_path / "orgs.csv"))
    by_file = {r["file"]: r for r in rows}
    assert set(by_file) == set(answers)
    for name, (values, ticks) in answers.items():
        row = by_file[name]
        assert row["status"] == "registered", row
        for key, value in values.items():
            assert row[key] == safe_cell(value), (key, row)
        assert row["commitments"] == worded(spec, ticks)
        assert row["commitments ticked"] == f"{len(ticks)} of {len(commitments)}"
        assert row["signed"] == "typed name"
    assert sorted(r["organisation"] for r in rows) == sorted(safe_cell(o) for o in ORGS)
    # the formula stays text in Excel; the telephone number too
    evil = next(r for r in rows if "HYPERLINK" in r["organisation"])
    assert evil["organisation"].startswith("'=")
    assert all(r["telephone"] == "'+44 1632 960000" for r in rows)


def test_word_form_resaved_by_libreoffice_is_still_read(tmp_path: Path, spec) -> None:
    soffice = require("soffice")
    made = make_docx_forms(tmp_path, ["Zażółć & Co <Ltd>"])
    filled = tmp_path / "filled" / "Zażółć-Co-Ltd.docx"
    filled.parent.mkdir()
    tick = spec.commitments[0].id
    fill_docx(made / "Zażółć-Co-Ltd.docx", filled, {"lead-name": "Siân Ŵyn", "email": "s@example.org"}, [tick])
    returned = tmp_path / "returned"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "docx",
                    "--outdir", str(returned), str(filled)], check=True, capture_output=True, timeout=180,
                   env={**os.environ, "HOME": str(tmp_path)})
    resaved = returned / "Zażółć-Co-Ltd.docx"
    assert resaved.read_bytes() != filled.read_bytes()
    [row] = register(returned, tmp_path / "register.csv")
    assert row["status"] == "registered", row
    assert row["organisation"] == "Zażółć & Co <Ltd>" and row["lead-name"] == "Siân Ŵyn"
    assert row["email"] == "s@example.org" and row["commitments"] == worded(spec, [tick])
    # a control left as it came still shows its placeholder (the field's hint): read as empty, not as the hint
    assert row["lead-role"] == DETAILS["lead-role"]  # pre-filled from the CSV
    assert row["signed-name"] == "" and row["first-steps"] == "", row
    assert row["signed"] != "typed name", row


def test_a_control_still_showing_its_placeholder_reads_as_empty(tmp_path: Path, spec) -> None:
    made = make_docx_forms(tmp_path, ["Riverside Trust"])
    returned = tmp_path / "returned"
    returned.mkdir()
    fill_docx(made / "Riverside-Trust.docx", returned / "a.docx", {"lead-name": "Ann"}, [])
    with zipfile.ZipFile(returned / "a.docx") as z:
        shown = "".join(etree.fromstring(z.read("word/document.xml")).itertext())
    hints = [f.help for f in spec.fields if f.help and f.id != "lead-name"]
    assert hints and all(h in shown for h in hints)  # the untouched controls show their hints in words...
    [row] = register(returned, tmp_path / "register.csv")
    assert row["status"] == "registered" and row["lead-name"] == "Ann"
    for field in spec.fields:  # ...and the register reads each of them as empty
        if field.id not in ("organisation", *DETAILS) and field.id in row:
            assert row[field.id] == "", (field.id, row[field.id])
    assert not any(h in value for h in hints for value in row.values())
    assert row["signed"] != "typed name"  # the signature's hint is not a typed name


def test_word_controls_found_by_title_when_the_tag_is_gone(tmp_path: Path, spec) -> None:
    made = make_docx_forms(tmp_path, ["Riverside Trust"])
    path = made / "Riverside-Trust.docx"
    label = {f.id: f.label for f in spec.fields}
    returned = tmp_path / "returned"
    returned.mkdir()
    # a required field's title says so ("... (required)"), as Word announces it; the register still knows it
    fill_docx(path, returned / "a.docx", {f"{label['lead-name']} (required)": "Ann"}, [spec.commitments[0].label],
              by="alias")
    with zipfile.ZipFile(returned / "a.docx") as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    for tag in list(root.iter(f"{{{W}}}tag")):
        tag.getparent().remove(tag)
    parts["word/document.xml"] = etree.tostring(root)
    with zipfile.ZipFile(returned / "a.docx", "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    [row] = register(returned, tmp_path / "register.csv")
    assert row["status"] == "registered" and row["organisation"] == "Riverside Trust" and row["lead-name"] == "Ann"
    assert row["commitments"] == worded(spec, [spec.commitments[0].id])


def test_signed_pdf_intact_valid_trusted_only_with_trust(tmp_path: Path, spec) -> None:
    blank = stand_in_pdf_form(tmp_path / "blank.pdf", spec)
    filled = tmp_path / "filled.pdf"
    values = {"organisation": "Zażółć & Co <Ltd>", "lead-name": "Siân Ŵyn", "email": "s@example.org",
              "signed-name": "Siân Ŵyn", "first-steps": "مؤسسة الخير"}
    ticks = [spec.commitments[0].id, spec.commitments[2].id]
    fill_pdf(blank, filled, values, ticks)
    cert, key = make_certificate(tmp_path / "keys")
    returned = tmp_path / "returned"
    returned.mkdir()
    sign_pdf(filled, returned / "signed.pdf", cert, key)
    fill_pdf(blank, returned / "unsigned.pdf", {**values, "signed-name": ""}, [])
    trust = tmp_path / "trust"
    trust.mkdir()
    shutil.copy(cert, trust / "partner.pem")

    rows = {r["file"]: r for r in register(returned, tmp_path / "untrusted.csv")}
    signed = rows["signed.pdf"]
    assert signed["status"] == "registered", signed
    for k, v in values.items():
        assert signed[k] == v
    assert signed["commitments"] == worded(spec, ticks)
    assert (signed["signed"], signed["signature intact"], signed["signature valid"]) == ("digital signature", "yes",
                                                                                         "yes")
    assert signed["trusted"].startswith("not checked")
    assert signed["modified after signing"] == "no"
    assert "Siân Ŵyn" in signed["signer"] and signed["signing time"][:4].isdigit()
    assert rows["unsigned.pdf"]["signed"] == "none" and rows["unsigned.pdf"]["signature valid"] == ""

    rows = {r["file"]: r for r in register(returned, tmp_path / "trusted.csv", "--trust", str(trust))}
    assert rows["signed.pdf"]["trusted"] == "yes"
    other = tmp_path / "other"
    make_certificate(other, "Someone Else")
    (other / "signer-key.pem").unlink()
    rows = {r["file"]: r for r in register(returned, tmp_path / "other.csv", "--trust", str(other))}
    assert rows["signed.pdf"]["trusted"] == "no: signed, but not by a certificate we know"
    assert rows["signed.pdf"]["signature valid"] == "yes" and rows["signed.pdf"]["problem"] == ""


def test_a_form_signed_by_two_people_names_both_and_is_as_good_as_its_worse_signature(tmp_path: Path, spec) -> None:
    blank = stand_in_pdf_form(tmp_path / "blank.pdf", spec)
    fill_pdf(blank, tmp_path / "filled.pdf", {"organisation": "Riverside Trust", "lead-name": "Ann"}, [])
    first = make_certificate(tmp_path / "chair", "Siân Ŵyn")
    second = make_certificate(tmp_path / "treasurer", "Bob Jones")
    sign_pdf(tmp_path / "filled.pdf", tmp_path / "once.pdf", *first)
    returned = tmp_path / "returned"
    returned.mkdir()
    sign_pdf(tmp_path / "once.pdf", returned / "both.pdf", *second, field="second-signature")
    data = (returned / "both.pdf").read_bytes()
    # one byte of the second signature changed: the first is as it was
    contents = list(re.finditer(rb"/Contents\s*<([0-9a-fA-F]+)>", data))[-1]
    end = contents.start(1) + len(contents.group(1).rstrip(b"0")) - 8
    (returned / "second-forged.pdf").write_bytes(data[:end] + (b"1" if data[end:end + 1] != b"1" else b"2")
                                                 + data[end + 1:])
    trust = tmp_path / "trust"
    trust.mkdir()
    shutil.copy(first[0], trust / "chair.pem")

    rows = {r["file"]: r for r in register(returned, tmp_path / "chair-trusted.csv", "--trust", str(trust))}
    both, forged = rows["both.pdf"], rows["second-forged.pdf"]
    assert both["signer"] == "Siân Ŵyn, Riverside Trust; Bob Jones, Riverside Trust", both
    assert len(both["signing time"].split("; ")) == 2
    assert (both["signed"], both["signature valid"], both["problem"]) == ("digital signature", "yes", "")
    assert both["trusted"] == "no: signed, but not by a certificate we know"  # the treasurer's is not in --trust
    assert (forged["signed"], forged["signature intact"], forged["signature valid"]) == (
        "digital signature (not valid)", "yes", "no")
    assert forged["problem"] == ("signature not valid: it does not match the certificate it names (the signature "
                                 "of Bob Jones, Riverside Trust)"), forged["problem"]

    shutil.copy(second[0], trust / "treasurer.pem")
    rows = {r["file"]: r for r in register(returned, tmp_path / "both-trusted.csv", "--trust", str(trust))}
    assert (rows["both.pdf"]["trusted"], rows["both.pdf"]["modified after signing"]) == ("yes", "no")


def change_after_signing(signed: Path, target: Path, values: dict[str, str]) -> Path:
    """An incremental update on top of the signed revision changing values, as a viewer saving again would."""
    writer = PdfWriter(str(signed), incremental=True)
    writer.update_page_form_field_values(writer.pages[0], values, auto_regenerate=False)
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def test_answers_changed_after_signing_are_a_problem_naming_them(tmp_path: Path, spec) -> None:
    blank = stand_in_pdf_form(tmp_path / "blank.pdf", spec)
    fill_pdf(blank, tmp_path / "filled.pdf", {"organisation": "Riverside Trust", "lead-name": "Ann",
                                              "email": "ann@example.org"}, [])
    cert, key = make_certificate(tmp_path / "keys")
    sign_pdf(tmp_path / "filled.pdf", tmp_path / "signed.pdf", cert, key)
    returned = tmp_path / "returned"
    returned.mkdir()
    # a plain signature lets the form be filled in after it: the change is allowed, but not what was signed
    change_after_signing(tmp_path / "signed.pdf", returned / "changed.pdf", {"lead-name": "Mallory",
                                                                               "email": "m@example.org"})
    # saved again with the same answers: nothing the register shows changed
    change_after_signing(tmp_path / "signed.pdf", returned / "saved-again.pdf", {"lead-name": "Ann"})
    trust = tmp_path / "trust"
    trust.mkdir()
    shutil.copy(cert, trust / "partner.pem")
    result = run_packgen("register", str(returned), "--out", str(tmp_path / "register.csv"), "--trust", str(trust))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert result.stdout.startswith("packgen: registered 2 form(s) (1 signed digitally, 0 with a typed name), 1 "
                                    "signature outdated: answers were changed after it was signed; the register "
                                    "shows the changed ones; 2 file(s)"), result.stdout
    rows = {r["file"]: r for r in read_register(tmp_path / "register.csv")}
    row = rows["changed.pdf"]
    assert (row["lead-name"], row["email"]) == ("Mallory", "m@example.org")
    assert row["problem"] == ("signature outdated: answers were changed after it was signed; the register shows the "
                              "changed ones (answers changed: email, lead-name)"), row["problem"]
    assert row["signed"] == "digital signature (outdated)"
    assert (row["signature intact"], row["signature valid"]) == ("yes", "yes")  # the signed revision is untouched
    assert row["trusted"] == "no: answers changed after signing", row["trusted"]
    assert row["modified after signing"] == "yes (form filling)"
    again = rows["saved-again.pdf"]
    assert (again["lead-name"], again["signed"], again["trusted"], again["problem"]) == (
        "Ann", "digital signature", "yes", ""), again


@pytest.mark.parametrize("forbidden", ["certified with no changes allowed", "fields locked"])
def test_a_form_changed_after_signing_against_the_signers_will_is_not_trusted(tmp_path: Path, spec,
                                                                            forbidden: str) -> None:
    from pyhanko.sign.fields import MDPPerm

    locked = forbidden == "fields locked"
    blank = stand_in_pdf_form(tmp_path / "blank.pdf", spec, lock=locked)
    fill_pdf(blank, tmp_path / "filled.pdf", {"organisation": "Riverside Trust", "lead-name": "Ann"}, [])
    cert, key = make_certificate(tmp_path / "keys")
    sign_pdf(tmp_path / "filled.pdf", tmp_path / "signed.pdf", cert, key,
             certify=None if locked else MDPPerm.NO_CHANGES)
    returned = tmp_path / "returned"
    returned.mkdir()
    shutil.copy(tmp_path / "signed.pdf", returned / "as-signed.pdf")
    change_after_signing(tmp_path / "signed.pdf", returned / "changed.pdf", {"lead-name": "Mallory"})
    trust = tmp_path / "trust"
    trust.mkdir()
    shutil.copy(cert, trust / "partner.pem")
    result = run_packgen("register", str(returned), "--out", str(tmp_path / "register.csv"), "--trust", str(trust))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert ("1 signed digitally" in result.stdout and "1 signature void: the file was changed after it was signed "
            "in a way its signature does not allow" in result.stdout), result.stdout
    rows = {r["file"]: r for r in read_register(tmp_path / "register.csv")}
    signed, changed = rows["as-signed.pdf"], rows["changed.pdf"]
    assert (signed["trusted"], signed["problem"], signed["lead-name"]) == ("yes", "", "Ann")
    assert changed["lead-name"] == "Mallory" and changed["signed"] == "digital signature (void)"
    assert changed["trusted"] == "no: changed after signing in a way the signature does not allow", changed
    why = "the signer locked fields of the form" if locked else "the signer allowed no changes"
    assert changed["problem"] == ("signature void: the file was changed after it was signed in a way its signature "
                                  f"does not allow ({why}; answers changed: lead-name)"), changed["problem"]
    assert changed["modified after signing"].endswith("not allowed by the signature")


def test_a_form_changed_after_signing_has_a_broken_signature_in_its_row_and_the_summary(tmp_path: Path,
                                                                                       spec) -> None:
    orgs = write_csv(tmp_path / "orgs.csv", with_details([["organisation"], ["Riverside Trust"]]))
    made = tmp_path / "made"
    assert run_packgen("forms", "--organisations", str(orgs), "--out", str(made), "--format", "pdf").returncode == 0
    ticks = [spec.commitments[1].id, spec.commitments[7].id]
    fill_pdf(made / "Riverside-Trust.pdf", tmp_path / "filled.pdf", {"signed-name": "Siân Ŵyn"}, ticks)
    cert, key = make_certificate(tmp_path / "keys")
    returned = tmp_path / "returned"
    returned.mkdir()
    sign_pdf(tmp_path / "filled.pdf", returned / "signed.pdf", cert, key)
    data = (returned / "signed.pdf").read_bytes()
    # one byte of the signed revision changed: the organisation's name, as a text editor would change it
    at = data.index(b"(Riverside Trust)") + 1
    (returned / "changed.pdf").write_bytes(data[:at] + b"Q" + data[at + 1:])
    # one byte of the signature itself changed: the signed bytes are as they were, the signature no longer fits
    contents = list(re.finditer(rb"/Contents\s*<([0-9a-fA-F]+)>", data))[-1]
    end = contents.start(1) + len(contents.group(1).rstrip(b"0")) - 8
    (returned / "forged.pdf").write_bytes(data[:end] + (b"1" if data[end:end + 1] != b"1" else b"2") + data[end + 1:])

    result = run_packgen("register", str(returned), "--out", str(tmp_path / "register.csv"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "packgen: registered 3 form(s) (1 signed digitally, 0 with a typed name), 1 signature broken: the file was "
        "changed after it was signed, 1 signature not valid: it does not match the certificate it names; 3 file(s)")
    rows = {r["file"]: r for r in read_register(tmp_path / "register.csv")}
    changed, forged, signed = rows["changed.pdf"], rows["forged.pdf"], rows["signed.pdf"]
    assert changed["organisation"] == "Qiverside Trust"
    assert changed["problem"] == "signature broken: the file was changed after it was signed"
    assert (changed["signed"], changed["signature intact"]) == ("digital signature (broken)", "no")
    assert forged["problem"] == "signature not valid: it does not match the certificate it names"
    assert (forged["signed"], forged["signature intact"], forged["signature valid"]) == (
        "digital signature (not valid)", "yes", "no")
    assert (signed["problem"], signed["signed"], signed["signature valid"]) == ("", "digital signature", "yes")
    assert signed["signer"] == "Siân Ŵyn, Riverside Trust"  # the certificate's name and organisation, in words
    # the commitments ticked, by the words the organisation read
    assert signed["commitments"].splitlines() == [f"{spec.commitments[1].label} ({ticks[0]})",
                                                  f"{spec.commitments[7].label} ({ticks[1]})"]


def test_a_charter_that_speaks_of_the_form_is_not_a_pledge_form(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", sources)
    charter = sources / "charter.md"
    text = charter.read_text("utf-8")
    heading = "## Introduction {#introduction status=published}\n"
    assert heading in text
    # another organisation's charter names the form and two of its fields on its first page
    charter.write_text(text.replace(heading, heading + "\nTo join, return the Pledge Form with the name of your "
                                    "organisation and the email address we should write to.\n"), "utf-8")
    out = tmp_path / "build"
    built = run_packgen("build", "--sources", str(sources), "--out", str(out), "--document", "charter",
                        "--variant", "standard", "--format", "pdf", "--quiet")
    assert built.returncode == 0, built.stderr
    returned = tmp_path / "returned"
    returned.mkdir()
    shutil.copy(out / "standard" / "charter.pdf", returned / "charter.pdf")
    result = run_packgen("register", str(returned), "--out", str(tmp_path / "register.csv"), "--sources",
                         str(sources))
    assert result.returncode == 0, result.stderr
    [row] = read_register(tmp_path / "register.csv")
    assert row["status"] == "not a pledge form", row
    assert "1 not a pledge form" in result.stdout


@pytest.mark.parametrize("variants", ["both", "one"])
def test_another_document_with_tick_boxes_is_not_a_pledge_form(tmp_path: Path, spec, variants: str) -> None:
    """A self-assessment checklist (appendix B) with the organisation's name and a tick box for each
    commitment and more: fields, some of them the form's, but not the form; also for a pack whose easy-read
    form has the standard one's labels (one set of fields to expect)."""
    from reportlab.pdfgen import canvas

    from packgen.forms.readers import read
    from packgen.forms.register import expectation

    path = tmp_path / "checklist.pdf"
    c = canvas.Canvas(str(path))
    c.drawString(72, 800, "Appendix B: self-assessment checklist")
    c.acroForm.textfield(name="organisation", tooltip=spec.name_field.label, x=72, y=760, width=300, height=16)
    statements = [f.label for f in spec.commitments] + [f"We can show statement {n}." for n in range(6)]
    for n, words in enumerate(statements):
        c.acroForm.checkbox(name=f"check-{n}", tooltip=words, x=72, y=730 - 22 * n, size=12)
    c.save()
    _, expect = expectation(ROOT / "sources", ROOT / "sources" / "templates", None)
    if variants == "one":
        expect = replace(expect, fields=tuple((f.id, f.label, f.type) for f in spec.fields))
    reading = read(str(path), expect)
    assert (reading.status, reading.problem[:35]) == ("not a pledge form", "a PDF form, but not the pledge form")


def test_printed_scanned_pictures_and_other_files(tmp_path: Path, spec) -> None:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    returned = tmp_path / "returned"
    returned.mkdir()
    # printed to PDF: the form's words, no fields (Poppler's pdftocairo drops the form)
    blank = stand_in_pdf_form(tmp_path / "blank.pdf", spec)
    printed = tmp_path / "print-source.pdf"
    c = canvas.Canvas(str(printed))
    y = 800
    for line in ["Pledge Form", *[f.label for f in spec.fields if f.type != "checkbox"]]:
        c.drawString(72, y, line)
        y -= 20
    c.save()
    subprocess.run([require("pdftocairo"), "-pdf", str(printed), str(returned / "printed.pdf")], check=True)
    # a scan: one picture, no text
    c = canvas.Canvas(str(returned / "scan.pdf"))
    c.drawImage(ImageReader(str(ROOT / "tests" / "fixtures" / "pixel.png")), 0, 0, 595, 842)
    c.save()
    shutil.copy(ROOT / "tests" / "fixtures" / "pixel.png", returned / "photo.png")
    (returned / "notes.txt").write_text("We pledge!", "utf-8")
    (returned / ".DS_Store").write_bytes(b"\x00\x01")
    c = canvas.Canvas(str(returned / "invoice.pdf"))
    c.drawString(72, 800, "Invoice 42: three boxes of paper")
    c.save()
    shutil.copy(blank, returned / "blank.pdf")
    rows = {r["file"]: r for r in register(returned, returned / "register.csv")}
    assert set(rows) == {"printed.pdf", "scan.pdf", "photo.png", "notes.txt", "invoice.pdf", "blank.pdf"}
    assert rows["printed.pdf"]["status"] == "needs manual entry" and "printed" in rows["printed.pdf"]["problem"]
    assert rows["scan.pdf"]["status"] == "needs manual entry"
    assert rows["photo.png"]["status"] == "needs manual entry"
    assert rows["notes.txt"]["status"] == "not a pledge form"
    assert rows["invoice.pdf"]["status"] == "not a pledge form"
    assert rows["blank.pdf"]["status"] == "registered" and rows["blank.pdf"]["signed"] == "none"


def test_who_has_not_returned_and_who_returned_twice(tmp_path: Path, spec) -> None:
    made = make_docx_forms(tmp_path, ["Riverside Trust", "Acme Housing", "Hill Farm CIC"])
    returned = tmp_path / "returned"
    returned.mkdir()
    shutil.copy(made / "Riverside-Trust.docx", returned / "riverside.docx")
    shutil.copy(made / "Riverside-Trust.docx", returned / "riverside-again.docx")
    fill_docx(made / "Acme-Housing.docx", returned / "acme.docx", {"organisation": "ACME  housing"}, [])
    rows = register(returned, tmp_path / "register.csv", "--organisations", str(tmp_path / "orgs.csv"))
    missing = [r for r in rows if r["status"] == "not returned"]
    assert [r["organisation"] for r in missing] == ["Hill Farm CIC"]
    twice = [r for r in rows if r["returned"]]
    assert sorted(r["file"] for r in twice) == ["riverside-again.docx", "riverside.docx"]
    assert "Riverside Trust returned 2 forms" in twice[0]["returned"]
    assert not next(r for r in rows if r["file"] == "acme.docx")["returned"]
    result = run_packgen("register", str(returned), "--out", str(tmp_path / "r2.csv"), "--organisations",
                         str(tmp_path / "orgs.csv"))
    assert "1 organisation(s) have not returned a form" in result.stdout and "1 returned more than one" in result.stdout


def test_bad_trust_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "returned").mkdir()
    trust = tmp_path / "trust"
    trust.mkdir()
    (trust / "root.pem").write_text("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n")
    result = run_packgen("register", str(tmp_path / "returned"), "--out", str(tmp_path / "r.csv"), "--trust",
                         str(trust))
    assert result.returncode == 1 and "Traceback" not in result.stderr and "root.pem" in result.stderr
    result = run_packgen("register", str(tmp_path / "nowhere"), "--out", str(tmp_path / "r.csv"))
    assert result.returncode == 1 and "does not exist" in result.stderr
    result = run_packgen("register", str(tmp_path / "returned"), "--out", str(tmp_path / "r.csv"), "--trust",
                         str(trust / "root.pem"))
    assert result.returncode == 1 and result.stderr.strip() == (
        f"packgen: error: {trust / 'root.pem'}: the --trust folder is a file, not a folder: name the folder the "
        "certificate files are in")


def link_to_nothing(path: Path) -> None:
    path.symlink_to(path.parent / "moved-away.pem")


def link_to_a_folder(path: Path) -> None:
    (path.parent / "old certificates").mkdir()
    path.symlink_to(path.parent / "old certificates", target_is_directory=True)


@pytest.mark.parametrize("made, there", [(os.mkfifo, "a pipe or a device"), (Path.mkdir, "a folder"),
                                         (link_to_nothing, "a link that leads nowhere"),
                                         (link_to_a_folder, "a link to a folder")],
                         ids=["a pipe", "a folder", "a link to nothing", "a link to a folder"])
def test_a_certificate_name_in_trust_that_is_no_file_is_a_clear_error(tmp_path: Path, made, there: str) -> None:
    # the chair's certificate was meant to be chair.pem, beside the partner's: had it been passed over,
    # the chair's signatures would read as untrusted with no word of why. A pipe is never opened
    (tmp_path / "returned").mkdir()
    trust = tmp_path / "trust"
    make_certificate(trust, "Partner")
    (trust / "signer-key.pem").unlink()
    made(trust / "chair.pem")
    result = run_packgen("register", str(tmp_path / "returned"), "--out", str(tmp_path / "r.csv"), "--trust",
                         str(trust), "--timeout", "20")
    assert result.returncode == 1 and result.stderr.strip() == (
        f"packgen: error: {trust / 'chair.pem'}: this is {there}, not a certificate file: put the certificate "
        "file itself in the --trust folder"), result.stderr
    assert not (tmp_path / "r.csv").exists()


def reading_many_returns(tmp_path: Path, spec, mark: str) -> subprocess.Popen:
    """`packgen register` on a season's returns, in a session of its own, once its two readers are reading."""
    returned = tmp_path / "returned"
    returned.mkdir()
    form = stand_in_pdf_form(returned / "form-0.pdf", spec)
    for n in range(1, 5000):  # the register is surely still reading them
        os.link(form, returned / f"form-{n}.pdf")
    command = subprocess.Popen([sys.executable, "-m", "packgen", "register", str(returned), "--out",
                                str(tmp_path / "register.csv")], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True,
                               env={**os.environ, "PACKGEN_TEST_MARK": mark})
    while len(outlived_by(mark, 0)) < 3:  # the command and its two readers
        assert command.poll() is None, command.communicate()
        time.sleep(0.05)
    return command


@pytest.mark.parametrize("to_group", [False, True], ids=["the command", "its process group"])
def test_a_closing_terminal_stops_the_register_as_ctrl_c_does_and_no_reader_outlives_it(tmp_path: Path, spec,
                                                                                          to_group: bool) -> None:
    # A terminal that closes sends SIGHUP to what runs in it; `kill -HUP` sends it to the command alone.
    mark = f"packgen-hup-{os.getpid()}-{tmp_path.name}"
    command = reading_many_returns(tmp_path, spec, mark)
    (os.killpg if to_group else os.kill)(command.pid, signal.SIGHUP)
    said, left = ended_when_told(command, mark)
    assert command.returncode == 130 and said.strip().splitlines() == ["packgen: stopped"], said
    assert left == []
    assert not (tmp_path / "register.csv").exists()


def test_a_register_killed_outright_leaves_no_reader_behind(tmp_path: Path, spec) -> None:
    # `kill -9` (or the machine's out-of-memory killer) gives the command no chance to stop its readers:
    # each must notice it is gone and end, not wait for a form for ever.
    mark = f"packgen-kill-{os.getpid()}-{tmp_path.name}"
    command = reading_many_returns(tmp_path, spec, mark)
    command.kill()
    command.wait()
    left = outlived_by(mark, 10)
    if left:
        os.killpg(command.pid, signal.SIGKILL)
    assert left == []
    assert not (tmp_path / "register.csv").exists()


def test_safe_cell() -> None:
    assert [safe_cell(v) for v in ("=1+1", "+44", "-2", "@SUM(A1)", "\tx", "plain", "")] == [
        "'=1+1", "'+44", "'-2", "'@SUM(A1)", "'\tx", "plain", ""]
