"""`packgen forms` as PDF: pre-filled values read back by pypdf, pdf.js (Firefox) and Poppler's
pdftotext, whatever script the organisation's name is in, and a full round trip: forms made by
packgen, filled with pypdf, signed with pyHanko (a certificate made here), read by `packgen register`.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from packgen.forms.spec import load_spec

from conftest import ROOT, require, run_packgen
from pdf_clients import pdfjs, run
from signing import make_certificate, sign_pdf
from test_forms import AWKWARD, all_files, with_details, write_csv
from test_register import fill_pdf, read_register, register, worded


@pytest.fixture(scope="module")
def spec():
    return load_spec(ROOT / "sources", ROOT / "sources" / "templates")[0]


def plain(text: str) -> str:
    """Text as a reader compares it: bidi embedding marks gone, presentation forms folded, spaces single."""
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", unicodedata.normalize("NFKC", text))
    return " ".join(text.split())


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("pdfforms")
    work = tmp / "a" / "b"
    work.mkdir(parents=True)
    rows = with_details([["organisation", "Lead name", "first-steps"]]
                        + [[name, "Siân Ŵyn", "Talu pobl yn deg – مؤسسة الخير"] for name in AWKWARD])
    orgs = write_csv(work / "orgs.csv", rows)
    before = all_files(tmp)
    result = run_packgen("forms", "--organisations", str(orgs), "--out", str(work / "out"), "--format", "pdf")
    assert result.returncode == 0, result.stderr
    assert all_files(tmp) - before == set((work / "out").iterdir()), "a file landed outside --out"
    return tmp, work / "out"


def test_one_pdf_per_awkward_name_each_holding_its_name(made) -> None:
    _, out = made
    files = sorted(out.iterdir())
    assert len(files) == len(AWKWARD) and all(p.suffix == ".pdf" for p in files)
    got = sorted(str(PdfReader(p).get_fields()["organisation"]["/V"]) for p in files)
    assert got == sorted(AWKWARD)


def test_pdftotext_shows_the_prefilled_values(made) -> None:
    require("pdftotext")
    _, out = made
    for stem, name in (("Zażółć-Co-Ltd", "Zażółć & Co <Ltd>"), ("x", "../../x"), ("CON-row-3", "CON"),
                       ("Cymdeithas-Tai-Ŵyn-a-r-Ŷd", "Cymdeithas Tai Ŵyn a'r Ŷd")):
        text = plain(run("pdftotext", str(out / f"{stem}.pdf"), "-"))
        assert plain(name) in text, stem
        assert "Siân Ŵyn" in text
    # right-to-left: shaped for display, read back as written, words whole
    text = plain(run("pdftotext", str(out / "مؤسسة-الخير-للرعاية.pdf"), "-"))
    assert "مؤسسة الخير للرعاية" in text and "Talu pobl yn deg – مؤسسة الخير" in text


def test_pdfjs_lists_the_fields_with_their_values(made, spec) -> None:
    _, out = made
    fields = pdfjs(out / "Zażółć-Co-Ltd.pdf")["fields"]
    assert {f.id for f in spec.fields} <= set(fields)
    assert fields["organisation"][0]["value"] == "Zażółć & Co <Ltd>"
    assert fields["lead-name"][0]["value"] == "Siân Ŵyn"
    assert fields["first-steps"][0]["value"] == "Talu pobl yn deg – مؤسسة الخير"


def test_a_character_no_font_has_is_an_error_naming_the_line(tmp_path: Path) -> None:
    orgs = write_csv(tmp_path / "orgs.csv", with_details([["organisation"], ["Riverside Trust"], ["株式会社 Tokyo"]]))
    result = run_packgen("forms", "--organisations", str(orgs), "--out", str(tmp_path / "out"), "--format", "pdf")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{orgs}:3:" in result.stderr and "U+682A" in result.stderr


def test_round_trip_made_filled_signed_registered(made, spec, tmp_path: Path) -> None:
    _, out = made
    returned = tmp_path / "returned"
    returned.mkdir()
    commitments = [f.id for f in spec.commitments]
    values = {"lead-role": "Prif Weithredwr", "email": "sian@example.org", "telephone": "01632 960000",
              "signed-name": "Siân Ŵyn", "signed-role": "Cyfarwyddwr", "date": "01/06/2025"}
    fill_pdf(out / "Zażółć-Co-Ltd.pdf", tmp_path / "filled.pdf", values, commitments[:3])
    cert, key = make_certificate(tmp_path / "keys")
    sign_pdf(tmp_path / "filled.pdf", returned / "zazolc-signed.pdf", cert, key)
    fill_pdf(out / "مؤسسة-الخير-للرعاية.pdf", returned / "urdu.pdf", {"email": "u@example.org"}, commitments)
    trust = tmp_path / "trust"
    trust.mkdir()
    shutil.copy(cert, trust / "partner.crt")

    for extra, trusted in (((), "not checked (no --trust)"), (("--trust", str(trust)), "yes")):
        rows = {r["file"]: r for r in register(returned, tmp_path / "register.csv", *extra)}
        signed = rows["zazolc-signed.pdf"]
        assert signed["status"] == "registered", signed
        assert signed["organisation"] == "Zażółć & Co <Ltd>" and signed["lead-name"] == "Siân Ŵyn"
        assert signed["first-steps"] == "Talu pobl yn deg – مؤسسة الخير"
        for k, v in values.items():
            assert signed[k] == v, k
        assert signed["commitments"] == worded(spec, commitments[:3])
        assert (signed["signed"], signed["signature intact"], signed["signature valid"]) == (
            "digital signature", "yes", "yes")
        assert signed["trusted"] == trusted and signed["modified after signing"] == "no"
        assert "Siân Ŵyn" in signed["signer"]
        urdu = rows["urdu.pdf"]
        assert urdu["organisation"] == "مؤسسة الخير للرعاية" and urdu["email"] == "u@example.org"
        assert urdu["commitments ticked"] == f"{len(commitments)} of {len(commitments)}" and urdu["signed"] == "none"
    assert read_register(tmp_path / "register.csv")
