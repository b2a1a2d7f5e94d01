"""What a checker needs to know about a file besides its bytes: its name and its variant (standard,
easy read, large print), which sets the rules it is held to.

A file's variant is what the build's manifest says, else the folder its path runs through
(``easy-read``, ``large-print``, ``standard``), else what the document itself says (keywords,
category or a meta tag containing "easy read" or "large print"). The last lets us check files
someone else made.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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


@lru_cache(maxsize=64)
def _manifest(manifest: Path) -> tuple[dict[str, str], str | None]:
    """A build's manifest, read once: the variant of each output by path, and the pack's language."""
    try:
        data = json.loads(manifest.read_text("utf-8"))
    except (OSError, ValueError):
        return {}, None
    if not isinstance(data, dict):
        return {}, None
    outputs = data.get("outputs", [])
    variants = {str(o["path"]): str(o.get("variant", "")) for o in outputs if isinstance(o, dict) and "path" in o} \
        if isinstance(outputs, list) else {}
    pack = data.get("pack")
    language = pack.get("language") if isinstance(pack, dict) else None
    return variants, str(language) if language else None


def _listing_manifest(path: Path) -> Path | None:
    """The nearest manifest.json (in this folder or up to three above) that records ``path``."""
    resolved = path.resolve()
    for parent in list(resolved.parents)[:4]:
        manifest = parent / "manifest.json"
        if manifest.is_file() and resolved.relative_to(parent).as_posix() in _manifest(manifest)[0]:
            return manifest
    return None


def manifest_variant(path: Path) -> str | None:
    """The variant the nearest manifest.json (in this folder or up to three above) records for ``path``."""
    manifest = _listing_manifest(path)
    if manifest is None:
        return None
    return _manifest(manifest)[0][path.resolve().relative_to(manifest.parent).as_posix()]


def pack_language(path: Path) -> str | None:
    """The language of the pack whose build's manifest records ``path`` (pack.yaml's), or None."""
    manifest = _listing_manifest(path)
    return _manifest(manifest)[1] if manifest else None


def make_context(path: Path, label: str | None = None) -> FileContext:
    variant = manifest_variant(path)
    folders = {part.lower() for part in path.resolve().parts[:-1]}
    if variant is None:
        # a folder of another variant inside a standard/ one is that variant's
        variant = next((name for name in sorted(VARIANTS, key=lambda name: name == "standard") if name in folders),
                       None)
    return FileContext(path=path, label=label or str(path), easy_read=variant == EASY_READ,
                       variant_known=variant is not None, variant=variant or "standard")
