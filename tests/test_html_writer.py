"""The HTML writer: structure read back with lxml, then the real page in Chromium with axe-core.

The structural tests pin what a screen reader relies on (lang, title, landmarks, headings, table
headers, alt text, form labels) and what keeps the file self-contained. The browser tests run
tests/js/axe_check.mjs once for every page and assert on its JSON: axe-core's WCAG 2.2 AA rules,
text size, reflow at 320px, the easy-read picture-left layout, keyboard use and embedded fonts.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest
from fontTools.ttLib import TTFont

from packgen.errors import RenderError
from packgen.model import (
    Document,
    Figure,
    FormBlock,
    FormField,
    Heading,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Picture,
    PictureRow,
    Table,
    TableCell,
    Text,
)
from packgen.theme import Theme
from packgen.writers.html.page import write

from samples import LABELS, make_document, resolver

ROOT = Path(__file__).resolve().parents[1]
JS = ROOT / "tests" / "js"
LONG_URL = "https://example.org/" + "a-very-long-path-segment-without-any-break" * 4
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3


# -- building documents ------------------------------------------------------------------------


def document(variant: str = "standard", blocks: tuple | None = None, **changes) -> Document:
    return make_document(blocks, variant, **changes)


def stress_blocks() -> tuple:
    """What breaks pages: long words and addresses, a wide table, markup-like text, odd numbering."""
    handshake = resolver("handshake")
    assert handshake is not None
    wide = Table(
        header=tuple(TableCell((Text(f"Column heading {i}"),)) for i in range(1, 9)),
        rows=(tuple(TableCell((Text(f"Cell {i} with words"),)) for i in range(1, 9)),),
    )
    return (
        Heading(1, (Text("Stress <test> & {{ title }}"),), "stress-test-title"),
        Paragraph((Text("A very long word: "), Text(LONG_WORD, bold=True), Text(" and an address: "),
                   Link(LONG_URL, (Text(LONG_URL),)), LineBreak(), Text("After a line break."))),
        Heading(2, (Text("Numbered from three"),), "numbered-from-three"),
        ListBlock(ordered=True, start=3, items=(ListItem((Paragraph((Text("Third"),)),)),
                                                ListItem((Paragraph((Text("Fourth"),)),)))),
        wide,
        Figure(Picture(handshake, alt="Two people shaking hands"), (Text("A picture with a caption"),)),
        ListBlock(ordered=False, items=tuple(
            ListItem((Paragraph((Link(f"https://example.org/{i}", (Text(f"Resource {i}"),)),)),))
            for i in range(1, 4))),
        Heading(2, (Text("Points"),), "points"),
        PictureRow(Picture(handshake, alt="Two people shaking hands"),
                   (Paragraph((Text("We agree " + LONG_WORD),)),)),
        Heading(2, (Text("Your details"),), "your-details"),
        FormBlock(legend="Contact", fields=(
            FormField("name", "Your name", "text", required=True),
            FormField("phone", "Phone", "telephone", value="0121 000 0000"),
            FormField("signed-on", "Date", "date", value="31/01/2025", date_format="DD/MM/YYYY"),
        )),
        FormBlock(legend="What you will do", fields=(
            FormField("commit-a", "Pay people for their time", "checkbox", value="true"),
            FormField("commit-b", "Plan meetings together", "checkbox", help="Tick if you will"),
        )),
    )


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html.encode("utf-8"))


def render(doc: Document, theme: Theme, tmp_path: Path) -> tuple[str, lxml.html.HtmlElement]:
    out = tmp_path / f"{doc.id}-{doc.variant}.html"
    write(doc, theme, out)
    text = out.read_text(encoding="utf-8")
    return text, parse(text)


def style_text(tree: lxml.html.HtmlElement) -> str:
    return "\n".join(s.text_content() for s in tree.iter("style"))


# -- structure ---------------------------------------------------------------------------------



def test_lang_dir_title_and_metadata(theme: Theme, tmp_path: Path) -> None:
    _, tree = render(document(), theme, tmp_path)
    assert tree.get("lang") == "en-GB"
    assert tree.get("dir") == "ltr"
    assert tree.findtext(".//title") == "Sample document title – Co-Production Charter"
    assert tree.xpath("string(//meta[@name='description']/@content)") == "A sample for tests"
    assert tree.xpath("string(//meta[@name='author']/@content)") == "Test author"
    assert tree.xpath("//meta[@charset='utf-8']")
    assert "width=device-width" in tree.xpath("string(//meta[@name='viewport']/@content)")


def test_right_to_left_language_sets_dir(theme: Theme, tmp_path: Path) -> None:
    _, tree = render(document(language="ar"), theme, tmp_path)
    assert (tree.get("lang"), tree.get("dir")) == ("ar", "rtl")


def test_skip_link_comes_first_and_targets_main(theme: Theme, tmp_path: Path) -> None:
    _, tree = render(document(), theme, tmp_path)
    body = tree.find("body")
    first = body[0]
    assert first.tag == "a" and first.text == "Skip to main content"
    target = first.get("href")
    assert target.startswith("#")
    main = tree.get_element_by_id(target[1:])
    assert main.tag == "main"
    assert main.get("tabindex") == "-1"  # so focus really moves there in every browser


def test_skip_link_words_come_from_labels(theme: Theme, tmp_path: Path) -> None:
    doc = document(labels={**LABELS, "skip_link": "Neidio i'r prif gynnwys"})
    _, tree = render(doc, theme, tmp_path)
    assert tree.find("body")[0].text == "Neidio i'r prif gynnwys"


def test_missing_labels_are_an_error_naming_them(theme: Theme, tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="skip_link"):
        write(document(labels={}), theme, tmp_path / "x.html")


def test_one_of_each_landmark_at_the_top_level(theme: Theme, tmp_path: Path) -> None:
    _, tree = render(document(), theme, tmp_path)
    body = tree.find("body")
    assert [el.tag for el in body if el.tag in ("header", "main", "footer")] == ["header", "main", "footer"]
    for tag in ("header", "main", "footer", "nav"):
        assert len(tree.findall(f".//{tag}")) == (0 if tag == "nav" else 1)
    # All content is inside a landmark: only the skip link sits outside.
    assert [el.tag for el in body if el.tag not in ("header", "main", "footer")] == ["a"]


def test_headings_follow_the_model_in_order(theme: Theme, tmp_path: Path) -> None:
    doc = document()
    _, tree = render(doc, theme, tmp_path)
    found = [(int(h.tag[1]), h.text_content(), h.get("id"))
             for h in tree.xpath("//main//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]")]
    expected = [(h.level, h.text, h.anchor) for h in doc.headings()]
    assert found == expected
    assert found[0][0] == 1 and [lvl for lvl, *_ in found].count(1) == 1
    levels = [lvl for lvl, *_ in found]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_lists_are_real_and_nested(theme: Theme, tmp_path: Path) -> None:
    _, tree = render(document(), theme, tmp_path)
    main = tree.find(".//main")
    top_ul = main.xpath("./ul[not(@class)]")[0]
    assert len(top_ul.findall("li")) == 3
    nested = top_ul.xpath("./li/ul/li")
    assert [li.text_content().strip() for li in nested] == ["Nested one", "Nested two"]
    ol = main.find("ol")
    assert [li.text_content().strip() for li in ol.findall("li")] == ["Step one", "Step two", "Step three"]
    assert ol.get("start") is None


def test_ordered_list_keeps_its_start(theme: Theme, tmp_path: Path) -> None:
    _, tree = render(document(blocks=stress_blocks()), theme, tmp_path)
    assert tree.find(".//main//ol").get("start") == "3"


def test_tables_have_column_headers_and_a_named_scrolling_region(theme: Theme, tmp_path: Path) -> None:
    _, tree = render(document(), theme, tmp_path)
    table = tree.find(".//main//table")
    headers = table.xpath("./thead/tr/th")
    assert [th.text_content() for th in headers] == ["Statement", "Yes", "No"]
    assert all(th.get("scope") == "col" for th in headers)
    assert len(table.xpath("./tbody/tr")) == 2 and not table.xpath("./tbody//th")
    # The scrolling region is named by the heading above the table.
    region = table.getparent()
    assert region.get("role") == "region" and region.get("tabindex") == "0"
    assert tree.get_element_by_id(region.get("aria-labelledby")).tag == "h3"


def test_figures_have_alt_text_and_captions(theme: Theme, tmp_path: Path) -> None:
    _, tree = render(document(), theme, tmp_path)
    figure = tree.find(".//main//figure")
    img = figure.find("img")
    assert img.get("alt") == "Two hands shaking"
    assert img.get("src").startswith("data:image/svg+xml;base64,")
    assert figure.find("figcaption").text_content() == "Working together as equals"
    for image in tree.iter("img"):
        assert image.get("alt"), "every picture in the sample says what it shows"


def test_a_figure_takes_half_the_column_as_in_pdf_and_word(theme: Theme, tmp_path: Path) -> None:
    _, tree = render(document(blocks=stress_blocks()), theme, tmp_path)
    img = tree.find(".//main//figure/img")
    assert img.get("alt") == "Two people shaking hands"
    assert img.get("style") == "width: 50%"


def test_easy_read_points_are_picture_then_text_without_a_table(theme: Theme, tmp_path: Path) -> None:
    _, tree = render(document("easy-read"), theme, tmp_path)
    points = tree.xpath("//main//ul[@class='points']/li/div[@class='point']")
    assert len(points) == 2
    for point in points:
        picture, text = point
        assert picture.get("class") == "point-picture" and picture.find("img").get("alt")
        assert text.get("class") == "point-text"
        assert not point.xpath("ancestor-or-self::table")
    assert points[1].text_content().strip() == "We work together."
    css = style_text(tree)
    assert re.search(r"\.point \{[^}]*display: grid", css)


def test_text_from_the_model_is_escaped_not_markup(theme: Theme, tmp_path: Path) -> None:
    nasty = "</style><script>alert(1)</script> {{ x }} &amp;"
    doc = document(footer=nasty, draft_mark="<b>DRAFT</b>", page_label='"{page}</style>')
    html, tree = render(doc, theme, tmp_path)
    main = tree.find(".//main")
    assert 'with a "quote" & an ampersand <b>not markup</b>.' in main.text_content()
    assert not main.xpath(".//b") and not tree.xpath("//script")
    assert tree.find(".//footer").text_content().strip() == nasty
    assert tree.xpath("//p[@class='draft-mark']")[0].text_content() == "<b>DRAFT</b>"
    assert html.count("</style>") == 1  # the page label inside CSS cannot close the stylesheet
    _, tree = render(document(blocks=stress_blocks()), theme, tmp_path)
    assert tree.find(".//h1").text_content() == "Stress <test> & {{ title }}"


def test_links_keep_their_words_and_targets(theme: Theme, tmp_path: Path) -> None:
    _, tree = render(document(), theme, tmp_path)
    links = tree.xpath("//main//a[@href]")
    assert [(a.text_content(), a.get("href")) for a in links] == [
        ("Social Work England standards", "https://www.socialworkengland.org.uk/standards/")]


def test_form_controls_are_labelled_and_described(theme: Theme, tmp_path: Path) -> None:
    _, tree = render(document(), theme, tmp_path)
    controls = tree.xpath("//main//input | //main//textarea | //main//select")
    assert len(controls) == 6
    for control in controls:
        labels = tree.xpath(f"//label[@for='{control.get('id')}']")
        assert len(labels) == 1 and labels[0].text_content().strip(), control.get("id")
        for hint_id in (control.get("aria-describedby") or "").split():
            assert tree.get_element_by_id(hint_id).text_content().strip()
    by_name = {c.get("name"): c for c in controls}
    org = by_name["organisation"]
    assert org.get("type") == "text" and org.get("required") is not None
    assert org.get("autocomplete") == "organization"
    assert tree.get_element_by_id(org.get("aria-describedby")).text_content() == "The full name"
    assert "(required)" in tree.xpath("//label[@for='field_organisation']")[0].text_content()
    assert (by_name["email"].get("type"), by_name["email"].get("autocomplete")) == ("email", "email")
    assert by_name["date"].get("type") == "date"
    assert by_name["commit-1"].get("type") == "checkbox"
    assert by_name["first-steps"].tag == "textarea"
    signature = by_name["signature"]
    assert (signature.get("type"), signature.get("autocomplete")) == ("text", "name")
    assert signature.get("required") is not None
    assert tree.get_element_by_id(signature.get("aria-describedby")).text_content() == LABELS["signature_hint"]
    # Checkboxes are grouped in a fieldset named by its legend.
    fieldset = by_name["commit-1"].xpath("ancestor::fieldset")[0]
    assert fieldset.find("legend").text_content() == "Your organisation"


def test_fields_are_not_in_a_form_that_enter_would_submit(theme: Theme, tmp_path: Path) -> None:
    doc = document(blocks=(FormBlock(fields=(FormField("name", "Your name", "signature"),), legend="Sign"),))
    _, tree = render(doc, theme, tmp_path)
    assert tree.xpath("//main//fieldset//input[@name='name']")
    assert not tree.xpath("//form")


def test_italic_in_headings_embeds_bold_italic(theme: Theme, tmp_path: Path) -> None:
    doc = document(blocks=(Heading(1, (Text("Plain "), Text("slanted", italic=True)), "t"),))
    _, tree = render(doc, theme, tmp_path)
    css = style_text(tree)
    assert re.search(r"font-style: italic;\s*font-weight: 700;", css)
    assert not re.search(r"font-style: italic;\s*font-weight: 400;", css)


def test_form_values_types_and_groups(theme: Theme, tmp_path: Path) -> None:
    _, tree = render(document(blocks=stress_blocks()), theme, tmp_path)
    by_name = {c.get("name"): c for c in tree.xpath("//main//input")}
    assert (by_name["phone"].get("type"), by_name["phone"].get("autocomplete")) == ("tel", "tel")
    assert by_name["phone"].get("value") == "0121 000 0000"
    assert by_name["name"].get("autocomplete") == "name"
    assert by_name["signed-on"].get("value") == "2025-01-31"  # the only form type=date accepts
    assert by_name["commit-a"].get("checked") is not None and by_name["commit-b"].get("checked") is None
    legends = [fs.findtext("legend") for fs in tree.iter("fieldset")]
    assert legends == ["Contact", "What you will do"]
    group = by_name["commit-b"].xpath("ancestor::fieldset/legend")[0]
    assert group.text == "What you will do"


def test_no_script_and_no_external_resources(theme: Theme, tmp_path: Path) -> None:
    for doc in (document(), document("easy-read"), document(blocks=stress_blocks())):
        html, tree = render(doc, theme, tmp_path)
        assert not tree.xpath("//script | //link | //iframe | //object | //embed | //base")
        assert not tree.xpath("//@*[starts-with(name(), 'on')]")  # no event handlers
        for el in tree.xpath("//*[@src]"):
            assert el.get("src").startswith("data:"), el.get("src")[:60]
        content_links = {a.get("href") for a in tree.xpath("//main//p//a")}
        for el in tree.xpath("//*[@href]"):
            href = el.get("href")
            assert href.startswith("#") or href in content_links, href
        css = style_text(tree)
        assert "@import" not in css
        assert all(url.startswith("data:") for url in re.findall(r"url\(\s*['\"]?([^'\")]*)", css))


def test_fonts_are_embedded_from_the_theme(theme: Theme, tmp_path: Path) -> None:
    _, tree = render(document(), theme, tmp_path)
    css = style_text(tree)
    faces = re.findall(r"@font-face \{(.*?)\}", css, re.S)
    # The sample has italic text but no bold italic: that face would be dead weight.
    assert [(re.search(r"font-weight: (\d+)", f).group(1), re.search(r"font-style: (\w+)", f).group(1))
            for f in faces] == [("400", "normal"), ("700", "normal"), ("400", "italic")]
    regular = next(f for f in faces if "font-weight: 400" in f and "font-style: normal" in f)
    # WOFF2, as browsers take it: the theme's own font, its glyphs and names, in under half the bytes.
    data = base64.b64decode(re.search(r"url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\) format\(\"woff2\"\)",
                                      regular).group(1))
    embedded, original = TTFont(io.BytesIO(data)), TTFont(theme.body_font.regular)
    assert embedded.flavor == "woff2" and embedded.getGlyphOrder() == original.getGlyphOrder()
    assert embedded["name"].getDebugName(4) == original["name"].getDebugName(4)
    assert len(data) < theme.body_font.regular.stat().st_size / 2
    assert 'font-family: "Atkinson Hyperlegible"' in css


def test_theme_drives_sizes_colours_and_line_height(theme: Theme, tmp_path: Path) -> None:
    _, standard = render(document(), theme, tmp_path)
    _, easy = render(document("easy-read"), theme, tmp_path)
    body = re.compile(r"body \{[^}]*font-size: ([\d.]+)rem;[^}]*line-height: ([\d.]+);")
    size, line = body.search(style_text(standard)).groups()
    assert float(size) * 12 == pytest.approx(theme.variant("standard").body.size)
    assert float(line) == theme.variant("standard").body.line_spacing
    size, line = body.search(style_text(easy)).groups()
    assert float(size) * 16 >= 21.33  # 16pt in px at the default root size
    assert float(line) == theme.variant("easy-read").body.line_spacing
    css = style_text(standard)
    for name in ("text", "heading", "link", "draft"):
        assert f"#{getattr(theme.colours, name)}" in css


def test_print_stylesheet_uses_the_page_size_and_page_label(theme: Theme, tmp_path: Path) -> None:
    _, tree = render(document(), theme, tmp_path)
    css = style_text(tree)
    print_css = css[css.index("@media print"):]
    assert f"size: {theme.page.size};" in print_css
    assert 'content: "Page " counter(page) " of " counter(pages);' in print_css
    assert ".page-break { break-after: page; }" in print_css
    assert tree.xpath("//main/div[@class='page-break']")
    assert re.search(r'@top-right \{\s*content: "DRAFT";', print_css)  # on every printed page
    _, tree = render(document(draft_mark=""), theme, tmp_path)
    assert "@top-right" not in style_text(tree)


def test_draft_mark_only_when_set(theme: Theme, tmp_path: Path) -> None:
    _, tree = render(document(), theme, tmp_path)
    marks = tree.xpath("//header//p[@class='draft-mark']")
    assert [m.text for m in marks] == ["DRAFT"]
    _, tree = render(document(draft_mark=""), theme, tmp_path)
    assert not tree.xpath("//*[@class='draft-mark']")


def test_footer_shows_its_words_and_version(theme: Theme, tmp_path: Path) -> None:
    _, tree = render(document(), theme, tmp_path)
    footer = tree.find(".//footer").text_content().strip()
    assert footer == "Co-Production Charter: Sample document title. Version 1.2, 1 March 2025"
    _, tree = render(document(footer=""), theme, tmp_path)
    assert tree.find(".//footer").text_content().strip() == "1.2"


def test_same_input_gives_the_same_bytes(theme: Theme, tmp_path: Path) -> None:
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    write(document("easy-read"), theme, a)
    write(document("easy-read"), theme, b)
    assert a.read_bytes() == b.read_bytes()
    assert b"\r\n" not in a.read_bytes()


# -- in a real browser ---------------------------------------------------------------------------

CHROMIUM = Path(os.environ.get("PACKGEN_CHROMIUM", "/usr/bin/chromium"))


def _missing(what: str) -> None:
    """In CI a missing client is a failure (the check would silently vanish); locally, a skip."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is needed for the browser checks")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="module")
