"""What a checker needs to know about a file besides its bytes: its name and whether it is easy read.

A file is easy read when the build's manifest says so (variant "easy-read"), when its path runs
through an ``easy-read`` folder, or when the document itself says so (keywords, category or a
meta tag containing "easy read"). The last lets us check files someone else made.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

EASY_READ_WORDS = re.compile(r"easy[\s_-]?read", re.IGNORECASE)


@dataclass
class FileContext:
    path: Path
    label: str  # how the report names the file (as given, relative where possible)
    easy_read: bool = False
    variant_known: bool = False  # the manifest or the folder said which variant this is

    def mark_easy_read_from_metadata(self, *texts: str | None) -> None:
        """A file no manifest or folder vouches for is easy read when its own metadata says so.

        The manifest and folder win: our standard documents list "easy read" among their keywords
        because they offer an easy-read version, and must not be held to easy-read rules for it.
        """
        if not self.variant_known and any(t and EASY_READ_WORDS.search(t) for t in texts):
            self.easy_read = True


@lru_cache(maxsize=64)
def _manifest_variants(manifest: Path) -> dict[str, str]:
    try:
        data = json.loads(manifest.read_text("utf-8"))
        outputs = data.get("outputs", []) if isinstance(data, dict) else []
        return {str(o["path"]): str(o.get("variant", "")) for o in outputs
                if isinstance(o, dict) and "path" in o}
    except (OSError, ValueError, TypeError, KeyError):
        return {}


def _listing_manifest(path: Path) -> Path | None:
    """The nearest manifest.json (in this folder or up to three above) that records ``path``."""
    resolved = path.resolve()
    for parent in list(resolved.parents)[:4]:
        manifest = parent / "manifest.json"
        if manifest.is_file() and resolved.relative_to(parent).as_posix() in _manifest_variants(manifest):
            return manifest
    return None


def manifest_variant(path: Path) -> str | None:
    """The variant the nearest manifest.json (in this folder or up to three above) records for ``path``."""
    manifest = _listing_manifest(path)
    if manifest is None:
        return None
    return _manifest_variants(manifest)[path.resolve().relative_to(manifest.parent).as_posix()]


def pack_language(path: Path) -> str | None:
    """The language of the pack whose build's manifest records ``path`` (pack.yaml's), or None."""
    manifest = _listing_manifest(path)
    try:
        language = json.loads(manifest.read_text("utf-8")).get("pack", {}).get("language") if manifest else None
    except (OSError, ValueError, AttributeError):
        return None
    return str(language) if language else None


def make_context(path: Path, label: str | None = None) -> FileContext:
    variant = manifest_variant(path)
    folders = {part.lower() for part in path.resolve().parts[:-1]}
    if variant is None and "easy-read" in folders:
        variant = "easy-read"
    elif variant is None and "standard" in folders:
        variant = "standard"
    return FileContext(path=path, label=label or str(path), easy_read=variant == "easy-read",
                       variant_known=variant is not None)
