"""Where a command finds its pack: the folder holding pack.yaml, and the pack's own templates folder.

A comms officer runs packgen inside their pack's folder, or in this repository, whose pack lives in
`sources/`; `--pack FOLDER` names any other. The pack's own templates are its `templates/` folder
(else a `templates/` folder beside it); it need not exist, as packgen's own templates are always
beneath it (packgen.template_folders). Nothing falls back to another pack: a folder with no
pack.yaml is an error saying where packgen looked. Every file a pack names is read from inside its
folder only (`within`), and why one cannot be read is said in the same words wherever it is named
(`unreadable`).
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


def within(path: Path, folder: Path) -> bool:
    """Whether `path`, with every link and '..' followed, is inside `folder`: no name in a pack leads
    packgen to read a file kept elsewhere. A link in a loop leads nowhere, so it is not outside: reading
    it says what is wrong."""
    try:
        return folder.resolve() in path.resolve().parents
    except (RuntimeError, ValueError):  # a loop, or a name no file can have (a NUL in it): `unreadable` says so
        return True


def unreadable(path: Path) -> str | None:
    """Why a file a pack names cannot be read, in words that follow its name (a name too long for the
    disk is a mistake too), or None."""
    try:
        path.resolve()
        if path.is_file():
            return None
        if path.is_dir():
            return "is a folder, not a file"
        return "is not an ordinary file (a pipe or a device?)" if path.exists() else "does not exist"
    except RuntimeError:
        return "is a link (symlink) that leads round in a loop: put the file itself there"
    except ValueError:
        return "cannot be a file's name (it holds a NUL character): write the file's name"
    except OSError as exc:
        return f"cannot be opened ({exc.strerror or exc})"
