"""Reading one returned form: a PDF (filled in any viewer, signed or not) or a Word file.

These functions run inside a sandboxed child process (see packgen/sandbox.py), because the files come from
strangers: anything may be wrong with them. They never raise for a bad file: they return a Reading
saying what was found or why nothing could be. Values are matched to the form's fields by id (the
PDF field name, the Word control's tag) or, where a re-save lost the id, by label (the PDF field's
/TU, the Word control's title).
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from packgen.named_files import FOLDER, LINK_TO_FOLDER, LINK_TO_NOTHING, PIPE, what_is_at
from packgen.ooxml import qn

MAX_FILE_BYTES = 100 << 20
TEXT_PAGES = 3  # pages of a field-less PDF read to tell a printed pledge form from anything else

# The libraries log what they dislike about a file; the row's problem column says it for them, and the
# person running `packgen register` should see one summary line, not a page of library warnings.
for _name in ("pypdf", "pyhanko", "pyhanko_certvalidator", "fontTools"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False

OK, MANUAL, NOT_OURS, UNREADABLE = "registered", "needs manual entry", "not a pledge form", "cannot be read"
DIGITAL, TYPED, NONE = "digital signature", "typed name", "none"
# What can be wrong with a digital signature, by the word the register counts it under: why, in words.
# Integrity (the signed bytes' digest, the signature over it) and what was changed after signing are
# checked for every PDF signature; trust (whose certificate it is) only against --trust, so a
# self-signed certificate is at most "signed, not by a certificate we know".
SIGNATURE_PROBLEMS = {
    "broken": "the file was changed after it was signed",
    "not valid": "it does not match the certificate it names",
    "not checked": "it could not be read",
    "outdated": "answers were changed after it was signed; the register shows the changed ones",
    "void": "the file was changed after it was signed in a way its signature does not allow",
    "cannot be checked": "packgen cannot check a Word file's digital signature: open the file in Word to see it",
}
WORD_SIGNATURE_EMPTY = "not signed digitally: the Word file's signature part holds no signature over the form"
NOT_KNOWN = "no: signed, but not by a certificate we know"
VOID_TRUST = "no: changed after signing in a way the signature does not allow"
OUTDATED_TRUST = "no: answers changed after signing"


@dataclass(frozen=True)
class Expect:
    """What the pledge form holds, small and picklable, for the child processes."""

    fields: tuple[tuple[str, str, str], ...]  # (id, label, type)
    name_field: str
    typed_name: str
    title: str
    trust_roots: tuple[bytes, ...] = ()  # DER certificates
    trust_given: bool = False
    placeholders: tuple[tuple[str, str], ...] = ()  # (id, the words a Word control shows until filled)


@dataclass
class Reading:
    status: str
    problem: str = ""
    kind: str = ""
    values: dict[str, str] = field(default_factory=dict)
    signed: str = NONE
    intact: str = ""
    valid: str = ""
    trusted: str = ""
    modified: str = ""
    signer: str = ""
    signing_time: str = ""
    signature_problem: str = ""  # a key of SIGNATURE_PROBLEMS, or "" for none

    def signature_fails(self, key: str, detail: str = "") -> None:
        """Record what is wrong with a digital signature, in the row's problem column too; the row is
        counted under its first problem."""
        if not self.signature_problem:
            self.signature_problem = key
            self.signed = f"{DIGITAL} ({key})"
        words = f"signature {key}: {SIGNATURE_PROBLEMS[key]}{f' ({detail})' if detail else ''}"
        self.problem = f"{self.problem}; {words}" if self.problem else words


def read(path: str, expect: Expect) -> Reading:
    """Read one file of any kind; the type is decided by its first bytes, never its name."""
    p = Path(path)
    there = what_is_at(p)
    if p.is_symlink():  # never followed: a link could lead anywhere on the disk
        if there == LINK_TO_FOLDER:
            return Reading(NOT_OURS, f"{LINK_TO_FOLDER}: not followed, so no form in it is read")
        if there == LINK_TO_NOTHING:
            return Reading(NOT_OURS, f"{LINK_TO_NOTHING}, not a file: not read")
        return Reading(NOT_OURS, "a link to another file, not a file: not followed")
    if there in (FOLDER, PIPE):  # opening a pipe could wait for ever
        return Reading(NOT_OURS, f"{there}, not a file: not read")
    try:
        size = p.stat().st_size
        with p.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        return Reading(UNREADABLE, f"cannot open the file ({exc.strerror or exc})")
    if size == 0:
        return Reading(UNREADABLE, "the file is empty")
    if size > MAX_FILE_BYTES:
        return Reading(UNREADABLE, f"the file is larger than {MAX_FILE_BYTES >> 20} MB")
    if b"%PDF-" in head:
        return read_pdf(p.read_bytes(), expect)
    if head.startswith(b"PK\x03\x04"):
        return read_docx(p, expect)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return Reading(UNREADABLE, "an old Word 97-2003 (.doc) file: ask for it saved as .docx or PDF", "doc")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF8")) or head[4:12] in (
            b"ftypheic", b"ftypmif1"):
        return Reading(MANUAL, "a picture (a photo or scan of a form?): enter its values by hand", "image")
    return Reading(NOT_OURS, "neither a PDF nor a Word file", "other")


# --- matching -----------------------------------------------------------------------------------------

def _key(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()


class _Matcher:
    def __init__(self, expect: Expect):
        self.by_id = {fid: (fid, ftype) for fid, _, ftype in expect.fields}
        self.by_label = {_key(label): (fid, ftype) for fid, label, ftype in expect.fields}

    def find(self, name: str, label: str) -> tuple[str, str] | None:
        last = name.rsplit(".", 1)[-1] if name else ""
        if self.by_id.get(name) or self.by_id.get(last):
            return self.by_id.get(name) or self.by_id.get(last)
        # an accessible name may carry the required mark and the help after the label
        return (self.by_label.get(_key(label)) or self.near(label, slack=None)) if label else None

    def near(self, text: str, slack: int | None = 24) -> tuple[str, str] | None:
        """The field whose label starts this text, followed by at most `slack` characters (a mark such
        as "(required)") that begin with a space or punctuation."""
        key = _key(text)
        best = None
        for label, found in self.by_label.items():
            if not label or not key.startswith(label):
                continue
            rest = key[len(label):]
            if rest and (rest[0].isalnum() or (slack is not None and len(rest) > slack)):
                continue
            if best is None or len(label) > len(best[0]):
                best = (label, found)
        return best[1] if best else None


def _clean(value: str) -> str:
    value = value.replace("\u00a0", " ").replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return value.strip()  # the register bounds what a cell shows, and says so


def _is_ours(values: dict[str, str], expect: Expect) -> bool:
    """Ours when the organisation's field and at least half the form's fields for words are there (an
    older version of the form, with a field more or less, still counts). Tick boxes do not count: the
    form takes their words from the charter, and another document (a checklist) may tick the same."""
    words = {fid for fid, _, ftype in expect.fields if ftype != "checkbox"}
    return expect.name_field in values and len(words & values.keys()) * 2 >= len(words)


def _typed(values: dict[str, str], expect: Expect) -> bool:
    signature_ids = [fid for fid, _, ftype in expect.fields if ftype == "signature"]
    return any(values.get(fid) for fid in [expect.typed_name, *signature_ids] if fid)


def _mentions_form(text: str, expect: Expect) -> bool:
    """A printed copy of the form: the labels of at least half of its fields for words (in either
    variant) are in the text. A document that only speaks of the form (the charter: "send the pledge
    form with your email address") names a few of them at most; tick boxes' words are left out, since
    the form takes them from the charter."""
    words = _key(text)
    labels: dict[str, list[str]] = {}
    for fid, label, ftype in expect.fields:
        if ftype != "checkbox" and _key(label):
            labels.setdefault(fid, []).append(_key(label))
    hits = sum(1 for options in labels.values() if any(label in words for label in options))
    return bool(labels) and hits >= min(2, len(labels)) and hits * 2 >= len(labels)


# --- PDF ----------------------------------------------------------------------------------------------

MAX_FIELDS = 5_000  # a form with more field objects than this is not ours, however it is built


def read_pdf(data: bytes, expect: Expect) -> Reading:
    """The form's fields with pikepdf (qpdf parses lazily, where pypdf parses every object stream of
    the embedded fonts); a file without fields is looked at with pypdf's text."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data), password="") as pdf:
            fields = _pikepdf_fields(pdf)
            repaired = "; ".join(pdf.get_warnings()[:1])
    except pikepdf.PasswordError:
        return Reading(UNREADABLE, "the PDF is protected by a password: ask for an unprotected copy", "pdf")
    except RecursionError:
        return Reading(UNREADABLE, "the PDF is malformed (objects nested or looping too deeply)", "pdf")
    except (pikepdf.PdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        return Reading(UNREADABLE, f"the PDF is damaged ({_short(exc)})", "pdf")
    except Exception as exc:  # noqa: BLE001 - a hostile file may trip anything; it costs a row, not the run
        return Reading(UNREADABLE, f"the PDF cannot be read ({type(exc).__name__}: {_short(exc)})", "pdf")
    damaged = f"; the file is damaged ({_short(Exception(repaired))})" if repaired else ""
    if not fields:
        return _without_fields(data, expect, damaged)
    values, signature = _pdf_values(fields, expect)
    if not _is_ours(values, expect):
        names = _listed(sorted(fields))
        return Reading(NOT_OURS, f"a PDF form, but not the pledge form (its fields: {names}){damaged}", "pdf")
    reading = Reading(OK, kind="pdf", values=values)
    if signature:
        _pdf_signature(data, expect, reading)
    elif _typed(values, expect):
        reading.signed = TYPED
    return reading


def _pikepdf_fields(pdf) -> dict[str, dict[str, object]]:  # noqa: ANN001 (a pikepdf.Pdf)
    """Terminal fields by fully qualified name: {"/FT", "/V", "/TU"}, inherited values applied.
    Walked with a stack and a set of visited objects, so loops and deep trees cost nothing."""
    import pikepdf

    acroform = pdf.Root.get("/AcroForm")
    if not isinstance(acroform, pikepdf.Dictionary):
        return {}
    roots = acroform.get("/Fields")
    if not isinstance(roots, pikepdf.Array):
        return {}
    out: dict[str, dict[str, object]] = {}
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[object, str, dict[str, object]]] = [(f, "", {}) for f in reversed(list(roots))]
    while stack:
        node, parent, inherited = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        if len(seen) > MAX_FIELDS:
            raise ValueError(f"more than {MAX_FIELDS} field objects")
        title = node.get("/T")
        name = ".".join(p for p in (parent, str(title) if title is not None else "") if p)
        own = {k: node.get(k) for k in ("/FT", "/V", "/TU") if k in node}
        merged = {**inherited, **{k: v for k, v in own.items() if k != "/TU"}}
        kids = node.get("/Kids")
        children = [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/T" in k] if isinstance(
            kids, pikepdf.Array) else []
        if children:
            stack.extend((k, name, merged) for k in reversed(children))
        elif name:
            out[name] = {**merged, "/TU": own.get("/TU")}
    return out


