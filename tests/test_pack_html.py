"""Every web page of the shipped pack, in a real browser: Chromium runs axe-core (WCAG 2.2 AA) on each,
at desktop width and at a phone's 320 CSS px, and measures what axe cannot: sideways scrolling,
and the size easy-read text computes to."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import lxml.html
import pytest

from conftest import ROOT, SHIPPED_DOCUMENTS, require

JS = ROOT / "tests" / "js"
CHROMIUM = Path("/usr/bin/chromium")
PAGES = [(d, v) for d in SHIPPED_DOCUMENTS for v in ("standard", "easy-read")]


@pytest.fixture(scope="module")
def seen(built_pack: Path) -> dict[str, dict]:
    node = require("node")
    if not CHROMIUM.exists():
        require(str(CHROMIUM))
    for package in ("puppeteer-core", "axe-core"):
        if not (JS / "node_modules" / package).is_dir():
            require(f"tests/js/node_modules/{package}")
    files = [str(built_pack / v / f"{d}.html") for d, v in PAGES]
    done = subprocess.run([node, str(JS / "axe_check.mjs"), "--chromium", str(CHROMIUM), *files], cwd=JS,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout)["results"]
    return {f"{d}/{v}": result for (d, v), result in zip(PAGES, results, strict=True)}


@pytest.mark.slow
@pytest.mark.parametrize("document, variant", PAGES)
def test_every_page_passes_axe_and_reflows_at_320_px(seen, document, variant):
    result = seen[f"{document}/{variant}"]
    assert result["violations"] == [], json.dumps(result["violations"], indent=1)
    assert result["narrowViolations"] == [], json.dumps(result["narrowViolations"], indent=1)
    assert result["errors"] == [] and result["scriptCount"] == 0
    assert result["narrow"]["clientWidth"] == 320 and result["narrow"]["scrollWidth"] <= 320


@pytest.mark.slow
@pytest.mark.parametrize("document", SHIPPED_DOCUMENTS)
def test_easy_read_text_computes_to_at_least_21_px(seen, document):
    for width in ("wide", "narrow"):
        measured = seen[f"{document}/easy-read"][width]
        assert measured["bodyTextPx"] >= 21.33 - 0.01
        assert measured["minTextPx"] >= 21.33 - 0.01


@pytest.mark.parametrize("document, variant", PAGES)
def test_every_page_links_back_to_the_download_page(built_pack, document, variant):
    """A reader who opened one document's web page finds the way to the others, in every format."""
    page = built_pack / variant / f"{document}.html"
    links = [a for a in lxml.html.parse(str(page)).xpath("//header//a[@href]")
             if (page.parent / a.get("href")).resolve() == (built_pack / "index.html").resolve()]
    assert len(links) == 1 and (built_pack / "index.html").is_file()
    assert " ".join(links[0].text_content().split()).startswith("See all the documents")
