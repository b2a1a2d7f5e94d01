"""The fillable, signable PDF form, checked as an organisation would: with tools nobody on the project wrote.

pypdf fills it, pdf.js and Poppler read it back, pyHanko signs and validates it, qpdf and the pdfua
checker look it over; pikepdf walks the structure tree to find each widget's Form element.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pikepdf
import pytest

from packgen.errors import RenderError
from packgen.writers.pdf.document import write
from packgen.writers.pdf.form_fill import fill

import tests.test_pdf_writer as writer_tests
from tests.pdf_clients import elements, kids, make_document, pdfjs, pdfjs_roles, require, run, struct_text, theme
from tests.signing import make_certificate

POLISH = "Zażółć & Co <Ltd>"
URDU = "ادارہ"
URDU_LONG = "ادارہ برائے تعلیم"

FIELDS = [
    {"id": "organisation", "label": "Organisation name", "type": "text", "required": True,
     "help": "The full name"},
    {"id": "name-urdu", "label": "Name in Urdu", "type": "text"},
    {"id": "email", "label": "Email address", "type": "email", "required": True},
    {"id": "telephone", "label": "Telephone number", "type": "telephone"},
    {"id": "date", "label": "Date of signing", "type": "date", "required": True},
    {"id": "commit-pay", "label": "We will pay people for their time", "type": "checkbox"},
    {"id": "commit-listen", "label": "We will listen and learn", "type": "checkbox"},
    {"id": "first-steps", "label": "What we will do first", "type": "multiline", "help": "Optional."},
    {"id": "signature", "label": "Signature", "type": "signature", "required": True,
     "help": "Sign by hand on a printed copy, or add a digital signature."},
]
TEXT_IDS = [f["id"] for f in FIELDS if f["type"] not in ("checkbox", "signature")]
TICK_IDS = [f["id"] for f in FIELDS if f["type"] == "checkbox"]
PREFILLED = {"organisation": POLISH, "name-urdu": URDU_LONG, "email": "lead@example.org",
             "telephone": "01632 960000", "date": "01/03/2025", "commit-pay": "true",
             "first-steps": "A first line of our plan that is long enough to wrap inside the box.\nŵyl ŷ and " + URDU}


def form_markdown(values: dict[str, str] | None = None, fields: list[dict] | None = None) -> str:
    items = [dict(f, value=(values or {}).get(f["id"], "")) for f in (fields or FIELDS)]
    block = json.dumps({"legend": "About your organisation", "fields": items}, ensure_ascii=False)
    return f"# Pledge form\n\nPlease fill in this form.\n\n```form\n{block}\n```\n\nThank you.\n"


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("forms")
    paths = {}
    for name, variant, values in (("blank", "standard", None), ("easy-read", "easy-read", None),
                                  ("prefilled", "standard", PREFILLED)):
        paths[name] = out / f"{name}.pdf"
        write(make_document(form_markdown(values), variant, doc_id="pledge"), theme(), paths[name])
    return paths


def fields_of(path: Path) -> dict[str, pikepdf.Dictionary]:
    with pikepdf.open(path) as pdf:
        return {str(f.T): f for f in pdf.Root.AcroForm.Fields}


def field_info(path: Path) -> dict[str, dict]:
    """Plain values (so they outlive the open file) of every field."""
    out = {}
    with pikepdf.open(path) as pdf:
        for f in pdf.Root.AcroForm.Fields:
            out[str(f.T)] = {"FT": str(f.FT), "TU": str(f.get("/TU", "")), "Ff": int(f.get("/Ff", 0)),
                             "V": str(f.get("/V", "")), "Rect": [float(v) for v in f.Rect],
                             "AP": sorted(f.AP.N.keys()) if isinstance(f.AP.N, pikepdf.Dictionary)
                             and not isinstance(f.AP.N, pikepdf.Stream) else "stream"}
    return out


# --- the AcroForm -----------------------------------------------------------------------------------

def test_pdfinfo_says_acroform(forms):
    for path in forms.values():
        assert re.search(r"^Form:\s+AcroForm", run(require("pdfinfo"), str(path)), re.M)


def test_every_field_is_there_with_its_type_flags_and_name(forms):
    info = field_info(forms["blank"])
    assert list(info) == [f["id"] for f in FIELDS], "field names (/T) are the ids, in reading order"
    kinds = {"text": "/Tx", "email": "/Tx", "telephone": "/Tx", "date": "/Tx", "multiline": "/Tx",
             "checkbox": "/Btn", "signature": "/Sig"}
    for f in FIELDS:
        got = info[f["id"]]
        assert got["FT"] == kinds[f["type"]], f["id"]
        assert bool(got["Ff"] & 2) == f.get("required", False), f"{f['id']}: required flag"
        assert bool(got["Ff"] & 4096) == (f["type"] == "multiline"), f"{f['id']}: multi-line flag"
        label = f["label"] + (" (required)" if f.get("required") else "")
        assert got["TU"].startswith(label), got["TU"]
        if f.get("help"):
            assert f["help"] in got["TU"]
    assert "DD/MM/YYYY" in info["date"]["TU"], "the date format hint is in the accessible name"
    assert info["commit-pay"]["AP"] == ["/Off", "/Yes"] and info["commit-pay"]["V"] == "/Off"


def test_date_format_hint_is_visible(forms):
    text = run(require("pdftotext"), str(forms["blank"]), "-")
    assert "Write the date as DD/MM/YYYY" in text


def test_every_widget_has_appearances_and_no_need_appearances(forms):
    with pikepdf.open(forms["prefilled"]) as pdf:
        acro = pdf.Root.AcroForm
        assert not acro.get("/NeedAppearances", False)
        for f in acro.Fields:
            assert "/AP" in f and "/N" in f.AP, str(f.T)
            n = f.AP.N
            streams = [n] if isinstance(n, pikepdf.Stream) else list(n.values())
            for s in streams:
                assert s.Subtype == "/Form" and len(s.BBox) == 4
            assert int(f.F) & 4, "widgets print"


def test_default_font_is_embedded_whole(forms):
    from fontTools.ttLib import TTFont

    with pikepdf.open(forms["blank"]) as pdf:
        acro = pdf.Root.AcroForm
        name = str(acro.DA).split()[0]
        font = acro.DR.Font[name]
        assert font.Subtype == "/Type0" and "/ToUnicode" in font
        assert "+" not in str(font.BaseFont), "a subset tag marks a subset"
        program = font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
    import io

    embedded = TTFont(io.BytesIO(program))
    original = TTFont(theme().body_font.regular)
    assert embedded["maxp"].numGlyphs == original["maxp"].numGlyphs
    assert set(embedded.getBestCmap()) == set(original.getBestCmap())


def test_pdffonts_lists_the_form_fonts_embedded_with_unicode(forms):
    out = run(require("pdffonts"), str(forms["prefilled"]))
    rows = [line.split() for line in out.splitlines()[2:]]
    assert any(r[0].startswith("AtkinsonHyperlegible") and "CID" in " ".join(r) for r in rows), out
    for r in rows:
        assert r[-5] == "yes" and r[-3] == "yes", r


def test_easy_read_widgets_are_bigger(forms):
    small, big = field_info(forms["blank"]), field_info(forms["easy-read"])

    def height(info, fid):
        r = info[fid]["Rect"]
        return r[3] - r[1]

    for fid in ("organisation", "commit-pay"):
        assert height(big, fid) > height(small, fid) * 1.2
    assert height(big, "commit-pay") >= 18, "a tick box in easy read is at least 18pt"


# --- tagging --------------------------------------------------------------------------------------------

def test_each_widget_is_a_form_element_with_an_objr(forms):
    with pikepdf.open(forms["blank"]) as pdf:
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        els = elements(pdf)
        form_els = [el for el in els if el.S == "/Form"]
        assert len(form_els) == len(FIELDS)
        widgets = [a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Widget"]
        assert len(widgets) == len(FIELDS)
        for page in pdf.pages:
            if page.obj.get("/Annots"):
                assert page.obj.Tabs == "/S"
        for widget in widgets:
            owner = parent_tree[int(widget.StructParent)]
            assert owner.S == "/Form"
            objrs = [k for k in kids(owner) if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"]
            assert [k.Obj.objgen for k in objrs] == [widget.objgen]
        # reading order: each text field's words (its label, then any hints: paragraphs, as Lbl belongs
        # to list items only) come before its Form element, a tick box's after
        kinds = [str(el.S) for el in els]
        assert "/Lbl" not in kinds
        at = [i for i, kind in enumerate(kinds) if kind == "/Form"]
        for f, i in zip(FIELDS, at, strict=True):
            assert kinds[i + 1 if f["type"] == "checkbox" else i - 1] == "/P", f["id"]


def test_struct_text_has_labels_in_reading_order(forms):
    tree = struct_text(forms["blank"])
    assert tree.count("Form") >= len(FIELDS)
    positions = [tree.index(f["label"]) for f in FIELDS]
    assert positions == sorted(positions)


def test_tab_order_follows_reading_order(forms):
    with pikepdf.open(forms["blank"]) as pdf:
        annots = [str(a.T) for page in pdf.pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Widget"]
    assert annots == [f["id"] for f in FIELDS]


def test_writer_checks_still_pass_with_widgets(forms):
    """All content tagged, MCIDs both ways, fonts, qpdf and pdfua: the form pages pass the writer's checks."""
    writer_tests.test_every_painting_operator_is_tagged_or_an_artifact(forms)
    writer_tests.test_every_mcid_is_reachable_both_ways(forms)
    writer_tests.test_qpdf_check_passes(forms)
    writer_tests.test_pdfua_checker_finds_nothing(forms)
    writer_tests.test_pdfinfo_says_tagged(forms)


