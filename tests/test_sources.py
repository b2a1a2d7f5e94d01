"""A comms editor makes a mistake in sources/: packgen names the file and line, and says what to do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from packgen.errors import SourceError
from packgen.sources.loader import load_pack

from conftest import ROOT


def error_for(sources: Path) -> SourceError:
    with pytest.raises(SourceError) as caught:
        load_pack(sources)
    return caught.value


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_a_valid_pack_for_another_organisation_loads(mini_pack):
    sources, _ = mini_pack
    pack = load_pack(sources)
    assert pack.meta.organisation == "Riverside Community Trust"
    assert pack.meta.version == "2.0"
    assert list(pack.documents) == ["executive-summary", "charter", "appendix-a", "appendix-b", "appendix-c",
                                    "appendix-d", "pledge-form"]
    about = pack.documents["charter"].section("about")
    assert about is not None and about.line == 4 and "Riverside" in about.body
    assert about.easy_read is not None and "handshake" in about.easy_read


def test_bad_yaml_names_file_and_line(mini_pack):
    sources, _ = mini_pack
    replace_in(sources / "pack.yaml", "short_name: RCT", "short_name: RCT: Riverside")
    err = error_for(sources)
    assert (err.path, err.line) == (sources / "pack.yaml", 3)
    assert "invalid YAML: mapping values are not allowed" in str(err)


def test_tabs_in_yaml_are_explained(mini_pack):
    sources, _ = mini_pack
    replace_in(sources / "pack.yaml", "  name: Riverside", "\tname: Riverside")
    err = error_for(sources)
    assert err.path == sources / "pack.yaml" and err.line == 9
    assert "tab" in str(err).lower()


def test_duplicate_key_is_an_error_not_a_silent_overwrite(mini_pack):
    sources, _ = mini_pack
    replace_in(sources / "pack.yaml", "version: \"2.0\"", "version: \"2.0\"\nversion: \"3.0\"")
    err = error_for(sources)
    assert (err.path, err.line) == (sources / "pack.yaml", 5)
    assert "'version' appears twice" in str(err)


def test_unknown_key_names_line_and_what_is_allowed(mini_pack):
    sources, _ = mini_pack
    replace_in(sources / "pack.yaml", "short_name: RCT", "short_name: RCT\ntitel: Oops")
    err = error_for(sources)
    assert (err.path, err.line) == (sources / "pack.yaml", 4)
    assert "unknown key 'titel'" in str(err) and "title" in str(err)


def test_missing_key_is_named(mini_pack):
    sources, _ = mini_pack
    replace_in(sources / "pack.yaml", "version: \"2.0\"\n", "")
    err = error_for(sources)
    assert err.path == sources / "pack.yaml"
    assert "missing key 'version'" in str(err)


@pytest.mark.parametrize("old, new, line, words", [
    ("language: en-GB", "language: English", 7, "'English' is not a language code"),
    ("  email: participation@riverside.example.org", "  email: participation at riverside", 10,
     "contact: email 'participation at riverside' is not an e-mail address"),
    ("  - {id: charter, source: charter.md, kind: main}", "  - {id: Our Charter, source: charter.md}", 14,
     "document 2 ('Our Charter'): id 'Our Charter' is not a document id"),
    ("title: Community Charter", 'title: "  "', 1, "title is empty: fill it in"),
    ('  telephone: "01632 960000"', '  telephone: "01632 960000"\n  website: "javascript:alert(1)"', 12,
     "contact: website 'javascript:alert(1)' is not a web address: write it in full, like https://example.org"),
])
def test_a_badly_written_value_names_its_line_and_what_it_should_be(mini_pack, old, new, line, words):
    sources, _ = mini_pack
    replace_in(sources / "pack.yaml", old, new)
    err = error_for(sources)
    assert (err.path, err.line) == (sources / "pack.yaml", line)
    assert words in str(err)


def test_a_mistake_is_reported_on_every_read_not_only_the_first(mini_pack):
    """Checked YAML is kept between builds; YAML with a mistake never is."""
    sources, _ = mini_pack
    replace_in(sources / "charter.md", "title: Charter", "title: Charter\nauthor: Someone")
    first, second = error_for(sources), error_for(sources)
    assert str(first) == str(second) and (second.path, second.line) == (sources / "charter.md", 3)


def test_sources_read_before_are_read_without_yaml_or_pydantic(mini_pack, tmp_path):
    """A rebuild after editing a paragraph: pack.yaml and every front matter are as they were, so
    nothing that checks them (pydantic, and the annotated_types its markers come from) is loaded."""
    sources, _ = mini_pack
    env = {**os.environ, "PACKGEN_CACHE": str(tmp_path / "cache")}  # empty: the first read checks all
    script = ("import sys; from pathlib import Path; from packgen.sources.loader import load_pack; "
              f"pack = load_pack(Path({str(sources)!r})); "
              "print(pack.meta.version, pack.meta.contact.email, pack.documents['pledge-form'].front.title, "
              "'pydantic' in sys.modules or 'annotated_types' in sys.modules, 'yaml' in sys.modules)")

    def read() -> list[str]:
        return subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                              check=True, env=env).stdout.split()

    first = read()
    replace_in(sources / "charter.md", "with the people it serves.", "with the people it serves, and for them.")
    second = read()
    replace_in(sources / "pledge-form.md", "title: Pledge Form", "title: Our Pledge Form")
    third = read()
    assert first[:4] == second[:4] == ["2.0", "participation@riverside.example.org", "Pledge", "Form"]
    assert first[-2:] == ["True", "True"]  # checked the first time
    assert second[-2:] == ["False", "False"]  # the edited paragraph needs neither
    assert third[2:5] == ["Our", "Pledge", "Form"] and third[-2:] == ["True", "True"]  # edited front matter


def test_unknown_key_in_front_matter_names_the_document_line(mini_pack):
    sources, _ = mini_pack
    replace_in(sources / "charter.md", "title: Charter", "title: Charter\nauthor: Someone")
    err = error_for(sources)
    assert (err.path, err.line) == (sources / "charter.md", 3)
    assert "unknown key 'author'" in str(err)


def test_document_listed_but_file_missing(mini_pack):
    sources, _ = mini_pack
    (sources / "appendix-c.md").unlink()
    err = error_for(sources)
    assert err.path == sources / "pack.yaml"
    assert err.line == 17  # the `- {id: appendix-c, source: appendix-c.md}` line
    assert "appendix-c.md" in str(err) and "does not exist" in str(err)


def test_a_file_name_too_long_for_the_disk_is_named_not_a_crash(mini_pack):
    sources, _ = mini_pack
    long_name = "x" * 300 + ".md"
    replace_in(sources / "pack.yaml", "source: charter.md,", f"source: {long_name},")
    err = error_for(sources)
    assert (err.path, err.line) == (sources / "pack.yaml", 14)
    assert f"names the file '{long_name}', which cannot be opened" in str(err)
    replace_in(sources / "pack.yaml", long_name, "charter.md")
    replace_in(sources / "charter.md", "](handshake)", f"](x{'y' * 300}.svg)")
    err = error_for(sources)
    assert (err.path, err.line) == (sources / "charter.md", 9) and "was not found" in str(err)


def test_a_document_left_out_of_pack_yaml_is_not_in_the_pack(mini_pack):
    sources, _ = mini_pack
    replace_in(sources / "pack.yaml", "  - {id: appendix-d, source: appendix-d.md, kind: appendix}\n", "")
    assert list(load_pack(sources).documents) == ["executive-summary", "charter", "appendix-a", "appendix-b",
                                                  "appendix-c", "pledge-form"]


def test_picture_without_alt_text(mini_pack):
    sources, _ = mini_pack
    replace_in(sources / "charter.md", "with the people it serves.",
               "with the people it serves.\n\n![](handshake)")
    err = error_for(sources)
    assert (err.path, err.line) == (sources / "charter.md", 8)
    assert "no alt text" in str(err)


def test_picture_missing_on_disk(mini_pack):
    sources, _ = mini_pack
    replace_in(sources / "appendix-a.md", "- ![Two people shaking hands](handshake)",
               "- ![Our team at work](team-photo.png)")
    err = error_for(sources)
    assert (err.path, err.line) == (sources / "appendix-a.md", 9)
    assert "team-photo.png" in str(err) and "not found" in str(err)


def with_team_photo(sources: Path) -> Path:
    """Appendix A shows the organisation's own photo, from sources/pictures/."""
    (sources / "pictures").mkdir()
    photo = sources / "pictures" / "team photo.png"
    photo.write_bytes((Path(__file__).parent / "fixtures" / "pixel.png").read_bytes())
    replace_in(sources / "appendix-a.md", "with the people it serves.",
               "with the people it serves.\n\n![Our team at work](<team photo.png>)")
    return photo


