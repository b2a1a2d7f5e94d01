"""`packgen check` on Braille-ready files: a transcription centre receives the charter's BRF and checks
it will emboss whole before sending it to a reader: every line 40 cells or fewer, every page 25 lines
or fewer, nothing but braille cells. The shipped pack's files pass; hand-broken copies fail, each
naming the page and line."""

from __future__ import annotations

import shutil
from pathlib import Path

from packgen.check import check_paths, has_errors


def findings_for(path: Path) -> list[tuple[str, str, str]]:
    return [(f.severity, f.rule, f.where) for f in check_paths([path], axe=False, verapdf=False)]


def broken_copy(built_pack: Path, tmp_path: Path, change) -> Path:  # noqa: ANN001 - a function of the text
    """A copy of the charter's BRF (from nowhere a manifest vouches for), with `change` made to its text."""
    path = tmp_path / "charter.brf"
    shutil.copy(built_pack / "standard" / "charter.brf", path)
    path.write_bytes(change(path.read_bytes().decode("ascii")).encode("latin-1"))
    return path


def test_the_packs_braille_files_pass(built_pack: Path) -> None:
    found = check_paths(sorted((built_pack / "standard").glob("*.brf")), axe=False, verapdf=False)
    assert found == [] or not has_errors(found), found
    assert not [f for f in found if f.rule == "format-unchecked"]


def test_a_line_of_41_cells_is_named_by_its_page_and_line(built_pack: Path, tmp_path: Path) -> None:
    def longer(text: str) -> str:
        pages = text.split("\f")
        lines = pages[1].split("\r\n")
        lines[3] = lines[3].ljust(41, "A")
        pages[1] = "\r\n".join(lines)
        return "\f".join(pages)

    found = findings_for(broken_copy(built_pack, tmp_path, longer))
    assert ("error", "brf-line-length", "braille page 2, line 4") in found
    assert [rule for _, rule, _ in found] == ["brf-line-length"]


def test_a_page_of_26_lines_is_named(built_pack: Path, tmp_path: Path) -> None:
    found = findings_for(broken_copy(built_pack, tmp_path, lambda text: text.replace("\f", "\r\n", 1)))
    assert ("error", "brf-page-length", "braille page 1") in found


def test_characters_that_are_not_braille_cells_are_named(built_pack: Path, tmp_path: Path) -> None:
    found = findings_for(broken_copy(built_pack, tmp_path, lambda text: text.replace(",", "\u00e9", 1)))
    assert [(severity, rule) for severity, rule, _ in found] == [("error", "brf-characters")]
    tab = findings_for(broken_copy(built_pack, tmp_path, lambda text: text.replace(" ", "\t", 1)))
    assert [rule for _, rule, _ in tab] == ["brf-characters"]


def test_a_file_too_large_to_be_braille_is_refused_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.brf"
    path.write_bytes(b"A" * (20 * 1024 * 1024 + 1))
    assert [rule for _, rule, _ in findings_for(path)] == ["brf-parse"]