def browser(theme: Theme, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Every page checked in one Chromium session; results keyed by file stem."""
    node = shutil.which("node")
    if node is None:
        _missing("node")
    if not CHROMIUM.exists():
        _missing(f"Chromium ({CHROMIUM})")
    for package in ("puppeteer-core", "axe-core"):
        if not (JS / "node_modules" / package).is_dir():
            _missing(f"{package} (cd tests/js && npm ci)")
    out = tmp_path_factory.mktemp("html")
    docs = {
        "standard": document("standard"),
        "easy-read": document("easy-read"),
        "stress-standard": document("standard", blocks=stress_blocks()),
        "stress-easy-read": document("easy-read", blocks=stress_blocks()),
    }
    files = []
    for stem, doc in docs.items():
        path = out / f"{stem}.html"
        write(doc, theme, path)
        files.append(str(path))
    command = [node, str(JS / "axe_check.mjs"), "--chromium", str(CHROMIUM)]
    if os.environ.get("PACKGEN_SCREENSHOTS"):
        Path(os.environ["PACKGEN_SCREENSHOTS"]).mkdir(parents=True, exist_ok=True)
        command += ["--screenshots", os.environ["PACKGEN_SCREENSHOTS"]]
    done = subprocess.run(command + files, cwd=JS, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    return {Path(r["file"]).stem: r for r in report["results"]}


PAGES = ("standard", "easy-read", "stress-standard", "stress-easy-read")


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_axe_finds_no_wcag_violations(browser: dict[str, dict], page: str) -> None:
    result = browser[page]
    assert result["violations"] == [], json.dumps(result["violations"], indent=1)
    assert result["narrowViolations"] == [], json.dumps(result["narrowViolations"], indent=1)
    assert result["bestPractice"] == [], json.dumps(result["bestPractice"], indent=1)
    assert result["errors"] == [] and result["scriptCount"] == 0


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_reflows_at_320_css_pixels(browser: dict[str, dict], page: str) -> None:
    narrow = browser[page]["narrow"]
    assert narrow["clientWidth"] == 320
    assert narrow["scrollWidth"] <= 320


@pytest.mark.slow
@pytest.mark.parametrize("page", ["easy-read", "stress-easy-read"])
def test_easy_read_text_is_at_least_16pt(browser: dict[str, dict], page: str, theme: Theme) -> None:
    for width in ("wide", "narrow"):
        measured = browser[page][width]
        assert measured["bodyTextPx"] >= 21.33 - 0.01
        assert measured["minTextPx"] >= 21.33 - 0.01  # labels, cells, captions and controls too
        assert measured["bodyLineHeight"] == pytest.approx(theme.variant("easy-read").body.line_spacing)


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_points_show_the_picture_left_of_the_text(browser: dict[str, dict], page: str) -> None:
    for width in ("wide", "narrow"):
        points = browser[page][width]["points"]
        assert points, "every test page has easy-read points"
        for p in points:
            assert p["pictureRight"] <= p["textLeft"]
            assert p["pictureTop"] < p["textBottom"] and p["textTop"] < p["pictureBottom"]  # side by side
            assert p["pictureWidth"] >= 48


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_fonts_and_pictures_load_with_no_requests(browser: dict[str, dict], page: str) -> None:
    result = browser[page]
    assert result["requests"] == []
    assert len(result["fonts"]) >= 2 and all(f["status"] == "loaded" for f in result["fonts"])
    assert result["wide"]["fontFamily"].startswith('"Atkinson Hyperlegible"')
    assert all(img["loaded"] for img in result["wide"]["images"])


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_keyboard_skip_link_and_visible_focus(browser: dict[str, dict], page: str) -> None:
    keys = browser[page]["keyboard"]
    skip = keys["skip"]
    assert skip["className"] == "skip-link" and skip["href"] == "#main_content"
    assert skip["height"] >= 24 and skip["width"] >= 24  # shown, and a big enough target
    assert keys["afterSkip"] == "main_content"
    for control in keys["controls"]:
        visible_outline = control["outline"] != "none" and control["outlineWidth"] >= 2
        assert visible_outline or control["boxShadow"] != "none", control


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_controls_are_targets_of_at_least_24px(browser: dict[str, dict], page: str) -> None:
    for width in ("wide", "narrow"):
        targets = browser[page][width]["targets"]
        assert any(t["type"] == "checkbox" for t in targets)
        if page.startswith("stress"):
            assert sum(t["tag"] == "A" for t in targets) >= 3  # the list of links
        for target in targets:
            assert target["width"] >= 24 and target["height"] >= 24, target
