"""The recording's transcript as WebVTT: one cue per spoken line, at the times the recording speaks it."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from packgen.model import Document
from packgen.writers.audio.recording import cues, timestamp

if TYPE_CHECKING:
    from packgen.theme import Theme


def write(document: Document, theme: Theme, path: Path) -> None:
    parts = ["WEBVTT", ""]
    for number, cue in enumerate(cues(document), 1):
        # A cue's text is markup: &, < and > are escaped, so no word is read as a tag (nor "-->" as a time).
        parts += [str(number), f"{timestamp(cue.start)} --> {timestamp(cue.end)}", escape(cue.text, quote=False), ""]
    path.write_text("\n".join(parts), "utf-8", newline="\n")
