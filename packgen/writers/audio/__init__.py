"""The spoken writer: one Ogg Opus recording of each easy-read document, a chapter per section.

Modules: script (the words a listener hears, chapter by chapter, from the document model), voice
(espeak-ng's voice for the document's language), speech (libespeak-ng speaking a whole document in
one call, in a process of its own), recording (the words spoken and timed by SSML marks, shared
with the transcript format), opus (the Ogg Opus file and its chapters).
The transcript beside each recording is its own format (packgen.writers.transcript), made from the
same timed words, so the download page, the zip and the manifest list it like any other file.
"""

from __future__ import annotations

from packgen.writers import Format

# Slow beside the other formats (seconds of speech per document), so built only when asked
# (`--format audio`, or pack.yaml's `formats: [audio]`); easy read only, as issue 25 asks.
FORMAT = Format(name="audio", suffix=".opus", writer="packgen.writers.audio.opus", label="index_format_audio",
                cost=20.0, compressed=True, rank=60, default=False, variants=("easy-read",),
                missing="packgen.writers.audio.opus:missing")
