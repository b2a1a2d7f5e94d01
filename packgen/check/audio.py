"""`packgen check` for the easy-read recordings (Ogg Opus) and their WebVTT transcripts.

A listener needs the file to play, its chapters to skip between sections, and the transcript beside
it (a deaf-blind reader or a carer follows that) to cover the same recording: mutagen reads the
recording as a player's tag reader does, webvtt-py the transcript as a caption reader does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import webvtt
from mutagen import MutagenError
from mutagen.oggopus import OggOpus
from webvtt.errors import MalformedFileError

from packgen.check.context import FileContext
from packgen.check.findings import Finding, error

TRANSCRIPT = ".vtt"
# The recording ends with a pause after its last words: a transcript ending earlier than this before
# the recording's end leaves words without captions.
END_SLACK_S = 3.0
FIX = "Rebuild it with 'make --format audio' (or 'packgen build --format audio'); if the problem stays, report it."


def check_audio(ctx: FileContext) -> list[Finding]:
    try:
        recording = OggOpus(ctx.path)
    except (MutagenError, OSError) as exc:
        return [error("audio-parse", ctx.label, "whole file", f"The file does not play as Ogg Opus ({exc}).", FIX)]
    findings: list[Finding] = []
    length = recording.info.length
    tags = recording.tags or {}
    for key, rule, what in (("title", "audio-title", "a title"), ("LANGUAGE", "audio-language", "a language")):
        if not "".join(tags.get(key, [])).strip():
            findings.append(error(rule, ctx.label, "tags", f"The recording has no {what} ({key} tag): a player "
                                  f"shows or says none.", FIX))
    findings += _chapters(ctx, tags, length)
    findings += _transcript(ctx, length)
    return findings


def _chapters(ctx: FileContext, tags: Any, length: float) -> list[Finding]:  # noqa: ANN401 - mutagen's tags
    starts = []
    for number in range(1, 1000):
        start = tags.get(f"CHAPTER{number:03d}")
        if not start:
            break
        name = "".join(tags.get(f"CHAPTER{number:03d}NAME", [])).strip()
        seconds = _seconds(start[0])
        if not name or seconds is None or seconds > length:
            return [error("audio-chapters", ctx.label, f"chapter {number}",
                          f"Chapter {number} has {'no name' if not name else 'a start outside the recording'}: "
                          "a listener cannot skip to it.", FIX)]
        starts.append(seconds)
    if not starts:
        return [error("audio-chapters", ctx.label, "tags", "The recording has no chapters (CHAPTER001 tags): a "
                      "listener cannot skip from section to section.", FIX)]
    if starts != sorted(starts):
        return [error("audio-chapters", ctx.label, "tags", "The chapters are not in the order they are spoken.",
                      FIX)]
    return []


def _transcript(ctx: FileContext, length: float) -> list[Finding]:
    path = ctx.path.with_suffix(TRANSCRIPT)
    name = Path(path.name)
    if not path.is_file():
        return [error("audio-transcript", ctx.label, "whole file", f"There is no transcript ({name}) beside "
                      "the recording: a reader who cannot hear it has no words to follow.", FIX)]
    try:
        cues = list(webvtt.read(str(path)))
    except (MalformedFileError, OSError, UnicodeDecodeError) as exc:
        return [error("audio-transcript", ctx.label, str(name), f"The transcript does not read as WebVTT ({exc}).",
                      FIX)]
    ends = [_seconds(cue.end) or 0.0 for cue in cues]
    last = max(ends, default=0.0)
    if not cues or last > length + 0.05 or length - last > END_SLACK_S:
        return [error("audio-transcript", ctx.label, str(name),
                      f"The transcript ends at {last:.1f} s but the recording lasts {length:.1f} s: they are not "
                      "of the same recording.", FIX)]
    return []


def _seconds(stamp: str) -> float | None:
    """HH:MM:SS.mmm (or MM:SS.mmm) in seconds; None when it is not a time."""
    try:
        parts = [float(part) for part in stamp.split(":")]
    except ValueError:
        return None
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def check_transcript(ctx: FileContext) -> list[Finding]:
    """The transcript on its own: it reads as WebVTT, with cues in time order."""
    try:
        cues = list(webvtt.read(str(ctx.path)))
    except (MalformedFileError, OSError, UnicodeDecodeError) as exc:
        return [error("transcript-parse", ctx.label, "whole file", f"The file does not read as WebVTT ({exc}).",
                      FIX)]
    starts = [_seconds(cue.start) for cue in cues]
    if not cues or None in starts or starts != sorted(starts):
        return [error("transcript-parse", ctx.label, "whole file", "The transcript has no cues, or cues out of "
                      "time order: a caption reader shows the words in the wrong order or not at all.", FIX)]
    return []