def test_pdfjs_lists_every_field_and_form_roles(forms):
    data = pdfjs(forms["blank"])
    assert set(data["fields"]) == {f["id"] for f in FIELDS}
    kinds = {fid: data["fields"][fid][0]["type"] for fid in data["fields"]}
    assert kinds["organisation"] == "text" and kinds["commit-pay"] == "checkbox"
    assert kinds["signature"] == "signature"
    roles = [n["role"] for page in data["pages"] for n in pdfjs_roles(page["structTree"])]
    assert roles.count("Form") == len(FIELDS)


# --- filled by other programs --------------------------------------------------------------------------

def test_pypdf_fills_every_field_and_pdfjs_reads_the_values(forms, tmp_path):
    from pypdf import PdfReader, PdfWriter

    values = {fid: POLISH for fid in TEXT_IDS}
    values["name-urdu"] = URDU
    values["first-steps"] = f"{POLISH}\n{URDU}"
    writer = PdfWriter(clone_from=str(forms["blank"]))
    for page in writer.pages:
        writer.update_page_form_field_values(page, {**values, **{t: "/Yes" for t in TICK_IDS}},
                                             auto_regenerate=False)
    out = tmp_path / "filled-by-pypdf.pdf"
    with out.open("wb") as fh:
        writer.write(fh)
    got = PdfReader(str(out)).get_fields()
    for fid, value in values.items():
        assert got[fid]["/V"] == value, fid
    for fid in TICK_IDS:
        assert got[fid]["/V"] == "/Yes"
    fields = pdfjs(out)["fields"]
    for fid, value in values.items():
        assert fields[fid][0]["value"] == value, fid
    for fid in TICK_IDS:
        assert fields[fid][0]["value"] == "Yes"
    run(require("qpdf"), "--check", str(out))


