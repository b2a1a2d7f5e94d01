"""Audio of each easy-read document (issue 25, point 4): a listener plays the Ogg Opus file and skips
from chapter to chapter, a deaf-blind reader or a carer follows the WebVTT transcript beside it.

The recording is opened with mutagen (as a tag editor reads it) and the transcript with webvtt-py
(as a player reads captions); both are checked against the easy-read web page a reader sees.
"""

from __future__ import annotations

import array
import shutil
import subprocess
import wave
import zipfile
from pathlib import Path

import pytest
import webvtt
from lxml import html
from mutagen.oggopus import OggOpus

from conftest import MINI_IDS, make_pack, own_labels, require, run_packgen

FIXTURES = Path(__file__).parent / "fixtures" / "pictures"
PHOTO_ALT = "Our team at the summer event"
PICTOGRAM_ALT = "Two people shaking hands"
# The charter's easy-read words: two sections, pictogram points, and a photo on its own.
CHARTER = f"""\
---
title: Charter
---
## About this document {{#about}}

The Riverside Community Trust wrote this Charter with the people it serves.

::: easy-read
- ![{PICTOGRAM_ALT}](handshake) We wrote this with you.
- ![{PICTOGRAM_ALT}](handshake) It says how we work together.

![{PHOTO_ALT}](own-photo.jpg)
:::

## How we meet {{#meet}}

We meet every month.

::: easy-read
- ![{PICTOGRAM_ALT}](handshake) We meet every month.
- ![{PICTOGRAM_ALT}](handshake) You can come too.
:::
"""


def charter_pack(root: Path) -> tuple[Path, Path]:
    sources, templates = make_pack(root)
    shutil.copytree(FIXTURES, sources / "pictures")
    (sources / "charter.md").write_text(CHARTER, "utf-8")
    return sources, templates


def build(sources: Path, templates: Path, out: Path, *args: str):
    return run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                       "--quiet", *args)


@pytest.fixture(scope="module")
def charter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The charter's easy-read web page and audio, built as `packgen build --format html,audio` does."""
    require("espeak-ng")
    require("opusenc")
    root = tmp_path_factory.mktemp("audio")
    sources, templates = charter_pack(root)
    out = root / "build"
    result = build(sources, templates, out, "--document", "charter", "--variant", "easy-read",
                   "--format", "html,audio")
    assert result.returncode == 0, result.stderr
    return out / "easy-read"


def chapters(recording: OggOpus) -> list[tuple[str, float]]:
    """The Ogg chapters (CHAPTERxxx, CHAPTERxxxNAME) as a player lists them: title and start in seconds."""
    found = []
    for number in range(1, 1000):
        start = recording.tags.get(f"CHAPTER{number:03d}")
        if not start:
            break
        found.append((recording.tags[f"CHAPTER{number:03d}NAME"][0], seconds(start[0])))
    return found


