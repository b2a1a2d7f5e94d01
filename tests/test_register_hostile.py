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
import stat
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest

from packgen.forms.spec import load_spec
from packgen.sandbox import OutOfMemory, Sandbox, run_stopping

from conftest import ROOT, run_packgen
from signing import fill_pdf
from test_register import docx_parts, fill_docx, make_docx_forms, read_register, stand_in_pdf_form, write_docx


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


PACKAGE_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
                'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                'Target="word/document.xml"/></Relationships>')
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
        z.writestr("_rels/.rels", PACKAGE_RELS)  # a package Word would open, so its document is parsed
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


def test_a_checker_past_its_time_is_asked_to_stop_so_the_browser_it_started_goes_too(tmp_path: Path) -> None:
    # As a browser driver does (puppeteer): the browser in a session of its own, closed on SIGTERM.
    browser_pid = tmp_path / "browser.pid"
    driver = tmp_path / "driver.sh"
    driver.write_text("#!/bin/sh\nsetsid sleep 300 &\necho $! > " + str(browser_pid) + "\n"
                      "trap 'kill $(cat " + str(browser_pid) + "); exit 1' TERM\nwhile :; do sleep 0.1; done\n",
                      "utf-8")
    driver.chmod(0o755)
    with pytest.raises(subprocess.TimeoutExpired):
        run_stopping([str(driver)], 1.0, text=True)
    pid = int(browser_pid.read_text("utf-8"))
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    raise AssertionError("the browser was left running")


def test_a_checker_past_its_memory_is_killed_with_the_browser_it_started(tmp_path: Path) -> None:
    # As a browser driver does: the browser in a session of its own, where the memory is taken, and the
    # driver printing a result before; the result is kept and no process of the two is left.
    browser_pid = tmp_path / "browser.pid"
    driver = tmp_path / "driver.sh"
    driver.write_text(f"#!/bin/sh\nsetsid {sys.executable} -c 'b = bytearray(400 << 20); import time; "
                      f"time.sleep(300)' &\necho $! > {browser_pid}\necho checked one\nwhile :; do sleep 0.1; done\n",
                      "utf-8")
    driver.chmod(0o755)
    started = time.monotonic()
    with pytest.raises(OutOfMemory) as stopped:
        run_stopping([str(driver)], 60, 100, text=True)
    assert time.monotonic() - started < 10 and stopped.value.stdout == "checked one\n"
    stat = Path(f"/proc/{int(browser_pid.read_text('utf-8'))}/stat")
    # gone, or dead and not yet collected by the process that adopted it (init)
    assert not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"


# --- what a returned form claims and what it is --------------------------------------------------------

SIG_NS = "http://www.w3.org/2000/09/xmldsig#"
ORIGIN = "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/origin"
SIGNATURE = "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/signature"