def _self_signed(tmp_path: Path):
    """The test's own certificate and key (tests/signing.py), loaded the way pyHanko's signer takes them."""
    from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder

    cert_path, key_path = make_certificate(tmp_path / "keys", "Riverside Community Trust test signer")
    return load_cert_from_pemder(str(cert_path)), load_private_key_from_pemder(str(key_path), passphrase=None)


def test_pyhanko_signs_the_signature_field_and_validates_it(forms, tmp_path):
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.stamp import TextStampStyle
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    cert, key = _self_signed(tmp_path)
    signer = signers.SimpleSigner(cert, key, SimpleCertificateStore.from_certs([cert]))
    filled = tmp_path / "filled.pdf"
    filled.write_bytes(fill(forms["blank"].read_bytes(), {"organisation": POLISH, "commit-pay": "true"}))
    signed = tmp_path / "signed.pdf"
    style = TextStampStyle(stamp_text="Signed by %(signer)s\n%(ts)s",
                           text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(theme().body_font.regular)))
    with filled.open("rb") as inf:
        writer = IncrementalPdfFileWriter(inf)
        sig_fields = [name for name, _, _ in fields.enumerate_sig_fields(writer)]
        assert sig_fields == ["signature"], "our empty signature field is found"
        meta = signers.PdfSignatureMetadata(field_name="signature", reason="Co-Production Charter pledge")
        pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style)
        with signed.open("wb") as out:
            pdf_signer.sign_pdf(writer, output=out)
    with signed.open("rb") as fh:
        reader = PdfFileReader(fh)
        assert len(reader.embedded_signatures) == 1
        sig = reader.embedded_signatures[0]
        assert sig.field_name == "signature"
        untrusted = validate_pdf_signature(sig, ValidationContext(trust_roots=[]))
        assert untrusted.intact and untrusted.valid and not untrusted.trusted
        trusted = validate_pdf_signature(sig, ValidationContext(trust_roots=[cert]))
        assert trusted.intact and trusted.valid and trusted.trusted
        assert trusted.modification_level is not None
    # the stamp's font is embedded, and the signed file still reads as a form
    run(require("qpdf"), "--check", str(signed))
    fonts = run(require("pdffonts"), str(signed))
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), fonts
    assert pdfjs(signed)["fields"]["organisation"][0]["value"] == POLISH


# --- values written by packgen: pre-filled by the writer, or by form_fill ------------------------------

def _field_text(path: Path) -> str:
    return run(require("pdftotext"), str(path), "-").replace("\u202b", "").replace("\u202c", "")


