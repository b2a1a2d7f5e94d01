"""What a returned Word file's package says of itself: which part is the document, and whether a
digital signature is there at all.

A Word file is a zip whose parts are found through its relationships (`_rels/.rels` names the main
document part; Word opens whatever part that names), never by a part's usual name. packgen cannot
check a Word signature (the XML signature over the package's parts), so it only tells a signature
that is there from a folder or a part that merely looks like one.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

from packgen.ooxml import qn
from packgen.safeio import SafeZip, UnsafeFile, parse_xml

# the relationship types Word writes (transitional), and ISO 29500 strict's name for the main part
MAIN_PART = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
             "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument")
SIGNATURE_ORIGIN = "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/origin"
SIGNATURE = "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/signature"
DSIG = "{http://www.w3.org/2000/09/xmldsig#}"


def relationships(archive: SafeZip, part: str) -> list[tuple[str, str]]:
    """(type, target part) of each relationship from a part ("" for the package), internal ones only,
    the target resolved against the part's folder as OPC says."""
    folder, name = posixpath.split(part)
    root = archive.xml(posixpath.join(folder, "_rels", f"{name}.rels"))
    if root is None:
        return []
    found = []
    for rel in root.iter(qn("pr:Relationship")):
        target = unquote(rel.get("Target", ""))
        if rel.get("TargetMode", "Internal") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found.append((rel.get("Type", ""), path))
    return found


def main_part(archive: SafeZip) -> str | None:
    """The part the package names as its document, if it names one that is there."""
    return next((t for kind, t in relationships(archive, "") if kind in MAIN_PART and t in archive.names), None)


def signatures(archive: SafeZip, document: str) -> tuple[int, bool]:
    """(signatures that sign the document, whether the package carries any sign of one): a signature
    part reached through the signature origin, holding an XML signature with a signature value over
    a manifest that names the document part. Whether it is valid is not checked here."""
    traces = any(n.startswith("_xmlsignatures/") for n in archive.names)
    origins = [t for kind, t in relationships(archive, "") if kind == SIGNATURE_ORIGIN]
    count = 0
    for origin in origins:
        for kind, part in relationships(archive, origin):
            if kind == SIGNATURE and _signs(archive, part, document):
                count += 1
    return count, traces or bool(origins)


def _signs(archive: SafeZip, part: str, document: str) -> bool:
    data = archive.read(part)
    if not data:
        return False
    try:
        root = parse_xml(data)
    except UnsafeFile:
        return False  # not XML: no signature, and no reason to doubt the rest of the file
    if root.tag != f"{DSIG}Signature":
        return False
    value = root.find(f"{DSIG}SignatureValue")
    info = root.find(f"{DSIG}SignedInfo")
    if value is None or not (value.text or "").strip() or info is None or info.find(f"{DSIG}Reference") is None:
        return False
    signed = {unquote(r.get("URI", "")).split("?", 1)[0].lstrip("/")
              for r in root.iter(f"{DSIG}Reference") if r.getparent().tag == f"{DSIG}Manifest"}
    return document in signed