def seconds(timestamp: str) -> float:
    """HH:MM:SS.mmm, as Ogg chapters and WebVTT cues write a time, in seconds (webvtt-py's own are whole)."""
    hours, minutes, rest = timestamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def page_text(page: Path) -> tuple[list[str], list[str]]:
    """The easy-read page's headings, and every word a sighted reader sees in its main part."""
    tree = html.fromstring(page.read_bytes())
    main = tree.find(".//main")
    headings = [" ".join(h.text_content().split()) for h in main.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    return headings, main.text_content().split()


def test_each_chapter_is_a_section_named_by_its_heading_and_starts_when_it_is_spoken(charter: Path) -> None:
    recording = OggOpus(charter / "charter.opus")
    transcript = webvtt.read(str(charter / "charter.vtt"))
    headings, _ = page_text(charter / "charter.html")
    found = chapters(recording)

    assert [title for title, _ in found] == headings
    assert {"About this document", "How we meet"} <= set(headings)
    cue_starts = {cue.text: seconds(cue.start) for cue in transcript}
    for title, start in found:
        assert abs(start - cue_starts[title]) < 0.002, title
    starts = [start for _, start in found]
    assert starts[0] == 0 and starts == sorted(starts) and starts[-1] < recording.info.length
    assert recording.tags["LANGUAGE"] == ["en-GB"] and recording.tags["title"] == ["Charter (easy read)"]


def test_the_transcript_is_the_pages_words_in_order_with_the_photo_described(charter: Path) -> None:
    transcript = webvtt.read(str(charter / "charter.vtt"))
    _, shown = page_text(charter / "charter.html")
    spoken = [cue.text for cue in transcript]

    assert f"Picture: {PHOTO_ALT}" in spoken
    assert not any(PICTOGRAM_ALT in line for line in spoken), "easy-read pictograms are not spoken"
    for line in ("We wrote this with you.", "It says how we work together.", "You can come too."):
        assert line in spoken
    words = iter(shown)
    for line in spoken:
        if not line.startswith("Picture: "):
            assert all(word in words for word in line.split()), f"{line!r} is not the page's next words"


def test_each_line_takes_as_long_as_speaking_its_words(charter: Path) -> None:
    recording = OggOpus(charter / "charter.opus")
    transcript = webvtt.read(str(charter / "charter.vtt"))
    for cue in transcript:
        spoken_for = seconds(cue.end) - seconds(cue.start)
        assert 0.15 <= spoken_for / len(cue.text.split()) <= 1.0, cue.text
    assert seconds(transcript[-1].end) <= recording.info.length
    total_words = sum(len(cue.text.split()) for cue in transcript)
    assert 0.2 <= recording.info.length / total_words <= 1.5  # the pauses between lines included


def loudness(samples: array.array, rate: int, start: float, end: float) -> int:
    """The loudest sample between two times (seconds) of the decoded recording."""
    return max((abs(x) for x in samples[round(start * rate):round(end * rate)]), default=0)


def test_each_caption_starts_as_its_words_start_and_ends_as_they_end(charter: Path, tmp_path: Path) -> None:
    """A listener following the transcript sees each line while it is spoken: the recording, decoded as a
    player decodes it, is silent just before each cue's start and just after its end, and speaking at both."""
    decoded = tmp_path / "charter.wav"
    subprocess.run([require("opusdec"), "--quiet", "--rate", "48000", str(charter / "charter.opus"), str(decoded)],
                   check=True)
    with wave.open(str(decoded), "rb") as sound:
        rate, samples = sound.getframerate(), array.array("h", sound.readframes(sound.getnframes()))
    quiet, edge = 300, 0.06  # out of 32767; 60 ms either side
    cues = list(webvtt.read(str(charter / "charter.vtt")))
    assert len(cues) > 5
    for cue in cues:
        start, end = seconds(cue.start), seconds(cue.end)
        assert loudness(samples, rate, start - edge, start - 0.01) < quiet, f"speech before {cue.text!r} starts"
        assert loudness(samples, rate, start, start + edge) > quiet, f"{cue.text!r} starts in silence"
        assert loudness(samples, rate, end - edge, end) > quiet, f"{cue.text!r} ends in silence"
        assert loudness(samples, rate, end + 0.01, end + edge) < quiet, f"speech after {cue.text!r} ends"


def test_the_audio_and_transcript_bytes_reproduce(charter: Path, tmp_path: Path) -> None:
    sources, templates = charter_pack(tmp_path)
    again = tmp_path / "again"
    result = build(sources, templates, again, "--document", "charter", "--variant", "easy-read",
                   "--format", "audio")
    assert result.returncode == 0, result.stderr
    for name in ("charter.opus", "charter.vtt"):
        assert (again / "easy-read" / name).read_bytes() == (charter / name).read_bytes(), name


def test_a_language_espeak_cannot_speak_is_one_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    require("espeak-ng")
    sources, templates = charter_pack(tmp_path)
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text("utf-8").replace("language: en-GB", "language: tlh"), "utf-8")
    own_labels(sources, "tlh")  # the organisation has its words in Klingon, but espeak-ng has no voice for it
    out = tmp_path / "build"
    result = build(sources, templates, out, "--document", "charter", "--format", "audio")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no voice for the language 'tlh'" in lines[0], result.stderr
    assert not list(out.rglob("*.opus")) and not list(out.rglob("*.vtt"))


