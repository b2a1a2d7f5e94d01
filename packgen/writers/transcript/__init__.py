"""The transcript of each easy-read recording: its words with their times, as WebVTT.

Its own format, made from the same timed words as the recording (packgen.writers.audio.recording),
and part of the audio format: asking for audio makes both.
"""

from __future__ import annotations

from packgen.writers import Format

FORMAT = Format(name="transcript", suffix=".vtt", writer="packgen.writers.audio.webvtt",
                label="index_format_transcript", cost=20.0, rank=61, default=False, variants=("easy-read",),
                part_of="audio")
