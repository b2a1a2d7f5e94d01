"""espeak-ng's voice for a language, and the speech it makes of one line (16-bit mono PCM)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from functools import cache
from pathlib import Path

from packgen.errors import RenderError

ESPEAK = "espeak-ng"


@cache
def _program() -> str:
    path = shutil.which(ESPEAK)
    if path is None:
        raise RenderError(f"audio needs {ESPEAK}, which is not installed (Debian: apt-get install {ESPEAK})")
    return path


@cache
def _voices() -> tuple[str, ...]:
    """The languages espeak-ng speaks, lower case (`espeak-ng --voices`: the second column)."""
    listing = subprocess.run([_program(), "--voices"], capture_output=True, text=True, check=True).stdout
    return tuple(line.split()[1].lower() for line in listing.splitlines()[1:] if len(line.split()) > 1)


@cache
def version() -> str:
    """espeak-ng's version line: another version may speak a line for longer."""
    return subprocess.run([_program(), "--version"], capture_output=True, text=True, check=True).stdout.strip()


def voice_for(language: str) -> str:
    """The voice for a BCP 47 language (en-GB -> en-gb), else its primary language's (cy-GB -> cy)."""
    tag = language.lower()
    for candidate in (tag, tag.split("-")[0]):
        if candidate in _voices():
            return candidate
    raise RenderError(f"audio: {ESPEAK} has no voice for the language '{language}' (pack.yaml's language), "
                      f"so no recording can be made (`{ESPEAK} --voices` lists the languages it speaks)")


def speak(text: str, voice: str) -> tuple[bytes, int]:
    """One line spoken: its samples (16-bit little-endian mono) and their rate per second."""
    with tempfile.TemporaryDirectory(prefix="packgen-speech-") as folder:
        wav = Path(folder) / "line.wav"
        # The words go in on standard input, so a line starting with "-" is never read as an option.
        subprocess.run([_program(), "-v", voice, "-w", str(wav), "--stdin"], input=text.encode("utf-8"),
                       capture_output=True, check=True)
        with wave.open(str(wav), "rb") as sound:
            return sound.readframes(sound.getnframes()), sound.getframerate()
