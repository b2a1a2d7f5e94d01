"""The easy-read gate: long sentences are named at their source line; --strict stops the build."""

from __future__ import annotations

from packgen.pack.build import BuildOptions, build
from packgen.readability import sentences, word_count

from conftest import run_packgen

LONG = ("We will always make sure that everybody who comes to our meetings gets paid on the very same day "
        "they come.")


def add_point(sources, doc: str, text: str) -> None:
    path = sources / f"{doc}.md"
    path.write_text(path.read_text("utf-8").replace(
        "- ![Two people shaking hands](handshake) We wrote this with you.",
        "- ![Two people shaking hands](handshake) We wrote this with you.\n"
        f"- ![A money bag](money-bag) {text}"), "utf-8")


def test_sentences_and_words_are_counted_as_a_reader_would():
    assert sentences("We pay you. You get money on the day!  Ask us?") == [
        "We pay you.", "You get money on the day!", "Ask us?"]
    assert word_count("We'll pay you £25 for 2 hours.") == 7


def test_figures_for_a_clean_easy_read_document(mini_pack, tmp_path):
    sources, templates = mini_pack
    report = build(BuildOptions(sources=sources, templates=templates, out=tmp_path / "b", formats=("html",),
                                documents=("charter",)))
    (figures,) = report.readability
    assert figures.document == "charter" and figures.sentences == 1 and figures.longest_words == 5
    assert figures.share_short == 1.0 and figures.reading_ease > 70
    assert report.warnings == []


def test_a_long_sentence_warns_with_file_and_line(mini_pack, tmp_path):
    sources, templates = mini_pack
    add_point(sources, "appendix-c", LONG)
    report = build(BuildOptions(sources=sources, templates=templates, out=tmp_path / "b", formats=("html",),
                                documents=("appendix-c",)))
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith(f"{sources / 'appendix-c.md'}:10: easy-read sentence of 21 words")
    assert report.readability[0].share_short == 0.5


def test_strict_build_fails_on_a_warning_and_writes_nothing(mini_pack, tmp_path):
    sources, templates = mini_pack
    add_point(sources, "appendix-c", LONG)
    out = tmp_path / "b"
    result = run_packgen("build", "--strict", "--sources", str(sources), "--templates", str(templates),
                         "--out", str(out), "--format", "html")
    assert result.returncode == 1
    assert "--strict" in result.stderr and "appendix-c.md:10" in result.stderr
    assert not list(out.rglob("*.html"))
    relaxed = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                          "--format", "html")
    assert relaxed.returncode == 0 and "1 warning(s)" in relaxed.stdout


def test_contact_details_and_picture_descriptions_are_not_measured(mini_pack, tmp_path):
    sources, templates = mini_pack
    add_point(sources, "charter", "Email participation@riverside.example.org or call 01632 960000 any day of "
                                  "the week from nine in the morning until five at night.")
    report = build(BuildOptions(sources=sources, templates=templates, out=tmp_path / "b", formats=("html",),
                                documents=("charter",)))
    assert report.warnings == [] and report.readability[0].sentences == 1


def test_figures_are_kept_between_clean_builds_but_warnings_are_given_every_time(mini_pack, tmp_path):
    sources, templates = mini_pack
    cache = {"PACKGEN_CACHE": str(tmp_path / "cache")}

    def clean_build(name: str) -> str:
        result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out",
                             str(tmp_path / name), "--format", "html", "--document", "charter,appendix-c", env=cache)
        assert result.returncode == 0, result.stderr
        return result.stdout

    first, second = clean_build("first"), clean_build("second")  # as after `make clean`
    assert "readability easy-read/charter: 1 sentences" in first
    assert "readability easy-read/charter" not in second  # the figures came from the cache: nothing to load
    assert "0 warning(s)" not in second and "warning" not in second

    add_point(sources, "appendix-c", LONG)
    for name in ("third", "fourth"):
        said = clean_build(name)
        assert "appendix-c.md:10: easy-read sentence of 21 words" in said and "1 warning(s)" in said
        assert "readability easy-read/charter" not in said
