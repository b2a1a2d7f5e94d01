"""Namespaces and a tiny element builder for WordprocessingML.

The body is built with lxml directly (python-docx's friendly API re-parses and re-searches the tree
on every call, which gets slow on long documents). Every helper here returns a plain lxml element.
"""

from __future__ import annotations

from functools import cache

from lxml import etree

from packgen.ooxml import NS, qn

# Namespaces declared on every part root, so children never redeclare them.
ROOT_NSMAP = {k: NS[k] for k in ("w", "r", "wp", "a", "pic", "mc", "w14")}

PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def rel_type(name: str) -> str:
    """An officeDocument relationship type by its last part: 'styles', 'image', 'hyperlink'..."""
    return f"{NS['r']}/{name}"


@cache
def _attribute(name: str) -> str:
    return qn(name) if ":" in name else name


def el(name: str, attrs: dict[str, str] | None = None, *children: etree._Element) -> etree._Element:
    """A new element named with a prefix ('w:p'); attribute names are prefixed too ('w:val')."""
    node = etree.Element(qn(name), {_attribute(k): v for k, v in attrs.items()} if attrs else None)
    for child in children:
        node.append(child)
    return node


def sub(parent: etree._Element, name: str, attrs: dict[str, str] | None = None) -> etree._Element:
    """A new child element appended to parent."""
    return etree.SubElement(parent, qn(name), {_attribute(k): v for k, v in attrs.items()} if attrs else None)


def val(name: str, value: str | int | float) -> etree._Element:
    """The ubiquitous <w:x w:val="..."/> element."""
    return el(name, {"w:val": str(value)})


def root(name: str) -> etree._Element:
    """A part's root element with every namespace declared and w14 marked ignorable."""
    node = etree.Element(qn(name), nsmap=ROOT_NSMAP)
    node.set(qn("mc:Ignorable"), "w14")
    return node


def serialise(node: etree._Element) -> bytes:
    return etree.tostring(node, xml_declaration=True, encoding="UTF-8", standalone=True)


def twips(points: float) -> str:
    """Points -> twentieths of a point (dxa), Word's unit for spacing and indents."""
    return str(round(points * 20))


def mm_twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def mm_emu(mm: float) -> int:
    """Millimetres -> English Metric Units (DrawingML's unit)."""
    return round(mm * 36000)


def half_points(points: float) -> str:
    return str(round(points * 2))