def test_own_picture_in_the_pictures_folder_is_found(mini_pack):
    sources, _ = mini_pack
    with_team_photo(sources)
    pack = load_pack(sources)
    assert "team photo.png" in pack.documents["appendix-a"].section("about").body


def test_picture_path_cannot_escape_the_pictures_folder(mini_pack):
    sources, _ = mini_pack
    (sources.parent / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    replace_in(sources / "appendix-a.md", "- ![Two people shaking hands](handshake)",
               "- ![A secret](../../secret.png)")
    err = error_for(sources)
    assert err.path == sources / "appendix-a.md" and "not found" in str(err)


def test_heading_that_skips_a_level(mini_pack):
    sources, _ = mini_pack
    replace_in(sources / "appendix-b.md", "with the people it serves.",
               "with the people it serves.\n\n#### Too deep\n\nText.")
    err = error_for(sources)
    assert (err.path, err.line) == (sources / "appendix-b.md", 8)
    assert "skips a level" in str(err) and "###" in str(err)


def test_level_one_heading_in_a_source_is_explained(mini_pack):
    sources, _ = mini_pack
    replace_in(sources / "appendix-b.md", "## About this document", "# About this document")
    err = error_for(sources)
    assert (err.path, err.line) == (sources / "appendix-b.md", 4)
    assert "level-1" in str(err)


def test_invalid_utf8_names_the_line(mini_pack):
    sources, _ = mini_pack
    path = sources / "appendix-d.md"
    path.write_bytes(path.read_bytes().replace(b"people it serves", b"people it \xff serves"))
    err = error_for(sources)
    assert (err.path, err.line) == (path, 6)
    assert "UTF-8" in str(err)


def test_empty_and_binary_files(mini_pack):
    sources, _ = mini_pack
    (sources / "appendix-d.md").write_text("", "utf-8")
    assert "empty" in str(error_for(sources))
    (sources / "appendix-d.md").write_bytes(b"\x00\x01PK\x03\x04")
    assert "binary" in str(error_for(sources))


def test_unclosed_easy_read_block(mini_pack):
    sources, _ = mini_pack
    path = sources / "charter.md"
    path.write_text(path.read_text("utf-8").rstrip().removesuffix(":::") + "\n", "utf-8")
    err = error_for(sources)
    assert (err.path, err.line) == (path, 8)
    assert "not closed" in str(err)


def test_unsupported_markdown_is_named(mini_pack):
    sources, _ = mini_pack
    replace_in(sources / "charter.md", "with the people it serves.", "with the people it serves.\n\n    code?")
    err = error_for(sources)
    assert (err.path, err.line) == (sources / "charter.md", 8)
    assert "indent" in str(err)


@pytest.mark.parametrize("second_id, words", [
    ("name", "two fields have the id 'name'"),
    ("Your_Name", "field 2 ('Your_Name'): id 'Your_Name' is not an id"),
])
def test_a_duplicate_or_badly_written_field_id_names_its_line(mini_pack, second_id, words):
    sources, _ = mini_pack
    replace_in(sources / "pledge-form.md", "title: Pledge Form",
               "title: Pledge Form\nfields:\n  - {id: name, label: Name, type: text}\n"
               f"  - {{id: {second_id}, label: Your name, type: text}}")
    err = error_for(sources)
    assert (err.path, err.line) == (sources / "pledge-form.md", 5)
    assert words in str(err)


def test_unknown_field_type(mini_pack):
    sources, _ = mini_pack
    replace_in(sources / "pledge-form.md", "title: Pledge Form",
               "title: Pledge Form\nfields:\n  - {id: colour, label: Colour, type: colour-picker}")
    err = error_for(sources)
    assert (err.path, err.line) == (sources / "pledge-form.md", 4)
    assert "type" in str(err)


def test_section_without_easy_read_version_is_an_error(mini_pack):
    sources, _ = mini_pack
    path = sources / "appendix-c.md"
    text = path.read_text("utf-8")
    path.write_text(text[: text.index("::: easy-read")] + "\n## Costs {#costs}\n\nWe pay for travel.\n", "utf-8")
    err = error_for(sources)
    assert (err.path, err.line) == (path, 4)
    assert "no easy-read version" in str(err) and "easy-read=omit" in str(err)


def test_section_left_out_of_easy_read_on_purpose(mini_pack):
    sources, _ = mini_pack
    path = sources / "appendix-c.md"
    path.write_text(path.read_text("utf-8") + "\n## Rates table {#rates easy-read=omit}\n\n| Role | Rate |\n"
                    "| --- | --- |\n| Panel | £25 |\n", "utf-8")
    section = load_pack(sources).documents["appendix-c"].section("rates")
    assert section is not None and section.easy_read_omitted and section.easy_read is None


@pytest.mark.parametrize("source", ["../outside.md", "/etc/hostname", "pictures/../../outside.md"])
def test_a_document_file_outside_the_sources_folder_is_refused(mini_pack, source):
    sources, _ = mini_pack
    (sources.parent / "outside.md").write_text((sources / "charter.md").read_text("utf-8"), "utf-8")
    replace_in(sources / "pack.yaml", "source: appendix-b.md", f"source: {source}")
    err = error_for(sources)
    assert (err.path, err.line) == (sources / "pack.yaml", 16)
    assert "inside the sources folder" in str(err)


@pytest.mark.parametrize("name, content, complaint", [
    ("broken.svg", b"<svg><unclosed", "not valid SVG"),
    ("page.svg", b"<html><body>not a drawing</body></html>", "not an SVG drawing"),
    ("nosize.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="3"/></svg>', "no size"),
    ("vast.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="1e30" height="1e30"><circle r="3"/></svg>',
     "its size (1e+30 by 1e+30) is not one a drawing can have"),
    ("endless.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="nan" height="inf"><circle r="3"/></svg>',
     "its size (nan by inf) is not one a drawing can have"),
    ("repeats.svg", (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                     b'viewBox="0 0 9 9"><defs><circle id="p0" r="1"/>'
                     + b"".join(f'<g id="p{n}">'.encode() + f"<use xlink:href='#p{n - 1}'/>".encode() * 10
                                + b"</g>" for n in range(1, 10))
                     + b'</defs><use xlink:href="#p9"/></svg>'), "it cannot be drawn"),
    ("broken.png", b"not a png at all", "cannot be used"),
    ("empty.jpg", b"", "empty"),
    ("photo.jpg", (Path(__file__).parent / "fixtures" / "pictures" / "own-photo.png").read_bytes(), "not a JPEG"),
])
def test_a_damaged_picture_is_named_before_any_writer_meets_it(mini_pack, name, content, complaint):
    sources, _ = mini_pack
    (sources / "pictures").mkdir()
    (sources / "pictures" / name).write_bytes(content)
    replace_in(sources / "appendix-a.md", "- ![Two people shaking hands](handshake)", f"- ![Our picture]({name})")
    err = error_for(sources)
    assert (err.path, err.line) == (sources / "appendix-a.md", 9)
    assert name in str(err) and complaint in str(err)


@pytest.mark.parametrize(("written", "said"), [
    ("[our form](javascript:alert(1))", "a link to 'javascript:alert(1)' cannot go in a pack"),
    ("[our files](file:///etc/passwd)", "a link to 'file:///etc/passwd' cannot go in a pack"),
    ("<vbscript:run>", "a link to 'vbscript:run' cannot go in a pack"),
    ("a bell\x07here", "the character U+0007 cannot be printed"),
    ("a noncharacter\ufdd0here", "the character U+FDD0 cannot be printed"),
    ("a noncharacter\U0010ffffhere", "the character U+10FFFF cannot be printed"),
    ("code `with\uffff`", "the character U+FFFF cannot be printed"),
])
def test_a_link_or_character_no_reader_should_get_names_the_source_line(mini_pack, written, said):
    # markdown-it would print the refused link as bracketed text, and the character as nothing or a box.
    from packgen.compose import compose
    from packgen.templating import Renderer

    sources, templates = mini_pack
    replace_in(sources / "charter.md", "with the people it serves.", f"with the people it serves, {written}.")
    with pytest.raises(SourceError) as caught:
        compose(load_pack(sources), Renderer(load_pack(sources), templates), "charter", "standard")
    assert (caught.value.path, caught.value.line) == (sources / "charter.md", 6)
    assert said in str(caught.value)


def test_web_and_email_links_are_kept(mini_pack):
    from packgen.compose import compose
    from packgen.model import Link
    from packgen.templating import Renderer

    sources, templates = mini_pack
    replace_in(sources / "charter.md", "with the people it serves.",
               "with the people it serves ([our site](https://example.org), [write](mailto:a@example.org)).")
    doc = compose(load_pack(sources), Renderer(load_pack(sources), templates), "charter", "standard")
    links = [i.href for b in doc.blocks for i in getattr(b, "children", ()) if isinstance(i, Link)]
    assert links == ["https://example.org", "mailto:a@example.org"]