def with_signature_part(parts: dict[str, bytes], signature: bytes) -> dict[str, bytes]:
    """The package's parts with a Word signature wired in as Word wires it: the origin part named by the
    package's relationships, the signature part by the origin's."""
    rels = parts["_rels/.rels"].decode("utf-8")
    rels = rels.replace("</Relationships>", f'<Relationship Id="rIdSig" Type="{ORIGIN}" '
                        'Target="_xmlsignatures/origin.sigs"/></Relationships>')
    return {**parts, "_rels/.rels": rels.encode("utf-8"), "_xmlsignatures/origin.sigs": b"",
            "_xmlsignatures/_rels/origin.sigs.rels": (
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{SIGNATURE}" Target="sig1.xml"/></Relationships>').encode(),
            "_xmlsignatures/sig1.xml": signature}


def xml_signature(signed_parts: list[str]) -> bytes:
    """An XML signature shaped as Word writes one (its value is not a real one: packgen cannot check it)."""
    manifest = "".join(f'<Reference URI="/{p}?ContentType=application/xml"><DigestValue>AAAA</DigestValue>'
                       '</Reference>' for p in signed_parts)
    return (f'<Signature xmlns="{SIG_NS}" Id="idPackageSignature"><SignedInfo><Reference URI="#idPackageObject" '
            f'Type="{SIG_NS}Object"><DigestValue>AAAA</DigestValue></Reference></SignedInfo>'
            '<SignatureValue>c2lnbmVk</SignatureValue><Object Id="idPackageObject"><Manifest>'
            f'{manifest}</Manifest></Object></Signature>').encode()


def test_a_word_form_is_never_called_signed_for_a_signature_packgen_cannot_check(tmp_path: Path) -> None:
    made = make_docx_forms(tmp_path, ["Riverside Trust"])
    filled = tmp_path / "filled.docx"
    fill_docx(made / "Riverside-Trust.docx", filled, {"lead-name": "Ann", "signed-name": "Ann Jones"}, [])
    parts = docx_parts(filled)
    returned = tmp_path / "returned"
    returned.mkdir()
    write_docx(returned / "empty-folder.docx", {**parts, "_xmlsignatures/": b""})
    write_docx(returned / "not-a-signature.docx", with_signature_part(parts, b"<notes>signed, honest</notes>"))
    write_docx(returned / "signs-nothing.docx", with_signature_part(parts, xml_signature([])))
    write_docx(returned / "signs-the-styles-only.docx", with_signature_part(parts, xml_signature(["word/styles.xml"])))
    write_docx(returned / "looks-signed.docx", with_signature_part(parts, xml_signature(["word/document.xml"])))

    result = run_packgen("register", str(returned), "--out", str(tmp_path / "register.csv"))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert result.stdout.startswith(
        "packgen: registered 5 form(s) (0 signed digitally, 4 with a typed name), 1 signature cannot be checked: "
        "packgen cannot check a Word file's digital signature: open the file in Word to see it;"), result.stdout
    rows = {r["file"]: r for r in read_register(tmp_path / "register.csv")}
    for name in ("empty-folder.docx", "not-a-signature.docx", "signs-nothing.docx", "signs-the-styles-only.docx"):
        row = rows[name]
        assert (row["status"], row["lead-name"], row["signed"]) == ("registered", "Ann", "typed name"), row
        assert row["problem"] == "not signed digitally: the Word file's signature part holds no signature over the form"
        assert row["signature valid"] == row["trusted"] == ""
    looks = rows["looks-signed.docx"]
    assert looks["signed"] == "digital signature (cannot be checked)", looks
    assert looks["problem"] == ("signature cannot be checked: packgen cannot check a Word file's digital signature: "
                                "open the file in Word to see it")
    assert looks["signature valid"] == looks["trusted"] == "not checked (a Word signature)"


def test_a_word_form_is_read_from_the_part_its_relationships_name(tmp_path: Path) -> None:
    import docx

    made = make_docx_forms(tmp_path, ["Riverside Trust", "Decoy Ltd"])
    fill_docx(made / "Riverside-Trust.docx", tmp_path / "real.docx", {"lead-name": "Ann"}, [])
    fill_docx(made / "Decoy-Ltd.docx", tmp_path / "decoy.docx", {"lead-name": "Eve"}, [])
    parts = docx_parts(tmp_path / "real.docx")
    # the document Word opens lives in word/answers.xml; word/document.xml is a decoy no relationship names
    moved = {("word/answers.xml" if n == "word/document.xml" else
              "word/_rels/answers.xml.rels" if n == "word/_rels/document.xml.rels" else n): data
             for n, data in parts.items()}
    for name in ("_rels/.rels", "[Content_Types].xml"):
        moved[name] = moved[name].replace(b"word/document.xml", b"word/answers.xml")
    moved["word/document.xml"] = docx_parts(tmp_path / "decoy.docx")["word/document.xml"]
    returned = tmp_path / "returned"
    returned.mkdir()
    hostile = write_docx(returned / "moved.docx", moved)
    assert "Ann" in "".join(docx.Document(str(hostile)).element.body.itertext())  # what Word shows

    [row] = read_register_of(returned, tmp_path)
    assert (row["status"], row["organisation"], row["lead-name"]) == ("registered", "Riverside Trust", "Ann"), row


def read_register_of(returned: Path, tmp_path: Path, *extra: str) -> list[dict[str, str]]:
    result = run_packgen("register", str(returned), "--out", str(tmp_path / "register.csv"), *extra)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return read_register(tmp_path / "register.csv")


def test_a_huge_field_name_or_value_is_cut_in_its_cell_and_the_row_says_so(tmp_path: Path, spec) -> None:
    returned = tmp_path / "returned"
    returned.mkdir()
    blank = stand_in_pdf_form(tmp_path / "blank.pdf", spec)
    huge = "Talu pobl yn deg. " * 250_000  # 4.5 MB of answer
    fill_pdf(blank, tmp_path / "filled.pdf", {"organisation": "Riverside Trust"}, [])
    with pikepdf.open(tmp_path / "filled.pdf") as pdf:
        [field] = [f for f in pdf.Root.AcroForm.Fields if f.T == "first-steps"]
        field.V = pikepdf.String(huge)
        pdf.save(returned / "long-answer.pdf")
    name = "n" * (4 << 20)  # someone else's form, with a 4 MB field name
    (returned / "long-name.pdf").write_bytes(raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] >> >>", *PAGE[1:],
        b"<< /Length 0 >>\nstream\n\nendstream", b"<< /T (" + name.encode() + b") /FT /Tx /V (42) >>"]))

    result = run_packgen("register", str(returned), "--out", str(tmp_path / "register.csv"))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert ("1 not a pledge form, 1 with a value longer than 10,000 characters, cut in the register; 2 file(s)"
            in result.stdout), result.stdout
    rows = {r["file"]: r for r in read_register(tmp_path / "register.csv")}
    assert (tmp_path / "register.csv").stat().st_size < 100_000
    answer = rows["long-answer.pdf"]
    assert answer["status"] == "registered" and answer["organisation"] == "Riverside Trust"
    assert answer["first-steps"] == huge.strip()[:10_000] + "\u2026"
    assert answer["problem"] == "longer than 10,000 characters, so cut here: first-steps"
    other = rows["long-name.pdf"]
    assert other["status"] == "not a pledge form"
    assert other["problem"].startswith(f"a PDF form, but not the pledge form (its fields: {name[:79]}\u2026)")
    assert len(other["problem"]) < 500


