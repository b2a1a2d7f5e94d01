"""The tagged PDF writer, checked on the built file with tools nobody on the project wrote.

Poppler (pdfinfo, pdffonts, pdftotext), qpdf, pdf.js (Firefox's engine, via node), the pdfua
checker, and pikepdf walks of our own for the PDF/UA rules pdfua does not implement.
"""

from __future__ import annotations

import gc
import re
import subprocess
import sys
import weakref
from pathlib import Path

import pikepdf
import pytest

from packgen.errors import RenderError
from packgen.model import (
    Figure,
    FormBlock,
    Heading,
    ListBlock,
    Paragraph,
    PictureRow,
    Table,
)
from packgen.writers.pdf.document import write

from conftest import ROOT
from samples import FOOTER, METADATA
from tests.pdf_clients import (
    BALLOT_BOX,
    FIXTURES,
    code_to_glyph,
    elements,
    kids,
    make_document,
    marked_content,
    missing,
    pdffonts,
    pdfjs,
    pdfjs_roles,
    require,
    run,
    sample_markdown,
    struct_strings,
    struct_text,
    theme,
)

PAINTING = {"Tj", "TJ", "'", '"', "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "Do", "sh", "INLINE IMAGE"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The sample document in both variants, plus one long enough to split paragraphs and tables."""
    out = tmp_path_factory.mktemp("pdf")
    paths = {}
    for variant in ("standard", "easy-read"):
        paths[variant] = out / f"sample-{variant}.pdf"
        assert write(make_document(sample_markdown(), variant), theme(), paths[variant]) >= 2
    paths["long"] = out / "long.pdf"
    write(make_document(long_markdown(), doc_id="long"), theme(), paths["long"])
    return paths


def long_markdown() -> str:
    para = " ".join(f"Sentence {i} of a paragraph long enough to cross a page." for i in range(80))
    rows = "\n".join(f"| Row {i} statement | yes | no |" for i in range(70))
    return (f"# Long document\n\n{para}\n\n## A long table\n\n| Statement | Yes | No |\n| --- | --- | --- |\n"
            f"{rows}\n\nAfter the table.\n")


def expected_text(document) -> list[str]:
    """The words of the document in reading order, as the tag tree should give them."""

    def blocks(items, depth=0):
        for block in items:
            if isinstance(block, (Heading, Paragraph)):
                yield block.text
            elif isinstance(block, ListBlock):
                for n, item in enumerate(block.items):
                    yield f"{block.start + n}." if block.ordered else ("\u2022", "\u2013")[depth % 2]
                    yield from blocks(item.children, depth + 1)
            elif isinstance(block, Table):
                for cell in block.header:
                    yield cell.text
                for row in block.rows:
                    for cell in row:
                        yield cell.text
            elif isinstance(block, Figure):
                yield "".join(t.text for t in block.caption)
            elif isinstance(block, PictureRow):
                yield from blocks(block.children, depth)
            elif isinstance(block, FormBlock):
                yield block.legend
                for field in block.fields:
                    yield f"{field.label} {field.required_mark}" if field.required_mark else field.label
                    yield from field.hints

    return list(blocks(document.blocks))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- Poppler ---------------------------------------------------------------------------------------


def test_pdfinfo_says_tagged(built):
    for path in built.values():
        info = run(require("pdfinfo"), str(path))
        assert re.search(r"^Tagged:\s+yes", info, re.M), info
        assert "Page size:       595.276 x 841.89 pts (A4)" in info


def test_struct_text_shows_elements_with_their_text(built):
    tree = struct_text(built["standard"])
    for role in ("Document", "H1", "H2", "H3", "P", "L", "LI", "Lbl", "LBody", "Table", "THead", "TBody",
                 "TR", "TH", "TD", "Figure", "Caption", "Link"):
        assert re.search(rf"^\s*{role}\b", tree, re.M), f"no {role} in\n{tree}"
    assert re.search(r'H1 \(block\)\n\s+"Sample document title"', tree)
    assert re.search(r'TH:\n\s+/Scope /Column\n\s+"Statement"', tree)
    assert re.search(r'Lbl \(block\)\n\s+"1\."\n\s+LBody \(block\)\n\s+P \(block\)\n\s+"Step one"', tree)


@pytest.mark.parametrize("variant", ["standard", "easy-read"])
def test_tag_tree_text_is_the_document_text_in_order(built, variant):
    document = make_document(sample_markdown(), variant)
    got = squash("".join(struct_strings(built[variant])))
    want = squash("".join([document.draft_mark, *expected_text(document)]))  # a draft says so first
    assert got == want


def test_tag_tree_holds_no_artifacts(built):
    strings = " ".join(struct_strings(built["standard"]))
    assert "Page 1 of" not in strings
    assert "sample footer" not in strings
    assert strings.count("DRAFT") == 1  # the first page's mark only: the others are page furniture


def test_words_are_spaced_at_line_ends(built):
    """Wrapped lines keep a space, so words on either side of a line break do not run together."""
    strings = struct_strings(built["long"])
    words = " ".join(strings).split()
    assert "page.Sentence" not in " ".join(words)
    para = next(s for s in strings if s.startswith("Sentence 0"))
    expected = " ".join(f"Sentence {i} of a paragraph long enough to cross a page." for i in range(80))
    assert para.split() == expected.split()[: len(para.split())]


def test_pdftotext_reads_words_in_order(built):
    text = run(require("pdftotext"), "-layout", str(built["standard"]), "-")
    flat = " ".join(text.split())
    assert "An opening paragraph with bold words, italic words and a link to the" in flat
    assert "Social Work England standards" in flat
    order = [flat.index(s) for s in ("Sample document title", "First point", "Nested one", "Step three",
                                     "We plan meetings together", "Working together as equals")]
    assert order == sorted(order)


def test_pdffonts_every_font_embedded_with_unicode(built):
    for path in built.values():
        fonts = pdffonts(path)
        assert fonts
        for font in fonts:
            # text is drawn from subsets; the form's fonts (Type 0) are whole, so any typed value draws
            whole = font["type"].startswith("CID")
            assert font["emb"] == "yes" and font["uni"] == "yes" and font["sub"] == ("no" if whole else "yes"), font
            assert "Helvetica" not in font["name"]
        assert any("AtkinsonHyperlegible" in f["name"] for f in fonts)
        tags = [f["name"].split("+")[0] for f in fonts if "+" in f["name"]]
        assert len(tags) == len(set(tags)), "each font subset needs its own tag"


def test_footer_page_label_and_draft_mark_on_every_page(built):
    path = built["long"]
    pages = int(re.search(r"Pages:\s+(\d+)", run(require("pdfinfo"), str(path))).group(1))
    assert pages >= 3
    for n in range(1, pages + 1):
        text = run(require("pdftotext"), "-f", str(n), "-l", str(n), str(path), "-")
        assert f"Page {n} of {pages}" in text
        assert " ".join(FOOTER.split()) in " ".join(text.split())  # the footer may wrap
        assert "DRAFT" in text


def test_no_draft_mark_when_final(tmp_path):
    path = tmp_path / "final.pdf"
    write(make_document("# Final\n\nWords.\n", draft_mark=""), theme(), path)
    assert "DRAFT" not in run(require("pdftotext"), str(path), "-")


# --- qpdf, pdfua -------------------------------------------------------------------------------------

def test_qpdf_check_passes(built):
    for path in built.values():
        out = run(require("qpdf"), "--check", str(path))
        assert "No syntax or stream encoding errors" in out


def test_pdfua_checker_finds_nothing(built):
    import json
    import subprocess
    import sys

    exe = Path(sys.executable).with_name("pdfua")
    if not exe.exists():
        missing("the pdfua checker is not installed")
    for path in built.values():
        result = subprocess.run([str(exe), "check", "--format", "json", str(path)], capture_output=True,
                                text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        report = json.loads(result.stdout)
        text = json.dumps(report)
        assert '"severity": "error"' not in text.lower() and '"severity": "warning"' not in text.lower()


# --- pdf.js ------------------------------------------------------------------------------------------

def test_pdfjs_reads_structure_metadata_and_language(built):
    data = pdfjs(built["standard"])
    nodes = [n for page in data["pages"] for n in pdfjs_roles(page["structTree"])]
    roles = {n["role"] for n in nodes}
    assert {"Document", "H1", "H2", "P", "L", "LI", "Lbl", "LBody", "Table", "TH", "TD", "Figure", "Link",
            "Caption"} <= roles
    alts = [n.get("alt") for n in nodes if n["role"] == "Figure"]
    assert "Two hands shaking" in alts and "A handshake" in alts
    assert all(n.get("bbox") for n in nodes if n["role"] == "Figure")
    assert data["info"]["Title"] == "Sample document title"
    assert data["info"]["Language"] == "en-GB"
    assert data["metadata"]["dc:title"] == "Sample document title"
    assert data["metadata"]["pdfuaid:part"] == "1"
    assert sorted(data["fields"]) == sorted(["organisation", "email", "date", "commit-1", "first-steps",
                                             "signature"])
    # the page is tagged: pdf.js sees marked content on every page
    assert all(page["markedContent"] > 0 for page in data["pages"])


def test_pdfjs_outline_nests_like_the_headings(built):
    outline = pdfjs(built["standard"])["outline"]
    assert [o["title"] for o in outline] == ["Sample document title"]
    second = [o["title"] for o in outline[0]["items"]]
    assert second == ["A section with lists", "A figure", "Easy-read points", "Form fields"]
    assert outline[0]["items"][0]["items"][0]["title"] == "A subsection with a table"


# --- our own PDF/UA checks (the rules pdfua does not implement) -------------------------------------

def test_every_painting_operator_is_tagged_or_an_artifact(built):
    for path in built.values():
        with pikepdf.open(path) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                depth = 0
                tagged = []
                previous = ""
                for operands, op in pikepdf.parse_content_stream(page):
                    name = str(op)
                    if name in ("BDC", "BMC"):
                        ok = str(operands[0]) == "/Artifact" or (
                            name == "BDC" and isinstance(operands[1], pikepdf.Dictionary)
                            and "/MCID" in operands[1])
                        tagged.append(ok or (tagged and tagged[-1]))
                        depth += 1
                    elif name == "EMC":
                        tagged.pop()
                        depth -= 1
                    elif name in PAINTING or (name == "n" and previous in ("W", "W*")):
                        assert tagged and tagged[-1], f"{path.name} page {number}: {name} outside marked content"
                    previous = name
                assert depth == 0


def test_every_mcid_is_reachable_both_ways(built):
    for path in built.values():
        with pikepdf.open(path) as pdf:
            nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
            parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
            assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) > max(parent_tree)
            from_tree: set[tuple[int, int]] = set()
            page_index = {p.objgen: i for i, p in enumerate(pdf.pages)}
            for el in elements(pdf):
                for kid in kids(el):
                    if isinstance(kid, int):
                        from_tree.add((page_index[el.Pg.objgen], int(kid)))
                    elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                        from_tree.add((page_index[kid.Pg.objgen], int(kid.MCID)))
            from_content: set[tuple[int, int]] = set()
            for i, page in enumerate(pdf.pages):
                assert "/StructParents" in page.obj
                mcids = [m for _, m, _ in marked_content(page) if m is not None]
                assert len(mcids) == len(set(mcids)), "an MCID is used twice on a page"
                owners = parent_tree[int(page.obj.StructParents)]
                assert len(owners) == len(mcids)
                for mcid in mcids:
                    from_content.add((i, mcid))
                    owner = owners[mcid]
                    assert (i, mcid) in {(page_index[owner.Pg.objgen], int(k)) for k in kids(owner)
                                         if isinstance(k, int)} | {
                        (page_index[k.Pg.objgen], int(k.MCID)) for k in kids(owner)
                        if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR"}
            assert from_tree == from_content


def test_link_annotations_resolve_to_their_link_elements(built):
    with pikepdf.open(built["standard"]) as pdf:
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        seen = 0
        for page in pdf.pages:
            annots = page.obj.get("/Annots")
            if not annots:
                continue
            assert page.obj.Tabs == "/S"
            for annot in annots:
                if annot.Subtype != "/Link":
                    continue
                seen += 1
                assert str(annot.Contents) == "Social Work England standards"
                owner = parent_tree[int(annot.StructParent)]
                assert owner.S == "/Link"
                objrs = [k for k in kids(owner) if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"]
                assert any(k.Obj.objgen == annot.objgen for k in objrs)
                assert str(annot.A.URI) == "https://www.socialworkengland.org.uk/standards/"
        assert seen >= 1


def test_headings_skip_no_level(built):
    with pikepdf.open(built["standard"]) as pdf:
        levels = [int(str(el.S)[2]) for el in elements(pdf) if re.fullmatch(r"/H[1-6]", str(el.S))]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_fonts_have_tounicode_and_no_notdef_glyph_is_drawn(built):
    for path in built.values():
        with pikepdf.open(path) as pdf:
            programs: dict = {}
            streams = [(page, page.obj.Resources) for page in pdf.pages]
            for page in pdf.pages:
                for _, xobj in page.obj.Resources.get("/XObject", {}).items():
                    if xobj.get("/Subtype") == "/Form":
                        streams.append((xobj, xobj.get("/Resources", page.obj.Resources)))
            drawn = 0
            for owner, resources in streams:
                fonts = resources.get("/Font", {})
                current = None
                for operands, op in pikepdf.parse_content_stream(owner):
                    name = str(op)
                    if name == "Tf":
                        font = fonts[operands[0]]
                        assert font.Subtype == "/TrueType", font.BaseFont
                        assert "/ToUnicode" in font, font.BaseFont
                        key = font.objgen
                        if key not in programs:
                            data = font.FontDescriptor.FontFile2.read_bytes()
                            programs[key] = code_to_glyph(data)
                        current = programs[key]
                    elif name in ("Tj", "TJ", "'", '"'):
                        parts = operands[-1] if name != "TJ" else [x for x in operands[0]
                                                                   if isinstance(x, pikepdf.String)]
                        for part in (parts if name == "TJ" else [parts]):
                            for code in bytes(part):
                                drawn += 1
                                assert current.get(code, 0) != 0, f"{path.name}: code {code} draws .notdef"
            assert drawn > 100


# --- structure details -----------------------------------------------------------------------------

def test_split_paragraph_and_table_stay_one_element(built):
    with pikepdf.open(built["long"]) as pdf:
        els = elements(pdf)
        page_index = {p.objgen: i for i, p in enumerate(pdf.pages)}

        def pages_of(el: pikepdf.Dictionary) -> set[int]:
            return {page_index[el.Pg.objgen]} | {page_index[k.Pg.objgen] for k in kids(el)
                                                 if isinstance(k, pikepdf.Dictionary) and "/Pg" in k}

        pages = max((pages_of(el) for el in els if el.S == "/P"), key=len)  # the long paragraph's
        assert len(pages) == 2, "the long paragraph should be one P on two pages"
        tables = [el for el in els if el.S == "/Table"]
        assert len(tables) == 1
        ths = [el for el in els if el.S == "/TH"]
        assert len(ths) == 3, "a repeated header row must be an artifact, not more TH elements"
        assert all(el.A.Scope == "/Column" and el.A.O == "/Table" for el in ths)
        assert len([el for el in els if el.S == "/TR"]) == 71
    # the header row is drawn again on the next page, as an artifact
    text = run(require("pdftotext"), "-f", "3", "-l", "3", str(built["long"]), "-")
    strings = struct_strings(built["long"])
    assert strings.count("Statement") == 1
    assert "Statement" in text or "Statement" in run(require("pdftotext"), "-f", "2", "-l", "2",
                                                        str(built["long"]), "-")


def test_picture_rows_are_figure_then_text_never_a_table(built):
    with pikepdf.open(built["easy-read"]) as pdf:
        els = elements(pdf)
        figures = [el for el in els if el.S == "/Figure"]
        assert [str(f.Alt) for f in figures] == ["Two hands shaking", "A person speaking", "A handshake"]
        for fig in figures:
            assert fig.A.O == "/Layout" and len(fig.A.BBox) == 4
            x0, y0, x1, y1 = (float(v) for v in fig.A.BBox)
            assert x1 > x0 and y1 > y0
        row = figures[1].P
        assert [str(k.S) for k in kids(row)] == ["/Figure", "/P"]
        assert row.S != "/Table" and len([el for el in els if el.S == "/Table"]) == 1  # only the data table
        # picture on the left, its words on the right
        assert float(figures[1].A.BBox[2]) < 200


def test_easy_read_body_text_is_large(built):
    for variant, least in (("standard", 12), ("easy-read", 16)):
        with pikepdf.open(built[variant]) as pdf:
            sizes = set()
            for page in pdf.pages:
                for tag, _, ops in marked_content(page):
                    if tag in ("/P", "/LBody", "/TD", "/Lbl", "/Link"):
                        sizes |= {float(o[1]) for o, name in ops if name == "Tf"}
            assert sizes and min(sizes) >= least, (variant, sizes)


def test_document_catalog_and_metadata(built):
    with pikepdf.open(built["standard"]) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert "/Outlines" in pdf.Root
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp and "Sample document title" in xmp
        assert str(pdf.docinfo.Title) == "Sample document title"
        assert str(pdf.docinfo.Author) == METADATA.author
        assert str(pdf.docinfo.Subject) == METADATA.subject
        assert str(pdf.docinfo.Keywords) == ", ".join(METADATA.keywords)
        assert str(pdf.docinfo.CreationDate).startswith("D:20250301")


def test_objects_are_packed_in_object_streams_that_every_reader_follows(built):
    # qpdf lists where each object lives: the dictionaries (tags, pages, fonts) sit in deflated
    # object streams, found through a cross-reference stream; only streams stand on their own.
    rows = run(require("qpdf"), "--show-xref", str(built["long"])).splitlines()
    compressed = [row for row in rows if ": compressed;" in row]
    assert len(compressed) > 3 * (len(rows) - len(compressed)), rows[:5]
    assert re.search(r"PDF version: +1\.7", run(require("pdfinfo"), str(built["long"])))  # PDF/UA-1 is ISO 32000-1
    # Each stream names its one filter plainly (qpdf re-deflates a stream whose filter is an array
    # whenever it saves a file holding it: combining the pack's PDFs did so for every font) and
    # ends its data with an end of line (ISO 32000-1, 7.3.8.1).
    with pikepdf.open(built["long"]) as pdf:
        filters = [o.get("/Filter") for o in pdf.objects if isinstance(o, pikepdf.Stream)]
        assert filters and all(f is None or isinstance(f, pikepdf.Name) for f in filters), filters
    raw = built["long"].read_bytes()
    assert raw.count(b"endstream") == raw.count(b"\nendstream")


def test_titles_with_brackets_backslashes_and_welsh_read_back_exactly(tmp_path):
    title = "Siarter (drafft) \\ Cyd-gynhyrchu: ŵ ŷ — “dyfyniad” (end"
    path = tmp_path / "escapes.pdf"
    write(make_document("# Pennawd\n\nParagraff.\n", title=title, language="cy"), theme(), path)
    info = run(require("pdfinfo"), str(path))
    assert f"Title:           {title}" in info
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo.Title) == title
        assert str(pdf.Root.Lang) == "cy"
    data = pdfjs(path)
    assert data["info"]["Title"] == title and data["metadata"]["dc:title"] == title
    assert data["info"]["Language"] == "cy"


def test_same_input_gives_identical_bytes(tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    write(make_document(sample_markdown()), theme(), a)
    write(make_document(sample_markdown()), theme(), b)
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("variant", ["standard", "large-print"])
def test_a_word_longer_than_its_line_is_cut_to_fit_and_every_letter_is_on_the_page(tmp_path, variant):
    """A web address or a long compound word is cut where it fits (after a / or - when one falls
    there), never drawn past the page's edge: Poppler finds every letter, each inside the page."""
    address = "https://riverside.example.org/policies/involving-the-people-we-serve-in-everything-we-do-2025.pdf"
    word = "Rentenversicherungsträgerbeitragsbemessungsgrenzenüberschreitungsmitteilungen" * 2
    md = (f"# Links\n\nRead our policy at {address} today.\n\n{word}\n\n| Where | What |\n| --- | --- |\n"
          f"| {address} | {word} |\n")
    path = tmp_path / "long-words.pdf"
    write(make_document(md, variant, doc_id="long-words"), theme(), path)
    text = "".join(run(require("pdftotext"), str(path), "-").split())
    assert text.count(address) == 2 and text.count(word) == 2
    layout = run(require("pdftotext"), "-bbox", str(path), "-")
    page_width = float(re.search(r'<page width="([\d.]+)"', layout)[1])
    right_edges = [float(x) for x in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"', layout)]
    assert right_edges and max(right_edges) < page_width - 10
    first = next(line.split()[-1] for line in run(require("pdftotext"), "-layout", str(path), "-").splitlines()
                 if "https:" in line)
    assert address.startswith(first) and address[len(first)] in "/-."  # cut before a slash, a hyphen or a dot


def test_a_table_column_aligned_right_or_centred_is_drawn_so(tmp_path):
    """Markdown's `---:` and `:---:` align a column in the PDF as in Word and the web page: the
    amounts' right edges line up, the centred words' middles do."""
    md = ("# Costs\n\n| Item | Cost | Who |\n| --- | ---: | :---: |\n| Tea | £1 | Sam |\n"
          "| Lunch for everyone | £120.50 | Everyone |\n")
    path = tmp_path / "aligned.pdf"
    write(make_document(md, doc_id="aligned"), theme(), path)
    layout = run(require("pdftotext"), "-bbox", str(path), "-")
    boxes = {word: (float(x0), float(x1)) for x0, x1, word in
             re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>', layout)}
    assert abs(boxes["£1"][1] - boxes["£120.50"][1]) < 0.5 and boxes["£120.50"][0] < boxes["£1"][0] - 5
    middle = [sum(boxes[word]) / 2 for word in ("Sam", "Everyone")]
    assert abs(middle[0] - middle[1]) < 0.5
    assert boxes["Tea"][0] == boxes["Lunch"][0]  # a column with no alignment stays left-aligned


# --- fonts: fallback and missing glyphs -----------------------------------------------------------

def test_welsh_and_arabic_come_from_the_fallback_fonts(tmp_path):
    path = tmp_path / "scripts.pdf"
    md = "# Croeso\n\nMae\u2019r ŵyl yn y dŷ: ŵ ŷ Ŵ Ŷ, cafe\u0301.\n\nمرحبا بكم\n"
    write(make_document(md, doc_id="scripts"), theme(), path)
    names = [f["name"] for f in pdffonts(path)]
    assert any("NotoSans-" in n or "NotoSans+" in n or n.split("+")[-1].startswith("NotoSans") for n in names)
    assert any("NotoSansArabic" in n for n in names), names
    text = run(require("pdftotext"), str(path), "-")
    assert "ŵyl" in text and "dŷ" in text and "café" in text  # a combining accent drawn as one letter
    assert "مرحبا بكم" in text.replace("\u202b", "").replace("\u202c", "")


def test_right_to_left_text_is_shaped_ordered_and_reads_as_written(tmp_path):
    """Arabic and Urdu are joined (HarfBuzz), put in visual order (bidi), and read back in logical order:
    pdftotext through each cluster's ActualText, the tag tree through a Span's /ActualText."""
    path = tmp_path / "rtl.pdf"
    urdu = "ادارہ برائے تعلیم"
    md = f"# Partners\n\nOur partner {urdu} works with us on 12 projects.\n"
    write(make_document(md, doc_id="rtl"), theme(), path)
    text = " ".join(run(require("pdftotext"), str(path), "-").replace("\u202b", "").replace("\u202c", "").split())
    # Poppler sets the space between the Urdu and "works" on the wrong side of its RTL embedding
    assert urdu in text and text.index("Our partner") < text.index(urdu) < text.index("works with us on 12")
    with pikepdf.open(path) as pdf:
        spans = [el for el in elements(pdf) if el.S == "/Span"]
        assert [str(el.ActualText) for el in spans] == [urdu]
        assert spans[0].P.S == "/P"
        # drawn right to left: the last word's glyphs come first on the line
        page = pdf.pages[0]
        actual = [str(ops[1].ActualText) for ops, op in pikepdf.parse_content_stream(page)
                  if str(op) == "BDC" and isinstance(ops[1], pikepdf.Dictionary) and "/ActualText" in ops[1]]
    assert "".join(actual).replace(" ", "") == "".join(reversed(urdu.split())) or actual[0] in urdu.split()[-1]
    writer_checks = {"rtl": path}
    test_every_painting_operator_is_tagged_or_an_artifact(writer_checks)
    test_every_mcid_is_reachable_both_ways(writer_checks)
    test_qpdf_check_passes(writer_checks)


def test_numbers_in_a_right_to_left_sentence_read_as_written(tmp_path):
    """An Arabic sentence's "1,000" and "10.5" are drawn as numbers, left to right, not as "000,1" and
    "5.10": the separator between two digits belongs to the number (UAX #9, rule W4)."""
    path = tmp_path / "numbers.pdf"
    write(make_document("# شركاء\n\nسندفع 1,000 جنيه و10.5 بالمئة (٣ ساعات).\n", doc_id="numbers"), theme(), path)
    text = run(require("pdftotext"), str(path), "-")
    assert "1,000" in text and "10.5" in text, text


def test_characters_print_does_not_show_are_not_drawn(tmp_path):
    """Text pasted from a word processor or web page holds soft hyphens, zero-width spaces, word joiners,
    direction marks and tag characters. None is drawn, and a reader copying the words gets each whole:
    before, a soft hyphen was drawn as a hyphen mid-word, a direction mark as a bar, a word joiner as
    a gap, and a tag character stopped the build for want of a font."""
    hidden = "\u00ad\u200b\u2060\u200e\ufeff\U000e0001"
    words = " ".join(f"co{char}operation" for char in hidden)
    path = tmp_path / "pasted.pdf"
    write(make_document(f"# Pasted\n\nOur {words} together.\n", doc_id="pasted"), theme(), path)
    text = run(require("pdftotext"), str(path), "-")
    assert f"Our {' '.join(['cooperation'] * len(hidden))} together." in " ".join(text.split()), text
    assert not set(hidden) & set(text), text


def test_emoji_no_font_has_is_an_error_naming_it(tmp_path):
    with pytest.raises(RenderError, match="U\\+1F600 \\(GRINNING FACE\\).*'emoji'.*We smile"):
        write(make_document("# Title\n\nWe smile \U0001F600 a lot.\n", doc_id="emoji"), theme(), tmp_path / "e.pdf")


def test_character_no_font_has_is_an_error_naming_it(tmp_path):
    md = "# Title\n\nA paragraph with a private use character \ue000 in it.\n"
    with pytest.raises(RenderError) as err:
        write(make_document(md, doc_id="private"), theme(), tmp_path / "x.pdf")
    message = str(err.value)
    assert "U+E000" in message and "'private'" in message and "A paragraph with a private" in message
    assert not (tmp_path / "x.pdf").exists()


def test_sample_ballot_box_is_reported(tmp_path):
    """The fixture's table uses U+2610, which no theme font has: the writer says so and where."""
    md = (FIXTURES / "sample.md").read_text(encoding="utf-8")
    with pytest.raises(RenderError, match="U\\+2610 \\(BALLOT BOX\\).*'sample'.*Statement"):
        write(make_document(md), theme(), tmp_path / "x.pdf")
    assert BALLOT_BOX in md


# --- blocks taller than a page ---------------------------------------------------------------------

@pytest.mark.parametrize("variant", ["standard", "easy-read"])
def test_a_row_or_point_taller_than_a_page_splits(tmp_path, variant):
    """A table row or an easy-read point longer than a page continues on the next page (one TR, one P)."""
    long = " ".join(f"Word{i} of a very long cell." for i in range(900))
    md = (f"# Tall\n\n| Statement | Notes |\n| --- | --- |\n| short | {long} |\n| next | row |\n\n"
          f"- ![A handshake](handshake) {long}\n")
    path = tmp_path / "tall.pdf"
    pages = write(make_document(md, variant, doc_id="tall"), theme(), path)
    assert pages >= 4
    with pikepdf.open(path) as pdf:
        els = elements(pdf)
        assert len([el for el in els if el.S == "/TR"]) == 3
        assert len([el for el in els if el.S == "/TH"]) == 2
    strings = struct_strings(path)
    assert squash(long) in squash("".join(strings)), "the long cell's words are all there, in order"
    assert squash("".join(strings)).count(squash(long)) == 2, "and the long point's too"
    checks = {"tall": path}
    test_every_painting_operator_is_tagged_or_an_artifact(checks)
    test_every_mcid_is_reachable_both_ways(checks)
    test_qpdf_check_passes(checks)


def test_a_written_documents_tag_tree_is_freed_at_once_not_left_to_the_cycle_collector(tmp_path, monkeypatch):
    # A long document written one at a time must give its memory back before the next is written:
    # the tree's elements refer to their parents and kids, and ReportLab's document to its canvas.
    from packgen.writers.pdf import tagging

    made: list[weakref.ref] = []
    element = tagging.Tagger.element

    def watched(self, *args, **kw):
        made.append(weakref.ref(created := element(self, *args, **kw)))
        return created

    monkeypatch.setattr(tagging.Tagger, "element", watched)
    gc.collect()
    gc.disable()
    try:
        write(make_document(sample_markdown()), theme(), tmp_path / "freed.pdf")
        alive = sum(ref() is not None for ref in made)
    finally:
        gc.enable()
    assert len(made) > 50 and alive == 0


def test_a_fallback_font_is_read_only_when_a_letter_needs_it(tmp_path):
    # Most documents are all in the body font: a fallback font is read only for a letter it has.
    script = """
from pathlib import Path
from reportlab.pdfbase import pdfmetrics
from packgen.theme import load_theme
from packgen.writers.pdf.fonts import MissingGlyph, fontset
from packgen.template_folders import PACKGEN_TEMPLATES
fonts = fontset(load_theme(PACKGEN_TEMPLATES))
def read():
    return sorted({n.split("-")[1] for n in pdfmetrics.getRegisteredFontNames() if n.startswith("PG-Noto")})
fonts.check("Partners meet as equals.")
seen = [read()]
fonts.check("Croeso i'r ŵyl")
seen.append(read())
fonts.check("ادارہ")
seen.append(read())
try:
    fonts.check("\ue000")
except MissingGlyph:
    seen.append("missing")
print(seen)
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "[[], ['NotoSans'], ['NotoSans', 'NotoSansArabic'], 'missing']", result.stderr


def test_a_fallback_fonts_other_styles_are_read_only_when_drawn(tmp_path):
    # Reading a font file is slow work in Python: Noto Sans Italic (for an italic Welsh letter, say)
    # is read only by a document that has one.
    script = """
from pathlib import Path
from reportlab.pdfbase import pdfmetrics
from packgen.theme import load_theme
from packgen.writers.pdf.fonts import fontset
from packgen.template_folders import PACKGEN_TEMPLATES
fonts = fontset(load_theme(PACKGEN_TEMPLATES))
def italic_noto():
    return any("NotoSans-Italic" in name for name in pdfmetrics.getRegisteredFontNames())
before = italic_noto()
runs = fonts.segments("Croeso i'r ŵyl", italic=True)
print(before, italic_noto(), [text for _, text in runs])
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.stdout.split(maxsplit=2)[:2] == ["False", "True"], result.stderr
    assert "ŵ" in result.stdout.split(maxsplit=2)[2]


def test_every_right_to_left_letter_unicode_has_is_noticed():
    # Each paragraph is asked whether it needs reordering; to answer fast, only characters from the
    # Hebrew block on are looked up. Every code point must still answer as Unicode's classes say.
    import unicodedata

    from packgen.writers.pdf.bidi import has_rtl

    wrong = [hex(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF
             and has_rtl(chr(c)) != (unicodedata.bidirectional(chr(c)) in ("R", "AL"))]
    assert wrong == []
    assert has_rtl("Our partner ادارہ works with us") and not has_rtl("Ŵyl – “quoted” text")


