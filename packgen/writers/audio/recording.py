"""A document spoken: the samples, each line's start and end, and each chapter's start.

The recording and its transcript are made from this one function, so the transcript's times are
the recording's.
"""

from __future__ import annotations

from dataclasses import dataclass

from packgen.model import Document
from packgen.writers.audio import script, voice

# The pause after each line, and the longer one before each new chapter, in seconds: time for an
# easy-read listener to take in one point before the next.
LINE_PAUSE_S = 0.5
CHAPTER_PAUSE_S = 1.0
SAMPLE_BYTES = 2  # espeak-ng's 16-bit mono samples


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


def record(document: Document) -> Recording:
    """Speak the document's chapters line by line in the voice of its language."""
    speaker = voice.voice_for(document.metadata.language)
    pcm = bytearray()
    rate = 0
    cues: list[Cue] = []
    chapters: list[tuple[str, float]] = []

    def now() -> float:
        return len(pcm) / SAMPLE_BYTES / rate if rate else 0.0

    def pause(seconds: float) -> None:
        pcm.extend(bytes(SAMPLE_BYTES * round(seconds * rate)))

    for number, chapter in enumerate(script.chapters(document)):
        for index, line in enumerate(chapter.lines):
            samples, rate = voice.speak(line, speaker)
            if number and not index:
                pause(CHAPTER_PAUSE_S - LINE_PAUSE_S)
            if not index:
                chapters.append((chapter.title, now()))
            start = now()
            pcm.extend(samples)
            cues.append(Cue(start, now(), line))
            pause(LINE_PAUSE_S)
    return Recording(bytes(pcm), rate, tuple(cues), tuple(chapters))


def timestamp(seconds: float, separator: str = ".") -> str:
    """HH:MM:SS.mmm, as Ogg chapters and WebVTT cues write a time."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}{separator}{rest % 1000:03d}"