@pytest.mark.parametrize("bound", [("--memory", "0"), ("--memory", "-64"), ("--timeout", "0"), ("--timeout", "nan"),
                                   ("--timeout", "inf")])
def test_the_limits_a_file_is_read_within_cannot_be_turned_off(tmp_path: Path, bound: tuple[str, str]) -> None:
    (tmp_path / "returned").mkdir()
    result = run_packgen("register", str(tmp_path / "returned"), "--out", str(tmp_path / "r.csv"), *bound)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"packgen: error: {bound[0]} "), line
    assert not (tmp_path / "r.csv").exists()


@pytest.mark.parametrize("bound", [("--memory", "99999999999999"), ("--timeout", "1e300")])
def test_limits_beyond_what_the_system_counts_still_read_every_file(tmp_path: Path, bound: tuple[str, str]) -> None:
    returned = tmp_path / "returned"
    returned.mkdir()
    (returned / "notes.txt").write_text("not a form")
    [row] = read_register_of(returned, tmp_path, *bound)
    assert (row["status"], row["problem"]) == ("not a pledge form", "neither a PDF nor a Word file"), row


def test_a_pipe_and_a_name_that_is_not_utf8_each_get_their_row(tmp_path: Path, spec) -> None:
    returned = tmp_path / "returned"
    returned.mkdir()
    good = stand_in_pdf_form(returned / "good.pdf", spec)
    (returned / os.fsdecode(b"copy-\xff.pdf")).write_bytes(good.read_bytes())  # named on a disk of another encoding
    os.mkfifo(returned / "pipe.pdf")
    rows = {r["file"]: r for r in read_register_of(returned, tmp_path)}
    assert rows["copy-\\xff.pdf"]["status"] == "registered", rows
    assert rows["pipe.pdf"]["status"] == "not a pledge form" and "a pipe or a device" in rows["pipe.pdf"]["problem"]


