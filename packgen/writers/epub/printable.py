"""A form in an e-book: a page to print and fill in by hand, with no live fields.

Reading systems neither keep nor send what is typed into a field, so every control of the web page
becomes what a printed form shows in its place: a box to tick, or a space to write in (larger for
a multi-line answer); a label becomes the question it asks. The questions, hints and groups stay as
the web page has them. Where the web page says how to print and send what was typed, a form's book
says where to get the form to fill in on a computer: its fillable PDF beside pack.yaml's `download_page`
(the address the built files are put at), or, without it, whom to ask, in the labels' words.

Labels (from `document.labels`):

    epub_form_fill_in  a form, download_page and its PDF  the words before the link to the fillable PDF
    epub_form_ask      a form otherwise               where to ask for the form to fill in on a computer
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import jinja2
from lxml import etree

from packgen import template_folders
from packgen.model import Document
from packgen.template_sandbox import BoundedSandbox, bounded_render
from packgen.theme import Theme
from packgen.writers.epub.shown_labels import form_link, is_form
from packgen.writers.html.page import template_errors

STYLE = "printable.css.j2"
TEMPLATES = "epub"  # the folder beside the theme file (and packgen's own) holding STYLE
SPACES = {"textarea": "answer-space answer-lines", "date": "answer-space answer-date"}  # else "answer-space"


def style(theme: Theme) -> str:
    """The form's printed spaces and boxes, in the theme's colours (a pack may have its own STYLE)."""
    folders = theme.writer_templates(TEMPLATES)
    loader = template_folders.Loader(folders)
    # A pack may have its own STYLE, so it is held to the bounds a document's template is
    env = BoundedSandbox(loader=loader, autoescape=False, undefined=jinja2.StrictUndefined)  # noqa: S701 - CSS
    colour = {name: f"#{value}" for name, value in dataclasses.asdict(theme.colours).items()}
    with template_errors("the e-book form's stylesheet template", folders, env):
        return bounded_render(env.get_template(STYLE), {"colour": colour})


def make_printable(main: etree._Element, document: Document, pdf: Path | None) -> bool:
    """Turn the web page's form controls under `main` into printed spaces and boxes, and, in a form,
    its finishing words (print, send) into where to get the form to fill in on a computer; whether
    there was anything to turn (then the book needs `style`)."""
    controls = list(main.iter("input", "textarea", "select", "button"))
    for control in controls:
        kind = control.get("type", "text") if control.tag == "input" else control.tag
        if control.tag == "button":
            holder = control.getparent()
            _remove(holder if holder.tag == "p" and len(holder) == 1 and not (holder.text or "").strip()
                    else control)
            continue
        made = etree.Element("span", {"class": "tick-box"} if kind == "checkbox" else {
            "class": SPACES.get(kind, "answer-space")})
        made.tail = control.tail
        control.getparent().replace(control, made)
    for label in list(main.iter("label")):
        label.tag = "span"
        label.attrib.clear()
        label.set("class", "question")
    for form in list(main.iter("form")):
        form.tag = "div"
        for name in ("action", "method", "enctype"):
            form.attrib.pop(name, None)
    if is_form(document):
        _say_where_to_get_it(main, document, pdf)
    return bool(controls) or is_form(document)


def _say_where_to_get_it(main: etree._Element, document: Document, pdf: Path | None) -> None:
    link = form_link(document, pdf)
    words = etree.Element("p", {"class": "form-get"})
    words.text = document.labels["epub_form_fill_in" if link else "epub_form_ask"].strip()
    if link:
        words.text += " "
        anchor = etree.SubElement(words, "a", href=link)
        anchor.text = link
    finish = next((div for div in main.iter("div") if "form-finish" in div.get("class", "").split()), None)
    if finish is not None:  # the web page's words on printing and sending what was typed
        words.tail = finish.tail
        finish.getparent().replace(finish, words)
        return
    blocks = [div for div in main.iter("div") if "form-block" in div.get("class", "").split()]
    (blocks[-1] if blocks else main[-1]).addnext(words)


def _remove(element: etree._Element) -> None:
    """Take `element` out, keeping the text after it."""
    parent, tail = element.getparent(), element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)
