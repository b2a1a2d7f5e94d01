"""The web pledge form can be finished: printed (the print stylesheet makes it a paper form) and,
where pack.yaml's `pledges_to:` says where pledges go, sent there by a button (a POST to the
partnership's https address, or a new email in the reader's email program), in the page's own words.

Three copies of the shipped pack are built (an https address, an e-mail address, neither); their
pledge form pages are read with lxml and opened in Chromium (axe-core, no script, print emulation)
by tests/js/axe_check.mjs, as tests/test_pack_html.py does for the shipped pages.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from packgen.errors import SourceError
from packgen.sources.loader import load_pack
from packgen.templating import Renderer

from conftest import ROOT, require, run_packgen

JS = ROOT / "tests" / "js"
CHROMIUM = Path("/usr/bin/chromium")
HTTPS = "https://pledges.wmswtp.example.org/charter"
EMAIL = "pledges@wmswtp.example.org"
KINDS = {"https": HTTPS, "email": EMAIL, "none": ""}


def pack_sending_to(root: Path, pledges_to: str) -> Path:
    """A copy of the shipped sources, with `pledges_to:` in its pack.yaml when given."""
    sources = root / "sources"
    shutil.copytree(ROOT / "sources", sources)
    if pledges_to:
        pack_yaml = sources / "pack.yaml"
        text = pack_yaml.read_text("utf-8")
        pack_yaml.write_text(text.replace("shared: shared.md\n", f"shared: shared.md\npledges_to: {pledges_to}\n"),
                             "utf-8")
    return sources


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Each kind's build folder, with both variants of the pledge form's web page."""
    out = {}
    for kind, pledges_to in KINDS.items():
        root = tmp_path_factory.mktemp(f"web-form-{kind}")
        sources = pack_sending_to(root, pledges_to)
        result = run_packgen("build", "--pack", str(sources), "--out", str(root / "build"), "--document",
                             "pledge-form", "--format", "html", "--quiet")
        assert result.returncode == 0, result.stderr
        out[kind] = root / "build"
    return out


@pytest.fixture(scope="module")
def labels() -> dict[str, str]:
    return labels_of(ROOT / "sources")


def labels_of(sources: Path, variant: str = "standard") -> dict[str, str]:
    """The pack's labels as its pledge form's page has them (with its pack.yaml's values)."""
    pack = load_pack(sources)
    return Renderer(pack, sources / "templates").labels("pledge-form", variant)


def page(built: dict[str, Path], kind: str, variant: str = "standard"):
    return lxml.html.fromstring((built[kind] / variant / "pledge-form.html").read_bytes())


def words(node) -> str:
    return " ".join(node.text_content().split())


@pytest.mark.parametrize("variant", ["standard", "easy-read"])
def test_with_an_https_address_the_form_posts_there_by_a_button(built, variant):
    html = page(built, "https", variant)
    labels = labels_of(ROOT / "sources", variant)
    (form,) = html.findall(".//form")
    assert form.get("action") == HTTPS and form.get("method") == "post" and form.get("enctype") is None
    # Every field is inside it, so the button sends them all.
    assert len(form.findall(".//input")) == len(html.findall(".//input")) > 10
    assert len(form.findall(".//textarea")) == len(html.findall(".//textarea")) == 1
    (button,) = html.findall(".//button")
    assert button.get("type") == "submit" and words(button) == labels["form_send_button"]
    assert button in form.iter()
    text = words(html)
    assert labels["form_send_web"] in text and labels["form_print"] in text
    assert labels["form_send_none"] not in text


@pytest.mark.parametrize("variant", ["standard", "easy-read"])
def test_with_an_email_address_the_form_opens_a_new_email_and_says_so(built, variant):
    html = page(built, "email", variant)
    labels = labels_of(ROOT / "sources", variant)
    (form,) = html.findall(".//form")
    assert form.get("action") == f"mailto:{EMAIL}"
    assert form.get("method") == "post" and form.get("enctype") == "text/plain"
    (button,) = html.findall(".//button")
    assert button.get("type") == "submit" and button in form.iter()
    text = words(html)
    said = labels_of(built["email"].parent / "sources", variant)["form_send_email"]
    assert "email program" in said and EMAIL in said
    assert said in text and labels["form_print"] in text


@pytest.mark.parametrize("variant", ["standard", "easy-read"])
def test_without_pledges_to_there_is_no_button_and_the_page_says_print_and_send_it(built, variant):
    html = page(built, "none", variant)
    labels = labels_of(ROOT / "sources", variant)
    assert html.findall(".//form") == [] and html.findall(".//button") == []
    text = words(html)
    assert labels["form_print"] in text and labels["form_send_none"] in text
    assert "coproduction@wmswtp.example.org" in labels["form_send_none"]
    assert labels["form_send_web"] not in text


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_web_pages_signature_help_says_nothing_of_acrobat_or_a_digital_signature(built, labels, kind):
    for variant in ("standard", "easy-read"):
        hint = page(built, kind, variant).get_element_by_id("field_signature_hint")
        assert words(hint) == labels["signature_hint_html"]
        assert "acrobat" not in words(hint).lower() and "digital signature" not in words(hint).lower()


