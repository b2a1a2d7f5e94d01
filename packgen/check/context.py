"""What a checker needs to know about a file besides its bytes: its name and its variant (standard,
easy read, large print), which sets the rules it is held to.

A file's variant is what the build's manifest says, else the folder its path runs through
(``easy-read``, ``large-print``, ``standard``), else what the document itself says (keywords,
category or a meta tag containing "easy read" or "large print"). The last lets us check files
someone else made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from packgen.built_files import manifest_variant
from packgen.sources.names import VARIANTS

EASY_READ = "easy-read"
# What a document's own metadata says to name its variant, tried in this order.
VARIANT_WORDS = ((EASY_READ, re.compile(r"easy[\s_-]?read", re.IGNORECASE)),
                 ("large-print", re.compile(r"large[\s_-]?print", re.IGNORECASE)))


@dataclass
class FileContext:
    path: Path
    label: str  # how the report names the file (as given, relative where possible)
    easy_read: bool = False
    variant_known: bool = False  # the manifest or the folder said which variant this is
    variant: str = "standard"

    def mark_easy_read_from_metadata(self, *texts: str | None) -> None:
        """A file no manifest or folder vouches for is easy read, or large print, when its own metadata
        says so.

        The manifest and folder win: our standard documents list "easy read" among their keywords
        because they offer an easy-read version, and must not be held to easy-read rules for it.
        """
        if self.variant_known:
            return
        for variant, words in VARIANT_WORDS:
            if any(t and words.search(t) for t in texts):
                self.variant, self.easy_read = variant, variant == EASY_READ
                return


def make_context(path: Path, label: str | None = None) -> FileContext:
    variant = manifest_variant(path)
    folders = {part.lower() for part in path.resolve().parts[:-1]}
    if variant is None:
        # a folder of another variant inside a standard/ one is that variant's
        variant = next((name for name in sorted(VARIANTS, key=lambda name: name == "standard") if name in folders),
                       None)
    return FileContext(path=path, label=label or str(path), easy_read=variant == EASY_READ,
                       variant_known=variant is not None, variant=variant or "standard")
