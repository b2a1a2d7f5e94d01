"""`packgen register` on a folder of hostile returns reports each one and registers the good ones.

The corpus is made here with pikepdf and raw bytes: empty, truncated, encrypted, reference loops,
deep nesting, a decompression bomb, a lying stream length, files that are not PDFs or not the form,
a zip bomb and entity tricks dressed as Word files. The sandbox itself is tested with work that
hangs, eats memory and crashes, so each bound is shown to hold, not only assumed.
"""

from __future__ import annotations

import io
import os
import signal
import time
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest

from packgen.forms.sandbox import Sandbox
from packgen.forms.spec import load_spec

from conftest import ROOT, run_packgen
from test_register import fill_docx, make_docx_forms, read_register, stand_in_pdf_form


@pytest.fixture(scope="module")
def spec():
    return load_spec(ROOT / "sources", ROOT / "sources" / "templates")[0]


def raw_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF from numbered object bodies, with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


PAGE = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"]


def hostile_corpus(folder: Path, good_pdf: Path) -> dict[str, str]:
    """Write the corpus; return {file name: what the row must say (a word of its problem)}."""
    good = good_pdf.read_bytes()
    expect: dict[str, str] = {}

    def put(name: str, data: bytes, why: str) -> None:
        (folder / name).write_bytes(data)
        expect[name] = why

    put("empty.pdf", b"", "empty")
    put("truncated.pdf", good[: len(good) // 3], "")
    put("header-only.pdf", b"%PDF-1.7\n", "")
    put("not-a-pdf.pdf", b"Dear team, please find our pledge attached.\n", "neither a PDF nor a Word file")
    put("random.docx", os.urandom(4096), "neither a PDF nor a Word file")
    with pikepdf.open(good_pdf) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="owner"))
        put("encrypted.pdf", out.getvalue(), "password")
    # fields whose /Kids contain themselves, and a /Parent loop
    put("kids-loop.pdf", raw_pdf([b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] >> >>", *PAGE[1:],
                                  b"<< /Length 0 >>\nstream\n\nendstream",
                                  b"<< /T (organisation) /FT /Tx /Kids [5 0 R 6 0 R] >>",
                                  b"<< /T (x) /Parent 6 0 R /Kids [5 0 R] >>"]), "")
    # arrays nested 100,000 deep
    deep = b"[" * 100_000 + b"]" * 100_000
    put("deep.pdf", raw_pdf([b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields " + deep + b" >> >>", *PAGE[1:],
                             b"<< /Length 0 >>\nstream\n\nendstream"]), "")
    # a page whose content inflates to 200 MB
    packer = zlib.compressobj(9)
    zeros = b"\0" * (16 << 20)
    bomb = b"".join(packer.compress(zeros) for _ in range(13)) + packer.flush()
    put("bomb.pdf", raw_pdf([*PAGE, b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb
                             + b"\nendstream"]), "")
    # a stream that claims to be 100 GB long
    put("lying-length.pdf", raw_pdf([*PAGE, b"<< /Length 100000000000 >>\nstream\nBT ET\nendstream"]), "")
    # a form, but someone else's
    put("other-form.pdf", raw_pdf([b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] >> >>", *PAGE[1:],
                                   b"<< /Length 0 >>\nstream\n\nendstream",
                                   b"<< /T (invoice-number) /FT /Tx /V (42) >>"]), "not the pledge form")
    # a Word file that inflates to 300 MB, and one with a billion-laughs entity
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b" " * (300 << 20))
    put("zip-bomb.docx", buffer.getvalue(), "")
    laughs = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
              '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
              '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
              '<w:t>&d;&d;&d;&d;&d;&d;&d;&d;</w:t></w:r></w:p></w:body></w:document>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", laughs)
    put("laughs.docx", buffer.getvalue(), "")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "hello")
    put("plain.zip", buffer.getvalue(), "not a Word document")
    os.symlink("/etc/passwd", folder / "link.pdf")
    expect["link.pdf"] = "link"
    return expect


def test_hostile_returns_are_each_reported_and_the_good_ones_registered(tmp_path: Path, spec) -> None:
    made = make_docx_forms(tmp_path, ["Riverside Trust"])
    returned = tmp_path / "returned"
    returned.mkdir()
    fill_docx(made / "Riverside-Trust.docx", returned / "good.docx", {"lead-name": "Ann"}, [])
    good_pdf = stand_in_pdf_form(returned / "good.pdf", spec)
    with pikepdf.open(good_pdf) as pdf:  # encrypted with no password to open it: readable
        pdf.save(returned / "owner-password-only.pdf", encryption=pikepdf.Encryption(user="", owner="owner"))
    expect = hostile_corpus(returned, good_pdf)

    started = time.monotonic()
    result = run_packgen("register", str(returned), "--out", str(tmp_path / "register.csv"), "--timeout", "20",
                         "--memory", "512")
    took = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", "no warnings or tracebacks: each problem is in its row"
    rows = {r["file"]: r for r in read_register(tmp_path / "register.csv")}
    assert set(rows) == set(expect) | {"good.docx", "good.pdf", "owner-password-only.pdf"}
    for name in ("good.docx", "good.pdf", "owner-password-only.pdf"):
        assert rows[name]["status"] == "registered", rows[name]
    assert rows["good.docx"]["lead-name"] == "Ann"
    for name, why in expect.items():
        row = rows[name]
        assert row["status"] in ("cannot be read", "not a pledge form"), row
        assert row["problem"], row
        assert why.casefold() in row["problem"].casefold(), row
        assert not row["organisation"] or name == "kids-loop.pdf"
    assert took < 120, "the run must not hang (the per-file bound is --timeout)"


# --- the sandbox's bounds ------------------------------------------------------------------------------

def _work(item: str) -> str:
    if item == "hang":
        while True:
            time.sleep(1)
    if item == "hog":
        blocks = []
        while True:
            blocks.append(bytearray(64 << 20))
    if item == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    if item == "exit":
        os._exit(7)
    if item == "raise":
        raise ValueError("bad item")
    return item.upper()


def test_sandbox_bounds_time_memory_and_crashes_and_goes_on() -> None:
    items = ["a", "hang", "b", "hog", "c", "crash", "d", "raise", "e", "exit", "f"]
    box = Sandbox(_work, workers=2, seconds=3, memory_mb=256)
    outcomes = {item: outcome for _, item, outcome in box.map(items)}
    assert set(outcomes) == set(items)
    for item in "abcdef":
        assert outcomes[item].ok and outcomes[item].result == item.upper()
    assert "longer than 3s" in outcomes["hang"].problem
    assert "more than 256 MB" in outcomes["hog"].problem
    assert "SIGSEGV" in outcomes["crash"].problem
    assert "exit status 7" in outcomes["exit"].problem
    assert outcomes["raise"].problem == "ValueError: bad item"


def test_sandbox_leaves_no_children() -> None:
    import multiprocessing

    list(Sandbox(_work, workers=2, seconds=2).map(["a", "hang", "b"]))
    assert multiprocessing.active_children() == []