def _without_fields(data: bytes, expect: Expect, damaged: str) -> Reading:
    """A PDF with no fields: a printed copy of the form, a scan, or something else."""
    from pypdf import PdfReader

    notes = _Notes()
    logging.getLogger("pypdf").addHandler(notes)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            reader.decrypt("")
        pages = list(reader.pages[:TEXT_PAGES])
        for page in pages:  # decode the content first: a decompression bomb stops here, with its reason
            contents = page.get_contents()
            if contents is not None:
                contents.get_data()
        text = " ".join(page.extract_text() or "" for page in pages)
        pictures = any(_has_image(page) for page in pages)
    except RecursionError:
        return Reading(UNREADABLE, "the PDF's pages are malformed (nested or looping too deeply)", "pdf")
    except Exception as exc:  # noqa: BLE001 - e.g. pypdf's LimitReachedError on a decompression bomb
        return Reading(UNREADABLE, f"the PDF's pages cannot be read ({type(exc).__name__}: {_short(exc)})", "pdf")
    finally:
        logging.getLogger("pypdf").removeHandler(notes)
    if not damaged and notes.first:
        damaged = f"; the file is damaged ({_short(Exception(notes.first))})"
    if _mentions_form(text, expect):
        return Reading(MANUAL, "a printed copy of the form (no fillable fields): enter its values by hand", "pdf")
    if not text.strip() and pictures:
        return Reading(MANUAL, "pictures of pages with no fields and no text (a scan?): enter its values by hand",
                       "pdf")
    return Reading(NOT_OURS, "a PDF without form fields that is not the pledge form" + damaged, "pdf")