def test_a_folder_named_like_a_form_gets_its_row_and_what_it_holds_is_read(tmp_path: Path, spec) -> None:
    # one partner sent a folder where the form should be, another saved the form inside a folder
    # named after it
    returned = tmp_path / "returned"
    (returned / "acme.docx").mkdir(parents=True)
    (returned / "riverside.pdf").mkdir()
    stand_in_pdf_form(returned / "riverside.pdf" / "riverside.pdf", spec)
    rows = {r["file"]: r for r in read_register_of(returned, tmp_path)}
    for folder in ("acme.docx", "riverside.pdf"):
        assert (rows[folder]["status"], rows[folder]["problem"]) == ("not a pledge form",
                                                                     "a folder, not a file: not read"), rows
    assert rows["riverside.pdf/riverside.pdf"]["status"] == "registered", rows
    assert len(rows) == 3, rows


def test_a_link_to_a_folder_gets_its_row_and_is_not_followed(tmp_path: Path, spec) -> None:
    # someone linked the shared drive's folder of returns into the returned folder, once under a plain
    # name and once under a form's name: links are not followed (they could lead anywhere on the
    # disk), so each row says its forms were not read rather than the register leaving them out unsaid
    shared = tmp_path / "shared"
    shared.mkdir()
    stand_in_pdf_form(shared / "riverside.pdf", spec)
    returned = tmp_path / "returned"
    returned.mkdir()
    (returned / "from the shared drive").symlink_to(shared, target_is_directory=True)
    (returned / "acme.pdf").symlink_to(shared, target_is_directory=True)
    rows = {r["file"]: r for r in read_register_of(returned, tmp_path)}
    for link in ("from the shared drive", "acme.pdf"):
        assert (rows[link]["status"], rows[link]["problem"]) == (
            "not a pledge form", "a link to a folder: not followed, so no form in it is read"), rows
    assert len(rows) == 2, rows


def test_a_link_that_leads_nowhere_gets_its_row_in_plain_words(tmp_path: Path, spec) -> None:
    # a form was linked into the returned folder, then moved away on the shared drive: its row says the
    # link leads nowhere, not that it leads to another file
    returned = tmp_path / "returned"
    returned.mkdir()
    (returned / "riverside.pdf").symlink_to(tmp_path / "moved-away.pdf")
    rows = {r["file"]: r for r in read_register_of(returned, tmp_path)}
    assert (rows["riverside.pdf"]["status"], rows["riverside.pdf"]["problem"]) == (
        "not a pledge form", "a link that leads nowhere, not a file: not read"), rows


def test_register_never_writes_over_a_pipe_or_a_returned_form(tmp_path: Path, spec) -> None:
    returned = tmp_path / "returned"
    returned.mkdir()
    good = stand_in_pdf_form(returned / "good.pdf", spec)
    before = good.read_bytes()
    pipe = tmp_path / "register.csv"
    os.mkfifo(pipe)
    for out, says in ((pipe, "is not an ordinary file (a pipe or a device)"),
                      (good, "is a file in the folder of returned forms, which the register would replace")):
        result = run_packgen("register", str(returned), "--out", str(out))
        assert result.returncode == 1, result.stdout
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(f"packgen: error: {out}: this") and says in line, line
    assert stat.S_ISFIFO(pipe.stat().st_mode) and good.read_bytes() == before