@pytest.mark.parametrize("value", ["ftp://pledges.example.org", "http://pledges.example.org/form",
                                   "not an address", "https://", "pledges@"])
def test_pledges_to_that_is_neither_an_email_nor_an_https_address_is_an_error_naming_its_line(tmp_path, value):
    sources = pack_sending_to(tmp_path, value)
    with pytest.raises(SourceError) as caught:
        load_pack(sources)
    error = caught.value
    line = next(n for n, text in enumerate((sources / "pack.yaml").read_text("utf-8").splitlines(), 1)
                if text.startswith("pledges_to:"))
    assert error.path == sources / "pack.yaml" and error.line == line
    assert "pledges_to" in str(error) and "https" in str(error) and "e-mail" in str(error)


def test_pledges_to_may_be_left_out_and_is_kept_when_given(tmp_path):
    assert load_pack(ROOT / "sources").meta.pledges_to == ""
    assert load_pack(pack_sending_to(tmp_path / "a", EMAIL)).meta.pledges_to == EMAIL
    assert load_pack(pack_sending_to(tmp_path / "b", HTTPS)).meta.pledges_to == HTTPS


# -- in Chromium -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seen(built, built_pack) -> dict[str, dict]:
    node = require("node")
    if not CHROMIUM.exists():
        require(str(CHROMIUM))
    for package in ("puppeteer-core", "axe-core"):
        if not (JS / "node_modules" / package).is_dir():
            require(f"tests/js/node_modules/{package}")
    files = {f"{kind}/{variant}": built[kind] / variant / "pledge-form.html"
             for kind in KINDS for variant in ("standard", "easy-read")}
    files["index"] = built_pack / "index.html"
    done = subprocess.run([node, str(JS / "axe_check.mjs"), "--chromium", str(CHROMIUM), *map(str, files.values())],
                          cwd=JS, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(zip(files, json.loads(done.stdout)["results"], strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("variant", ["standard", "easy-read"])
def test_the_form_page_passes_axe_has_no_script_and_its_button_is_big_enough(seen, kind, variant):
    result = seen[f"{kind}/{variant}"]
    assert result["violations"] == [], json.dumps(result["violations"], indent=1)
    assert result["narrowViolations"] == [], json.dumps(result["narrowViolations"], indent=1)
    assert result["errors"] == [] and result["scriptCount"] == 0 and result["requests"] == []
    assert result["narrow"]["scrollWidth"] <= 320
    buttons = [t for t in result["wide"]["targets"] if t["tag"] == "BUTTON"]
    assert len(buttons) == (0 if kind == "none" else 1)
    assert all(b["height"] >= 24 and b["width"] >= 24 for b in buttons)


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(KINDS))
def test_printed_the_form_is_a_paper_form(seen, kind):
    printed = seen[f"{kind}/standard"]["print"]
    assert printed["skipLink"] == [False] and printed["printHow"] == [False]
    assert not any(printed["buttons"])
    assert printed["fieldBreakInside"] and set(printed["fieldBreakInside"]) == {"avoid"}
    # Every box prints as a box to write in: a solid border, at least a line tall.
    assert printed["boxes"] and all(b["borderStyle"] == "solid" and b["border"] >= 1 and b["height"] >= 30
                                    for b in printed["boxes"]), printed["boxes"]


@pytest.mark.slow
def test_printed_the_download_page_has_no_navigation_or_skip_link(seen):
    printed = seen["index"]["print"]
    assert printed["nav"] and not any(printed["nav"])
    assert printed["skipLink"] == [False]


@pytest.mark.slow
def test_a_printed_copy_holds_what_was_typed_and_nothing_only_for_the_screen(built, labels, tmp_path):
    """Chromium's own print of a page the reader typed into: the answers are on paper, the skip link,
    the button and the page's words on printing and sending it are not."""
    node = require("node")
    if not CHROMIUM.exists():
        require(str(CHROMIUM))
    if not (JS / "node_modules" / "puppeteer-core").is_dir():
        require("tests/js/node_modules/puppeteer-core")
    typed = {"field_organisation": "Harbourside Advocacy Trust", "field_lead-name": "Ngozi Okafor",
             "field_first-steps": "Pay every expert by experience on the day", "field_signature": "Ngozi Okafor"}
    out = tmp_path / "printed.pdf"
    done = subprocess.run([node, str(JS / "print_page.mjs"), "--chromium", str(CHROMIUM),
                           str(built["https"] / "standard" / "pledge-form.html"), str(out), json.dumps(typed)],
                          cwd=JS, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout)["filled"] == list(typed)
    text = " ".join(subprocess.run([require("pdftotext"), str(out), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    for value in typed.values():
        assert value in text
    assert labels["skip_link"] not in text and labels["form_send_button"] not in text
    for key in ("form_print", "form_send_web"):  # how to print it and send it from the screen
        assert labels[key].split(",")[0] not in text
    assert "coproduction@wmswtp.example.org" in text  # the sources' own words on returning it stay