class _Notes(logging.Handler):
    """Keeps the first warning a library logs while it reads a file."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.first = ""

    def emit(self, record: logging.LogRecord) -> None:
        if not self.first:
            self.first = record.getMessage()


def _has_image(page) -> bool:  # noqa: ANN001 (a pypdf page)
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if xobjects is None:
        return False
    return any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.get_object().values())


def _pdf_values(fields: dict[str, dict[str, object]], expect: Expect) -> tuple[dict[str, str], bool]:
    import pikepdf

    matcher = _Matcher(expect)
    values: dict[str, str] = {}
    signed = False
    for name, f in fields.items():
        kind = str(f.get("/FT") or "")
        label = _pdf_text(f.get("/TU"))
        found = matcher.find(name, label)
        value = f.get("/V")
        if kind == "/Sig":
            signed = signed or isinstance(value, pikepdf.Dictionary)
            if found:
                values.setdefault(found[0], "")
            continue
        if not found:
            continue
        fid, ftype = found
        text = _field_text(value)
        if ftype == "checkbox" or kind == "/Btn":
            values[fid] = "true" if text and text != "Off" else ""
        else:
            values[fid] = _clean(text)
    return values, signed


def _field_text(value: object) -> str:
    """A field's value (/V) as text: a name (a tick box's state) without its slash, a list of choices
    joined by commas."""
    import pikepdf

    if isinstance(value, pikepdf.Array):
        return ", ".join(_pdf_text(v) for v in value)
    return _pdf_text(value)


def _pdf_text(value: object) -> str:
    """A PDF text string (PDFDocEncoding or UTF-16) as str; anything else as ""."""
    import pikepdf

    if isinstance(value, pikepdf.String):
        return str(value)
    if isinstance(value, pikepdf.Name):
        return str(value)[1:]
    return ""


def _pdf_signature(data: bytes, expect: Expect, reading: Reading) -> None:
    """Check every digital signature with pyHanko, in the order they were made: intact, valid, trusted
    against --trust only, and changes since. The row is only as good as its worst signature; each
    signer is named, and a problem names whose signature it is when there are several."""
    from asn1crypto import x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    reading.signed = DIGITAL
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            reader.decrypt("")
        signatures = sorted(reader.embedded_signatures, key=lambda sig: sig.signed_revision)
        if not signatures:
            reading.intact = reading.valid = "no"
            reading.signature_fails("not checked", "the signature field holds no readable signature")
            return
        roots = [x509.Certificate.load(der) for der in expect.trust_roots]
        # never the system's trust store and never the network: trusted means "in --trust"
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        statuses = [validate_pdf_signature(sig, context, key_usage_settings=KeyUsageConstraints())
                    for sig in signatures]
    except RecursionError:
        reading.intact = reading.valid = "no"
        reading.signature_fails("not checked", "the PDF nests too deeply")
        return
    except Exception as exc:  # noqa: BLE001
        reading.intact = reading.valid = "no"
        reading.signature_fails("not checked", f"{type(exc).__name__}: {_short(exc)}")
        return
    signers = [_signer(status.signing_cert) if status.signing_cert is not None else "" for status in statuses]
    reading.intact = _yes(all(status.intact for status in statuses))
    reading.valid = _yes(all(status.intact and status.valid for status in statuses))
    reading.trusted = ("yes" if all(status.trusted for status in statuses) else NOT_KNOWN) \
        if expect.trust_given else "not checked (no --trust)"
    for sig, status, signer in zip(signatures, statuses, signers, strict=True):
        whose = f"the signature of {signer or 'a signer with no name'}" if len(signatures) > 1 else ""
        if not status.intact:
            reading.signature_fails("broken", whose)
        elif not status.valid:
            reading.signature_fails("not valid", whose)
        elif status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
            _changed_after_signing(data, sig, status, expect, reading, whose)
    reading.modified = _modified(statuses[-1])  # since the last signature, which covers the most
    reading.signer = "; ".join(signer for signer in signers if signer)
    reading.signing_time = "; ".join(_signing_time(status) for status in statuses)


def _modified(status) -> str:  # noqa: ANN001 (a pyHanko PdfSignatureStatus)
    """Whether the file was changed after the signature, and how, in words."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return "no"
    level = status.modification_level
    what = {ModificationLevel.LTA_UPDATES: "validation data only", ModificationLevel.FORM_FILLING: "form filling",
            ModificationLevel.ANNOTATIONS: "comments"}.get(level, "other changes") if level is not None else ""
    modified = f"yes ({what})" if what else "yes"
    return modified + (", not allowed by the signature" if status.docmdp_ok is False else "")


