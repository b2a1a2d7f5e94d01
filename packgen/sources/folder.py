"""Where a command finds its pack: the folder holding pack.yaml, and the pack's own templates folder.

A comms officer runs packgen inside their pack's folder, or in this repository, whose pack lives in
`sources/`; `--pack FOLDER` names any other. The pack's own templates are its `templates/` folder
(else a `templates/` folder beside it); it need not exist, as packgen's own templates are always
beneath it (packgen.template_folders). Nothing falls back to another pack: a folder with no
pack.yaml is an error saying where packgen looked.
"""

from __future__ import annotations

from pathlib import Path

from packgen.errors import SourceError

PACK_FILE = "pack.yaml"
REPOSITORY_SOURCES = "sources"
TEMPLATES = "templates"


def locate(pack: Path | None, sources: Path | None, templates: Path | None,
           here: Path | None = None) -> tuple[Path, Path]:
    """The sources folder and the templates folder for a command's options (None: not given)."""
    here = here or Path()
    if sources is None:
        sources = pack if pack is not None else _find(here)
    if templates is None:
        own, beside = sources / TEMPLATES, sources.parent / TEMPLATES
        templates = own if own.is_dir() or not beside.is_dir() else beside
    return sources, templates


def _find(here: Path) -> Path:
    for folder in (here, here / REPOSITORY_SOURCES):
        if (folder / PACK_FILE).is_file():
            return folder if folder != here else Path()
    raise SourceError(f"no pack here: there is no {PACK_FILE} in this folder or in {REPOSITORY_SOURCES}/ "
                      "(run packgen in your pack's folder, or name it with --pack FOLDER)", here.resolve())
