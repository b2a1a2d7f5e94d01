"""templates/theme.yaml: a designer's mistake is one line naming the line; a good theme is read fast.

The file is parsed and checked (YAML, pydantic) when it is new or edited; after that it is kept in
the per-user cache, so a build and its worker processes read it without loading YAML or pydantic.
The colours' contrast is checked on every read (it costs nothing).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT, own_copy, run_packgen


def build_with_theme(mini_pack, tmp_path, old: str, new: str) -> subprocess.CompletedProcess[str]:
    sources, templates = mini_pack
    theme = own_copy(templates, "theme.yaml")
    text = theme.read_text("utf-8")
    assert old in text
    theme.write_text(text.replace(old, new, 1), "utf-8")
    return run_packgen("build", "--sources", str(sources), "--templates", str(templates),
                       "--out", str(tmp_path / "build"), "--document", "charter", "--format", "html", "-q")


def line_of(mini_pack, needle: str) -> int:
    text = (mini_pack[1] / "theme.yaml").read_text("utf-8")
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize("old, new, message", [
    ("    footer: {size: 10}", "    footer: {size: 10, colour: red}",
     "unknown key 'colour' (allowed here: size, space_before, space_after, line_spacing)"),
    ("    footer: {size: 10}", "    footer: {size: 0}",
     "variants: standard: footer: size '0' should be more than 0"),
    ('  link: "1A4F8B"', '  link: "#1a4f8"', "colours.link: colours are six hex digits, like 1A1A1A"),
    ('  muted: "4D4D4D"', '  muted: "#BBBBBB"', "the colour muted (BBBBBB) has a contrast of 1.92:1 against FFFFFF"),
    ("  docx_fallback: Arial", "  docx_fallbak: Arial",
     "unknown key 'docx_fallbak': did you mean 'docx_fallback'?"),
    ("  size: A4", "  size: A17", "page: size 'A17' is not a page size packgen draws: use A4, A5 or Letter"),
    ("  margins: {top: 22, bottom: 24, left: 22, right: 22}", "  margins: {top: 22, bottom: 24, left: -5, right: 22}",
     "page: margins: left '-5' should be at least 0"),
    ("  margins: {top: 22, bottom: 24, left: 22, right: 22}", "  margins: {top: 22, bottom: 24, left: 200, right: 22}",
     "page: margins: left and right leave 0 mm of the page's 210 mm width for text"),
    ("  margins: {top: 22, bottom: 24, left: 22, right: 22}", "  margins: {top: 220, bottom: 24, left: 22, right: 22}",
     "page: margins: top and bottom leave 53 mm of the page's 297 mm height for text"),
    ("    margins: {top: 25, bottom: 27, left: 25, right: 25}",
     "    margins: {top: 25, bottom: 27, left: 95, right: 25}",
     "variants: large-print: margins: left and right leave 90 mm"),
    ("  body: {family: Atkinson Hyperlegible, slug: atkinson-hyperlegible}",
     "  body: {family: Atkinson Hyperlegible, slug: atkinson-hyperlegibl}",
     "the font 'Atkinson Hyperlegible' is not installed (pip package fontpkg-atkinson-hyperlegibl): install it "
     "with '.venv/bin/pip install fontpkg-atkinson-hyperlegibl', or name a font that is installed"),
    ("    body: {size: 12, line_spacing: 1.35", "    body: {size: 900, line_spacing: 1.35",
     "variants: standard: body: size '900' should be at most 144"),
    ("    list_indent: 8", "    list_indent: -8", "variants: standard: list_indent '-8' should be at least 0"),
    ("min_column_width: 20}", "min_column_width: -5}",
     "variants: standard: table: min_column_width '-5' should be at least 0"),
])
def test_a_theme_mistake_is_one_line_naming_its_line(mini_pack, tmp_path, old, new, message):
    result = build_with_theme(mini_pack, tmp_path, old, new)
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert f"theme.yaml:{line_of(mini_pack, new.strip())}:" in line
    assert message in line


def test_a_mistake_is_reported_again_after_a_good_theme_was_kept(mini_pack, tmp_path):
    assert build_with_theme(mini_pack, tmp_path, "    footer: {size: 10}", "    footer: {size: 11}").returncode == 0
    for _ in range(2):  # never kept: the same mistake is reported on every build
        result = build_with_theme(mini_pack, tmp_path, "    footer: {size: 11}", "    footer: {size: -1}")
        assert result.returncode == 1 and "footer: size '-1' should be more than 0" in result.stderr
        result = build_with_theme(mini_pack, tmp_path, "    footer: {size: -1}", "    footer: {size: 11}")


def test_a_kept_theme_is_read_without_yaml_or_pydantic(mini_pack, tmp_path):
    templates = mini_pack[1]
    own_copy(templates, "theme.yaml")
    env = {**os.environ, "PACKGEN_CACHE": str(tmp_path / "cache")}  # empty: the first read checks the theme
    script = ("import sys; from pathlib import Path; from packgen.theme import load_theme; "
              f"theme = load_theme(Path({str(templates)!r})); "
              "print(theme.variant('easy-read').body.size, theme.colours.heading, theme.path, "
              "'pydantic' in sys.modules, 'yaml' in sys.modules)")
    first, second = (subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                                    check=True, env=env).stdout.split() for _ in range(2))
    assert first[:3] == second[:3] == ["16.0", "1B3A6B", str(templates / "theme.yaml")]
    assert first[3:] == ["True", "True"]  # checked the first time
    assert second[3:] == ["False", "False"]  # then read as it was kept