def _signing_time(status) -> str:  # noqa: ANN001 (a pyHanko PdfSignatureStatus)
    """When it was signed: by its timestamp, when it has one, else as the signer's computer said."""
    when = status.signer_reported_dt
    if status.timestamp_validity is not None and status.timestamp_validity.timestamp is not None:
        when = status.timestamp_validity.timestamp
    return when.isoformat(timespec="seconds") if when else ""


def _changed_after_signing(data: bytes, sig, status, expect: Expect, reading: Reading,  # noqa: ANN001
                           whose: str = "") -> None:
    """A later revision on top of the signed one. pyHanko's difference analysis says whether the
    signature allows it (docmdp_ok: its DocMDP certification level or FieldMDP lock, and no change
    beyond filling in the form) and whether the form was filled in since (modification_level);
    which answers changed is read from the two revisions themselves, since pyHanko's
    changed_form_fields lists every field it would let change, not those that did. Either way the
    answers the register shows are not all the ones signed, so the row is not trusted."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.fields import MDPPerm
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    changed = _changed_answers(data, sig, expect, reading.values)
    answers = f"answers changed: {_listed(changed)}" if changed else (
        "which answers changed cannot be told" if changed is None else "")
    if status.docmdp_ok is False:
        lock = sig.docmdp_level
        why = {MDPPerm.NO_CHANGES: "the signer allowed no changes",
               MDPPerm.FILL_FORMS: "the signer allowed filling in the form only",
               MDPPerm.ANNOTATE: "the signer allowed filling in and comments only"}.get(lock, "")
        if status.coverage is not None and status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
            why = "the signature covers only part of the file it was made on"
        elif not why:
            why = "the signer locked fields of the form" if sig.fieldmdp is not None else (
                "changes beyond filling in the form")
        reading.trusted = VOID_TRUST
        reading.signature_fails("void", "; ".join(w for w in (why, answers, whose) if w))
    elif changed or (changed is None and status.modification_level not in (None, ModificationLevel.LTA_UPDATES)):
        reading.trusted = OUTDATED_TRUST
        reading.signature_fails("outdated", "; ".join(w for w in (answers, whose) if w))


def _changed_answers(data: bytes, sig, expect: Expect, now: dict[str, str]) -> list[str] | None:  # noqa: ANN001
    """The form's fields (by id, as the register's columns name them) whose answer differs from the
    one signed, or None when the signed revision cannot be read. The signed revision is the file up
    to the end of the signature's byte range; its answers are read as the file's own are, so a
    field renamed or relabelled since counts as changed too."""
    import pikepdf

    try:
        _, _, start, length = (int(n) for n in sig.byte_range)
        with pikepdf.open(io.BytesIO(data[:start + length])) as pdf:
            then, _ = _pdf_values(_pikepdf_fields(pdf), expect)
    except Exception:  # noqa: BLE001 - a hostile file may trip anything; its row says what is known
        return None
    return [fid for fid in sorted(then.keys() | now.keys()) if then.get(fid, "") != now.get(fid, "")]


def _listed(names: list[str], most: int = 5, chars: int = 80) -> str:
    """Names for a message: the first few, each at most `chars` long, and how many more."""
    shown = [n if len(n) <= chars else n[:chars - 1] + "…" for n in names[:most]]
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(shown) + more


def _signer(cert) -> str:  # noqa: ANN001 (an asn1crypto certificate)
    """Who signed, as a person says it: "Siân Ŵyn, Riverside Trust" (the certificate's name and
    organisation), else every part of its subject."""
    subject = cert.subject.native
    parts = [subject.get(key) for key in ("common_name", "organization_name")]
    words = ", ".join(p for p in parts if isinstance(p, str) and p.strip())
    return _clean(words or cert.subject.human_friendly)


# --- Word ---------------------------------------------------------------------------------------------

def _w(name: str) -> str:
    return qn(f"w:{name}")


def read_docx(path: Path, expect: Expect) -> Reading:
    from packgen.safeio import SafeZip, UnsafeFile

    from .package import main_part, signatures

    try:
        archive = SafeZip(str(path))
        document = main_part(archive)
        root = archive.xml(document) if document is not None else None
        if root is None or not str(root.tag).endswith("}document"):  # a workbook or a slide show is not
            return Reading(NOT_OURS, "a zip file, but not a Word document", "zip")
        word_signatures, signature_traces = signatures(archive, document)
    except UnsafeFile as exc:
        return Reading(UNREADABLE, f"the Word file is damaged or unsafe ({exc})", "docx")
    except Exception as exc:  # noqa: BLE001
        return Reading(UNREADABLE, f"the Word file cannot be read ({type(exc).__name__}: {_short(exc)})", "docx")
    values = _docx_values(root, expect)
    if not values:
        text = " ".join(t.text or "" for t in root.iter(_w("t")))
        if _mentions_form(text, expect):
            return Reading(MANUAL, "the form's words without its fields (retyped or converted?): enter its values "
                           "by hand", "docx")
        return Reading(NOT_OURS, "a Word document that is not the pledge form", "docx")
    if not _is_ours(values, expect):
        return Reading(NOT_OURS, "a Word form, but not the pledge form", "docx")
    reading = Reading(OK, kind="docx", values=values)
    if word_signatures:
        # there, but packgen cannot tell whether it is valid, so it is never counted as signed
        reading.intact = reading.valid = reading.trusted = "not checked (a Word signature)"
        reading.signature_fails("cannot be checked")
        return reading
    if signature_traces:
        reading.problem = WORD_SIGNATURE_EMPTY
    if _typed(values, expect):
        reading.signed = TYPED
    return reading


def _docx_values(root, expect: Expect) -> dict[str, str]:  # noqa: ANN001 (an lxml element)
    matcher = _Matcher(expect)
    values: dict[str, str] = {}
    for sdt in root.iter(_w("sdt")):
        pr = sdt.find(_w("sdtPr"))
        if pr is None:
            continue
        tag = _attr(pr.find(_w("tag")))
        alias = _attr(pr.find(_w("alias")))
        found = matcher.find(tag, alias) or _by_context(sdt, matcher)
        if not found:
            continue
        fid, ftype = found
        content = sdt.find(_w("sdtContent"))
        box = pr.find(qn("w14:checkbox"))
        if box is not None or ftype == "checkbox":
            state = box.find(qn("w14:checked")) if box is not None else None
            ticked = state is not None and state.get(qn("w14:val"), "0") in ("1", "true")
            if box is None and content is not None:  # a box kept only as its glyph
                ticked = "\u2612" in "".join(t.text or "" for t in content.iter(_w("t")))
            values[fid] = "true" if ticked else ""
            continue
        if pr.find(_w("showingPlcHdr")) is not None or content is None:
            values.setdefault(fid, "")
            continue
        value = _clean(_text_of(content))
        if (fid, value) in expect.placeholders:  # still the hint it came with, its placeholder flag lost
            values.setdefault(fid, "")
            continue
        values[fid] = value
    return values


def _by_context(sdt, matcher: _Matcher) -> tuple[str, str] | None:  # noqa: ANN001
    """A control that lost its tag and title (LibreOffice keeps neither on tick boxes and date pickers):
    the label beside it in its paragraph (a tick box), else the label in the paragraphs just before."""
    para = next((a for a in sdt.iterancestors(_w("p"))), None)
    if para is None:
        return None
    beside = "".join(t.text or "" for t in para.iter(_w("t")) if not any(a is sdt for a in t.iterancestors(_w("sdt"))))
    found = matcher.near(beside) if beside.strip() else None
    if found:
        return found
    previous = para.getprevious()
    for _ in range(3):
        if previous is None or previous.tag != _w("p") or next(previous.iter(_w("sdt")), None) is not None:
            return None
        found = matcher.near("".join(t.text or "" for t in previous.iter(_w("t"))))
        if found:
            return found
        previous = previous.getprevious()
    return None


def _text_of(content) -> str:  # noqa: ANN001
    parts = []
    for node in content.iter(_w("t"), _w("br"), _w("cr"), _w("tab"), _w("p")):
        if node.tag == _w("t"):
            parts.append(node.text or "")
        elif node.tag == _w("tab"):
            parts.append("\t")
        elif node.tag == _w("p") and parts:
            parts.append("\n")
        elif node.tag in (_w("br"), _w("cr")):
            parts.append("\n")
    return "".join(parts)


def _attr(node) -> str:  # noqa: ANN001
    return node.get(_w("val"), "") if node is not None else ""


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _short(exc: BaseException) -> str:
    """The error's words, without where in memory the library kept the file, at most 160 characters."""
    text = re.sub(r"stream <[^>]*>(, |: )?", "", str(exc)) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
