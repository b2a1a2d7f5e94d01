"""The Ogg Opus file: the recording encoded by opusenc, with the chapters as Vorbis comments.

Chapters follow the Ogg chapter convention (CHAPTER001=HH:MM:SS.mmm, CHAPTER001NAME=title), which
players such as VLC and foobar2000 show as a chapter list. The bytes reproduce: the stream's serial
number comes from the document's id and variant, and the only date is the sources' own.
"""

from __future__ import annotations

import shutil
import subprocess
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from packgen.errors import RenderError
from packgen.model import Document
from packgen.writers.audio import voice
from packgen.writers.audio.recording import record, timestamp

if TYPE_CHECKING:
    from packgen.theme import Theme

OPUSENC = "opusenc"
BITRATE_KBPS = 32  # clear speech in one channel, a few megabytes an hour


def missing() -> str:
    """What a recording needs that this machine lacks ("" when nothing): espeak-ng and opusenc are Debian
    programs, not wheels."""
    try:
        voice.program()
        _opusenc()
    except RenderError as error:
        return str(error)
    return ""


def _opusenc() -> str:
    program = shutil.which(OPUSENC)
    if program is None:
        raise RenderError(f"audio needs {OPUSENC}, which is not installed (Debian: apt-get install opus-tools)")
    return program


def write(document: Document, theme: Theme, path: Path) -> None:
    program = _opusenc()
    spoken = record(document)
    meta = document.metadata
    tags = {"LANGUAGE": meta.language, "ORGANIZATION": meta.author, "VERSION": meta.version}
    for number, (title, start) in enumerate(spoken.chapters, 1):
        tags[f"CHAPTER{number:03d}"] = timestamp(start)
        tags[f"CHAPTER{number:03d}NAME"] = title
    serial = zlib.crc32(f"{document.variant}/{document.id}".encode())
    command = [program, "--quiet", "--speech", "--bitrate", str(BITRATE_KBPS), "--serial", str(serial),
               "--raw", "--raw-rate", str(spoken.rate), "--raw-chan", "1", "--title", meta.title,
               "--artist", meta.author, *(["--date", meta.date] if meta.date else []),
               *(arg for key, value in tags.items() if value for arg in ("--comment", f"{key}={value}")),
               "-", str(path)]
    subprocess.run(command, input=spoken.samples, capture_output=True, check=True)

