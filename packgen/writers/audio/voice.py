"""espeak-ng's voice for a language, and the speech it makes of one document (16-bit mono PCM).

The speech comes from the libespeak-ng library in one call per document (speech.py, run as its own
process), timed by the `<mark>`s of its SSML: starting the espeak-ng program for each line cost more
than the speaking itself.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from packgen.errors import RenderError

ESPEAK = "espeak-ng"
SPEECH = Path(__file__).with_name("speech.py")


@dataclass(frozen=True)
class Speech:
    samples: bytes  # 16-bit little-endian mono PCM
    rate: int  # samples per second
    marks: dict[str, int]  # each SSML mark's name and the sample it falls on


@cache
def program() -> str:
    path = shutil.which(ESPEAK)
    if path is None:
        raise RenderError(f"audio needs {ESPEAK}, which is not installed (Debian: apt-get install {ESPEAK})")
    return path


@cache
def _voices() -> tuple[str, ...]:
    """The languages espeak-ng speaks, lower case (`espeak-ng --voices`: the second column)."""
    listing = subprocess.run([program(), "--voices"], capture_output=True, text=True, check=True).stdout
    return tuple(line.split()[1].lower() for line in listing.splitlines()[1:] if len(line.split()) > 1)


@cache
def version() -> str:
    """espeak-ng's version line: another version may speak a line for longer."""
    return subprocess.run([program(), "--version"], capture_output=True, text=True, check=True).stdout.strip()


def voice_for(language: str) -> str:
    """The voice for a BCP 47 language (en-GB -> en-gb), else its primary language's (cy-GB -> cy)."""
    tag = language.lower()
    for candidate in (tag, tag.split("-")[0]):
        if candidate in _voices():
            return candidate
    raise RenderError(f"audio: {ESPEAK} has no voice for the language '{language}' (pack.yaml's language), "
                      f"so no recording can be made (`{ESPEAK} --voices` lists the languages it speaks)")


def speak(ssml: str, voice: str) -> Speech:
    """An SSML text spoken in one go, with the sample each of its marks falls on."""
    program()  # the library comes with the program: say which package is missing by the program's name
    # -I: the child reads only the standard library, whatever the environment says.
    result = subprocess.run([sys.executable, "-I", str(SPEECH), voice], input=ssml.encode("utf-8"),
                            capture_output=True, check=False)
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines() or ["no reason given"]
        raise RenderError(f"audio: {ESPEAK} could not speak the document: {reason[-1]}")
    header, _, samples = result.stdout.partition(b"\n")
    told = json.loads(header)
    return Speech(samples, told["rate"], told["marks"])
