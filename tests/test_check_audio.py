"""`packgen check` on the easy-read recordings: the partnership's office checks a recording before it goes
on the website: it plays, it has a title, a language and chapters to skip between, and its transcript is
beside it and covers the same recording. The built recording passes; hand-broken copies fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mutagen.oggopus import OggOpus
from test_audio import charter as built_charter

from packgen.check import check_paths, has_errors

charter = built_charter  # test_audio's fixture: the easy-read charter's web page and audio, built once


@pytest.fixture(scope="module")
def recording(charter: Path) -> Path:
    return charter / "charter.opus"


def copy(recording: Path, tmp_path: Path, transcript: bool = True) -> Path:
    target = tmp_path / "charter.opus"
    shutil.copy(recording, target)
    if transcript:
        shutil.copy(recording.with_suffix(".vtt"), target.with_suffix(".vtt"))
    return target


def rules(path: Path) -> list[str]:
    return [f.rule for f in check_paths([path], axe=False, verapdf=False) if f.severity == "error"]


def test_the_built_recording_and_its_transcript_pass(recording: Path) -> None:
    found = check_paths([recording, recording.with_suffix(".vtt")], axe=False, verapdf=False)
    assert not has_errors(found) and not [f for f in found if f.rule == "format-unchecked"], found


def test_a_recording_with_no_chapters_title_or_language_fails_each(recording: Path, tmp_path: Path) -> None:
    path = copy(recording, tmp_path)
    tagged = OggOpus(path)
    for key in list(tagged.tags.keys()):
        if key.upper().startswith("CHAPTER") or key.upper() in ("TITLE", "LANGUAGE"):
            del tagged.tags[key]
    tagged.save()
    assert sorted(rules(path)) == ["audio-chapters", "audio-language", "audio-title"]


def test_chapters_out_of_order_fail(recording: Path, tmp_path: Path) -> None:
    path = copy(recording, tmp_path)
    tagged = OggOpus(path)
    tagged.tags["CHAPTER002"] = ["00:00:00.000"]
    tagged.tags["CHAPTER001"] = ["00:00:05.000"]
    tagged.save()
    assert rules(path) == ["audio-chapters"]


def test_a_recording_without_its_transcript_or_with_another_ones_fails(recording: Path, tmp_path: Path) -> None:
    (tmp_path / "alone").mkdir()
    assert rules(copy(recording, tmp_path / "alone", transcript=False)) == ["audio-transcript"]

    path = copy(recording, tmp_path)
    vtt = path.with_suffix(".vtt")
    blocks = vtt.read_text("utf-8").split("\n\n")
    vtt.write_text("\n\n".join(blocks[:3]) + "\n", "utf-8")  # the first two cues only: another, shorter recording
    assert rules(path) == ["audio-transcript"]


def test_a_file_that_is_not_opus_or_a_transcript_that_is_not_webvtt_fails(tmp_path: Path) -> None:
    fake = tmp_path / "charter.opus"
    fake.write_bytes(b"ID3 not an ogg file at all")
    assert rules(fake) == ["audio-parse"]
    vtt = tmp_path / "notes.vtt"
    vtt.write_text("Just some words, no WEBVTT header\n", "utf-8")
    assert rules(vtt) == ["transcript-parse"]
    shuffled = tmp_path / "shuffled.vtt"
    shuffled.write_text("WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nSecond\n\n00:00:01.000 --> 00:00:02.000\nFirst\n",
                        "utf-8")
    assert rules(shuffled) == ["transcript-parse"]