def test_prefilled_values_are_in_v_and_shown(forms):
    info = field_info(forms["prefilled"])
    for fid, value in PREFILLED.items():
        expected = "/Yes" if fid in TICK_IDS else value
        assert info[fid]["V"] == expected, fid
    text = _field_text(forms["prefilled"])
    for value in (POLISH, "lead@example.org", "01632 960000", "01/03/2025", URDU_LONG, "ŵyl ŷ and"):
        assert value in text, value
    assert URDU in text.split("ŵyl ŷ and")[1], "the Urdu word in the multi-line box reads in logical order"


def test_prefilled_values_render_and_urdu_is_shaped(forms, tmp_path):
    """The prefilled page differs from the blank where the values are; the Urdu is drawn with joined forms."""
    pdftoppm = require("pdftoppm")
    images = {}
    for name in ("blank", "prefilled"):
        run(pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", str(forms[name]), str(tmp_path / name))
        images[name] = next(tmp_path.glob(f"{name}*.png")).read_bytes()
    assert images["blank"] != images["prefilled"]
    with pikepdf.open(forms["prefilled"]) as pdf:
        urdu = next(f for f in pdf.Root.AcroForm.Fields if str(f.T) == "name-urdu")
        content = urdu.AP.N.read_bytes().decode("ascii")
        font = urdu.AP.N.Resources.Font
        used = {m.group(1) for m in re.finditer(r"/(PGF\d) [\d.]+ Tf", content)}
        assert any("Arabic" in str(font["/" + u].BaseFont) for u in used)
        gids = [int(g, 16) for g in re.findall(r"<([0-9A-F]{4})> Tj", content)]
        actual = "".join(bytes.fromhex(h).decode("utf-16-be") for h in
                         re.findall(r"/ActualText <FEFF([0-9A-F]*)>", content))
    assert sorted(actual) == sorted(URDU_LONG.replace(" ", "")) or set(actual) >= set(URDU_LONG.replace(" ", ""))
    from packgen.writers.pdf.cidfont import CIDFont, static_font_bytes

    arabic = CIDFont.from_bytes(static_font_bytes(Path(theme().fallback_fonts[-1].regular)))
    nominal = {arabic.cmap[ord(c)] for c in URDU_LONG if c != " "}
    assert set(gids) - nominal, "shaping uses joining forms, not only the letters' isolated glyphs"


def test_form_fill_sets_values_and_appearances(forms, tmp_path):
    blank = forms["blank"].read_bytes()
    values = {"organisation": POLISH, "name-urdu": URDU_LONG, "email": "x@example.org", "commit-listen": "TRUE",
              "first-steps": "Ddechrau gyda ŵyl.\n" + URDU}
    data = fill(blank, values)
    assert data.startswith(blank), "an incremental update: the blank's bytes are kept"
    out = tmp_path / "filled.pdf"
    out.write_bytes(data)
    assert fill(blank, values) == data, "the same values give the same bytes"
    assert fill(blank, {**values, "email": "y@example.org"}) != data
    run(require("qpdf"), "--check", str(out))
    info = field_info(out)
    assert info["organisation"]["V"] == POLISH and info["commit-listen"]["V"] == "/Yes"
    assert info["commit-pay"]["V"] == "/Off"
    text = _field_text(out)
    for value in (POLISH, URDU_LONG, "x@example.org", "Ddechrau gyda ŵyl."):
        assert value in text, value
    fields = pdfjs(out)["fields"]
    assert fields["name-urdu"][0]["value"] == URDU_LONG
    assert fields["commit-listen"][0]["value"] == "Yes"
    writer_tests.test_pdfua_checker_finds_nothing({"filled": out})


def test_form_fill_takes_a_pikepdf_object(forms):
    with pikepdf.open(forms["blank"]) as pdf:
        data = fill(pdf, {"organisation": "Riverside"})
    with pikepdf.Pdf.open(__import__("io").BytesIO(data)) as filled:
        assert str(next(f for f in filled.Root.AcroForm.Fields if str(f.T) == "organisation").V) == "Riverside"


def test_form_fill_errors_name_the_field(forms):
    blank = forms["blank"].read_bytes()
    with pytest.raises(ValueError, match="no field called 'nope'"):
        fill(blank, {"nope": "x"})
    with pytest.raises(ValueError, match="'signature'.*cannot be filled"):
        fill(blank, {"signature": "x"})
    with pytest.raises(ValueError, match="'organisation'.*U\\+E000"):
        fill(blank, {"organisation": "a\ue000b"})


def test_prefilled_character_no_font_has_is_a_render_error(tmp_path):
    md = form_markdown({"organisation": "Smile \U0001F600 Ltd"})
    with pytest.raises(RenderError, match="U\\+1F600.*'pledge'.*About your organisation"):
        write(make_document(md, doc_id="pledge"), theme(), tmp_path / "x.pdf")
