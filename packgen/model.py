"""The document model: the one contract between the Markdown parser and every writer.

Writers read only these classes and the theme; nothing here reads sources or templates. Each
field is one the Markdown parser or compose fills in: a field nothing produces is not here, so a
writer never carries a branch no document can reach. Every class is a frozen dataclass, so a
parsed document can be shared between writers (Document.labels is a dict that writers only read).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

# --- inline content -------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A run of text with its emphasis. `code` marks inline code (`...` in Markdown): the web page
    marks it up as code; PDF and Word show it as plain text."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False


@dataclass(frozen=True)
class Link:
    """A hyperlink: its visible words (runs) and its target."""

    href: str
    children: tuple[Text, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.children)


@dataclass(frozen=True)
class LineBreak:
    """A hard line break inside a paragraph (Markdown's trailing backslash or two spaces)."""


Inline = Text | Link | LineBreak


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The words a reader hears: used for alt text, bookmarks, field names and checks."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Link):
            out.append(node.text)
        else:
            out.append("\n")
    return "".join(out)


# --- blocks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    level: int  # 1..6; the document title is level 1
    children: tuple[Inline, ...]
    anchor: str = ""  # a stable id for bookmarks and HTML fragments
    section: str = ""  # the id of the source section this heading opens (Word names its bookmark by it)

    @property
    def text(self) -> str:
        return plain_text(self.children)


@dataclass(frozen=True)
class Paragraph:
    children: tuple[Inline, ...]
    # It introduces the list right after it (it ends with ':'): paged formats keep it on the page of
    # the list's first item, as a heading is kept with what follows it (packgen/policy.py decides).
    keep_with_next: bool = False

    @property
    def text(self) -> str:
        return plain_text(self.children)


@dataclass(frozen=True)
class ListItem:
    """One item: its blocks (paragraphs and nested lists)."""

    children: tuple[Block, ...]


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[ListItem, ...]
    start: int = 1


@dataclass(frozen=True)
class TableCell:
    """A cell's words; in a checklist or a table to fill in, an answer cell is a field instead (`field`:
    a checkbox, or a text box)."""

    children: tuple[Inline, ...]
    align: Literal["left", "center", "right"] = "left"
    field: FormField | None = None

    @property
    def text(self) -> str:
        return plain_text(self.children)


@dataclass(frozen=True)
class Table:
    """A data table: one header row, then body rows. No merged cells, by design. In a checklist the
    first cell of each row is what its tick boxes answer, and each column header names its boxes."""

    header: tuple[TableCell, ...]
    rows: tuple[tuple[TableCell, ...], ...]

    @property
    def checklist(self) -> bool:
        """Whether any answer cell is a field (a tick box or a box to type in)."""
        return any(cell.field is not None for row in self.rows for cell in row)


@dataclass(frozen=True)
class Picture:
    """A picture file resolved on disk, with what a screen reader says of it (never empty)."""

    path: Path
    alt: str


@dataclass(frozen=True)
class Figure:
    picture: Picture
    caption: tuple[Inline, ...] = ()


@dataclass(frozen=True)
class PictureRow:
    """An easy-read point: a picture on the left, short text on the right, read in that order."""

    picture: Picture
    children: tuple[Block, ...]


@dataclass(frozen=True)
class PageBreak:
    pass


FieldType = Literal["text", "multiline", "email", "telephone", "date", "checkbox", "signature"]


@dataclass(frozen=True)
class FormField:
    """A field an organisation fills in. Each writer renders it natively (AcroForm, w:sdt, <input>).

    What a reader sees beside the control is resolved once by compose (packgen/policy.py), so every
    format shows the same words: the label, then `required_mark`, then each of `hints`.
    """

    id: str
    label: str
    type: FieldType
    help: str = ""
    required: bool = False
    value: str = ""  # a pre-filled value ("" when empty; "true" ticks a box)
    date_format: str = ""  # how a date is written, e.g. "DD/MM/YYYY" (Word's date picker uses it)
    required_mark: str = ""  # the words after a required field's label, e.g. "(required)"
    hints: tuple[str, ...] = ()  # the words under the label, in order (help, then a date's format)
    # A format's own hints where its control asks for other words (a web page's signature is a typed
    # name, a PDF's a signature field): (format name, hints) pairs; other formats show `hints`.
    format_hints: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def hints_in(self, format_name: str) -> tuple[str, ...]:
        """The hints a format shows under the label: its own, else everyone's."""
        return dict(self.format_hints).get(format_name, self.hints)

    @property
    def placeholder(self) -> str:
        """What an empty control shows where a format has such words (Word's placeholder), and what
        `packgen register` reads as empty: the first hint, else the label; never blank characters."""
        return next((hint for hint in self.hints if hint.strip()), self.label)


@dataclass(frozen=True)
class FormBlock:
    """A group of fields (the pledge form's details, its commitments, its signature)."""

    fields: tuple[FormField, ...]
    legend: str = ""
    level: int = 0  # the heading level PDF and Word show the legend at (0: none known, a paragraph)
    anchor: str = ""  # the legend heading's stable id, as a Heading's

    @property
    def heading(self) -> Heading | None:
        """The legend as PDF and Word show it: a heading, in the navigation pane and the tags (a web
        page shows it as the fieldset's legend)."""
        return Heading(self.level, (Text(self.legend),), self.anchor) if self.legend and self.level else None


@dataclass(frozen=True)
class InFormats:
    """Blocks only some formats show: a format's own instructions (signing in a PDF reader, sending
    a web form), where the same words in another format would be wrong. Each writer is given the
    document as its format shows it (Document.in_format), so no writer meets one of these."""

    formats: tuple[str, ...]  # format names, as the writers' descriptors give them
    children: tuple[Block, ...]


Block = Heading | Paragraph | ListBlock | Table | Figure | PictureRow | PageBreak | FormBlock | InFormats


# --- the document ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Metadata:
    """What goes into document properties (DOCX core props, PDF Info/XMP, HTML <head>)."""

    title: str
    subject: str
    author: str
    language: str
    keywords: tuple[str, ...] = ()
    version: str = ""
    date: str = ""  # ISO 8601 date from the sources, never the clock
    status: Literal["draft", "final"] = "draft"
    pack_title: str = ""  # the pack's name: the web page's site header and <title> name the pack


@dataclass(frozen=True)
class Document:
    id: str
    variant: str  # one of packgen.sources.names.VARIANTS: "standard", "easy-read", "large-print"
    metadata: Metadata
    blocks: tuple[Block, ...]
    # Words for the running footer, already rendered from the labels file (labels/<language>.yaml).
    footer: str = ""
    # The page label with "{page}" and "{pages}" for the writer to fill (e.g. "Page {page} of {pages}").
    page_label: str = "{page}"
    # A visible mark on every page while the pack is a draft ("" when final).
    draft_mark: str = ""
    # The organisation's logo on the title block (brand.yml), above the title; its alt is "" when the
    # brand says on purpose that it is decorative (then it is an artifact, not a figure).
    logo: Picture | None = None
    # Every word a writer needs that is not content (e.g. a date hint, a signature line caption).
    labels: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    # Where a finished form is sent (pack.yaml's pledges_to: an e-mail address or an https address);
    # "" when the pack names none, and the form is printed and sent to the contact.
    pledges_to: str = ""
    # Where the download page is published (pack.yaml's download_page: an https address); "" when the
    # pack names none. The e-book's printable form links to the form's fillable PDF beside it.
    download_page: str = ""

    @property
    def title(self) -> str:
        return self.metadata.title

    def in_format(self, name: str) -> Document:
        """The document as the format `name` shows it: its own InFormats blocks opened, the others gone."""
        return replace(self, blocks=in_format(self.blocks, name))

    def headings(self) -> list[Heading]:
        """All headings in reading order, including those inside picture rows and list items."""
        return [b for b in walk(self.blocks) if isinstance(b, Heading)]


def in_format(blocks: tuple[Block, ...], name: str) -> tuple[Block, ...]:
    """The blocks as the format `name` shows them (see InFormats)."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, InFormats):
            out.extend(in_format(block.children, name) if name in block.formats else ())
        elif isinstance(block, ListBlock):
            out.append(replace(block, items=tuple(replace(item, children=in_format(item.children, name))
                                                  for item in block.items)))
        elif isinstance(block, PictureRow):
            out.append(replace(block, children=in_format(block.children, name)))
        else:
            out.append(block)
    return tuple(out)


def block_text(block: Block) -> str:
    """The first words of a block, to say where a problem is."""
    if isinstance(block, (Heading, Paragraph)):
        return block.text
    if isinstance(block, Table):
        return " ".join(c.text for c in block.header)
    if isinstance(block, Figure):
        return block.picture.alt
    if isinstance(block, FormBlock):
        return block.legend or " ".join(f.label for f in block.fields)
    if isinstance(block, (ListBlock, PictureRow)):
        inner = [b for b in walk((block,)) if isinstance(b, (Heading, Paragraph))]
        return inner[0].text if inner else ""
    return ""


def own_inlines(block: Block) -> tuple[Inline, ...]:
    """The words a block holds itself, not those of the blocks inside it (walk gives those)."""
    if isinstance(block, (Heading, Paragraph)):
        return block.children
    if isinstance(block, Table):
        return tuple(node for row in (block.header, *block.rows) for cell in row for node in cell.children)
    if isinstance(block, Figure):
        return block.caption
    return ()


def walk(blocks: tuple[Block, ...]):
    """Every block in reading order, depth first, so checks need not know the nesting rules."""
    for block in blocks:
        yield block
        if isinstance(block, ListBlock):
            for item in block.items:
                yield from walk(item.children)
        elif isinstance(block, (PictureRow, InFormats)):
            yield from walk(block.children)
