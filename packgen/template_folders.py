"""Where templates come from: the pack's own templates folder first, then packgen's own.

packgen carries its general templates inside the package (`packgen/templates/`: theme.yaml, the
labels, the partials, the web page templates and a default template per kind of document), so an
organisation that installs packgen with pip builds a pack with no templates folder at all. A pack
that wants to change one keeps its own copy under the same name in its own `templates/` folder
(`--templates` names another), and that copy wins; everything it does not have comes from packgen.
"""

from __future__ import annotations

from pathlib import Path

PACKGEN_TEMPLATES = Path(__file__).resolve().parent / "templates"


def search_path(own: Path | None) -> tuple[Path, ...]:
    """The folders to look in, in order: the pack's own (when it has one), then packgen's."""
    folders = [Path(own)] if own is not None and Path(own).is_dir() else []
    if not any(_same(folder, PACKGEN_TEMPLATES) for folder in folders):
        folders.append(PACKGEN_TEMPLATES)
    return tuple(folders)


def holding(own: Path | None, name: str) -> Path:
    """The first folder of the search path that holds `name` (packgen's when none does)."""
    for folder in search_path(own):
        if (folder / name).exists():
            return folder
    return PACKGEN_TEMPLATES


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