def test_audio_asked_for_on_a_machine_without_espeak_is_one_line_saying_what_to_install(tmp_path: Path) -> None:
    """A laptop without espeak-ng: `--format audio` stops before writing anything, naming the package."""
    sources, templates = charter_pack(tmp_path)
    out = tmp_path / "build"
    no_programs = tmp_path / "bin"  # a PATH on which neither espeak-ng nor opusenc is found
    no_programs.mkdir()
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--format", "audio", env={"PATH": str(no_programs)})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "packgen: error: --format audio: audio needs espeak-ng, which is not installed (Debian: apt-get install "
        "espeak-ng)"]
    assert not out.exists()
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text("utf-8") + "formats: [audio]\n", "utf-8")
    listed = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         env={"PATH": str(no_programs)})
    assert listed.returncode == 1
    line = pack.read_text("utf-8").splitlines().index("formats: [audio]") + 1
    assert listed.stderr.strip().splitlines() == [
        f"packgen: error: {pack}:{line}: formats: lists audio, but audio needs espeak-ng, which is not installed "
        "(Debian: apt-get install espeak-ng)"]
    assert not out.exists()


def test_audio_is_built_only_when_asked(tmp_path: Path) -> None:
    sources, templates = charter_pack(tmp_path)
    out = tmp_path / "build"
    result = build(sources, templates, out, "--document", "charter")
    assert result.returncode == 0, result.stderr
    assert (out / "easy-read" / "charter.pdf").exists()
    assert not list(out.rglob("*.opus")) and not list(out.rglob("*.vtt"))

    require("espeak-ng")
    require("opusenc")
    result = build(sources, templates, out, "--document", "charter", "--format", "audio")
    assert result.returncode == 0, result.stderr
    made = {p.relative_to(out).as_posix() for p in (*out.rglob("*.opus"), *out.rglob("*.vtt"))}
    assert made == {"easy-read/charter.opus", "easy-read/charter.vtt"}  # of the easy-read version only


def test_pack_yaml_formats_adds_audio_to_the_whole_pack_its_zip_and_download_page(tmp_path: Path) -> None:
    require("espeak-ng")
    require("opusenc")
    sources, templates = charter_pack(tmp_path)
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text("utf-8") + "formats: [audio]\n", "utf-8")
    out = tmp_path / "build"
    result = build(sources, templates, out)
    assert result.returncode == 0, result.stderr

    expected = {f"easy-read/{d}{suffix}" for d in MINI_IDS for suffix in (".opus", ".vtt")}
    assert {p.relative_to(out).as_posix() for p in out.rglob("*.opus")} | {
        p.relative_to(out).as_posix() for p in out.rglob("*.vtt")} == expected
    with zipfile.ZipFile(next(out.glob("*-pack.zip"))) as archive:
        assert expected <= set(archive.namelist())
    page = html.fromstring((out / "index.html").read_bytes())
    links = {a.get("href"): " ".join(a.text_content().split()) for a in page.iter("a")}
    assert links["easy-read/charter.opus"].startswith("Audio (Ogg Opus, with chapters), ")
    assert links["easy-read/charter.vtt"].startswith("Audio transcript (WebVTT), ")


def test_a_format_pack_yaml_does_not_know_is_an_error_naming_its_line(tmp_path: Path) -> None:
    sources, templates = charter_pack(tmp_path)
    pack = sources / "pack.yaml"
    text = pack.read_text("utf-8") + "formats: [audoi]\n"
    pack.write_text(text, "utf-8")
    result = build(sources, templates, tmp_path / "build")
    assert result.returncode == 1
    line = text.splitlines().index("formats: [audoi]") + 1
    assert result.stderr.startswith(f"packgen: error: {pack}:{line}: "), result.stderr
    assert "audio" in result.stderr and len(result.stderr.strip().splitlines()) == 1
