"""What a packgen build's manifest.json records of a file found on disk: that packgen made it, its
variant, and the pack's language. `packgen check` and `packgen import` are handed files from anywhere;
a file a build lists is one of packgen's, whatever its own metadata says.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from packgen.pack.manifest import MANIFEST


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
        manifest = parent / MANIFEST
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
