"""A document spoken: the samples, each line's start and end, and each chapter's start.

The recording and its transcript are made from this one function, so the transcript's times are
the recording's. Speaking a document takes a while, so the recording keeps its times in packgen's
per-user cache (packgen.cache), and the transcript, made after it, reads them there.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from html import escape
from pathlib import Path

from packgen import cache
from packgen.model import Document
from packgen.writers.audio import script, voice

CUES = "audio-cues"  # the cache's kind for a recording's times

# The pause after each line, and the longer one before each new chapter, in seconds: time for an
# easy-read listener to take in one point before the next.
LINE_PAUSE_S = 0.5
CHAPTER_PAUSE_S = 1.0


@dataclass(frozen=True)
class Cue:
    start: float  # seconds from the recording's start
    end: float
    text: str


@dataclass(frozen=True)
class Recording:
    samples: bytes  # 16-bit little-endian mono PCM
    rate: int  # samples per second
    cues: tuple[Cue, ...]
    chapters: tuple[tuple[str, float], ...]  # each chapter's title and start in seconds


def cues(document: Document) -> tuple[Cue, ...]:
    """The times the recording speaks each line: those it kept, else the document spoken again."""
    kept = cache.read(CUES, _cues_name(document, voice.voice_for(document.metadata.language)))
    if kept is not None:
        return tuple(Cue(**cue) for cue in json.loads(kept))
    return record(document).cues


def _cues_name(document: Document, speaker: str) -> str:
    """What the times follow from: the words spoken, the voice, espeak-ng's version and this code."""
    code = [Path(__file__), Path(script.__file__), Path(voice.__file__), voice.SPEECH]
    return cache.key(script.chapters(document), speaker, voice.version(), cache.code_version(*code))


def record(document: Document) -> Recording:
    """Speak the document's chapters in the voice of its language: one synthesis for the whole document,
    each line between two SSML marks, so its start and end are the samples the library put them on."""
    speaker = voice.voice_for(document.metadata.language)
    spoken = script.chapters(document)
    lines = [line for chapter in spoken for line in chapter.lines]
    speech = voice.speak(_ssml(spoken), speaker) if lines else voice.Speech(b"", 1, {})

    def at(mark: str) -> float:
        return speech.marks[mark] / speech.rate

    timed = tuple(Cue(at(f"s{n}"), at(f"e{n}"), line) for n, line in enumerate(lines))
    chapters, first = [], 0
    for chapter in spoken:
        chapters.append((chapter.title, at(f"s{first}")))
        first += len(chapter.lines)
    cache.write(CUES, _cues_name(document, speaker), json.dumps([asdict(cue) for cue in timed]).encode())
    return Recording(speech.samples, speech.rate, timed, tuple(chapters))


def _ssml(chapters: tuple[script.Chapter, ...]) -> str:
    """The document as SSML: line n between the marks sn and en, a pause after each line, a longer one
    before each new chapter. The words are escaped, so a line is never read as markup."""
    parts, number = ["<speak>"], 0
    for index, chapter in enumerate(chapters):
        if index:
            parts.append(f'<break time="{round((CHAPTER_PAUSE_S - LINE_PAUSE_S) * 1000)}ms"/>')
        for line in chapter.lines:
            parts.append(f'<mark name="s{number}"/>{escape(line, quote=False)}<mark name="e{number}"/>'
                         f'<break time="{round(LINE_PAUSE_S * 1000)}ms"/>')
            number += 1
    return "".join([*parts, "</speak>"])


def timestamp(seconds: float, separator: str = ".") -> str:
    """HH:MM:SS.mmm, as Ogg chapters and WebVTT cues write a time."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}{separator}{rest % 1000:03d}"
