"""The XML namespaces of Word files (Office Open XML), in one list for everything that writes,
checks or reads them: the Word writer, `packgen check` and the register of returned forms."""

from __future__ import annotations

from functools import cache

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "xml": "http://www.w3.org/XML/1998/namespace",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "v": "urn:schemas-microsoft-com:vml",
    "adec": "http://schemas.microsoft.com/office/drawing/2017/decorative",
}


@cache
def qn(name: str) -> str:
    """'w:p' -> '{namespace}p', the form lxml wants (remembered: a long body asks for the same few
    dozen names many thousands of times)."""
    if name.startswith("{"):
        return name
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"
