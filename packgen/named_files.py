"""The files a pack names: read from inside its folder only, and why one cannot be read said in the
same words wherever it is named (a document in pack.yaml, a picture in the Markdown, brand.yml's
logo and fonts). Below both the sources and the Markdown parser, which each name files, and below
every command that reads a file someone names or hands over (`not_a_file`).
"""

from __future__ import annotations

from pathlib import Path

# What is where a file should be, when it is not an ordinary file
FOLDER = "a folder"
PIPE = "a pipe or a device"  # or a socket: anything that is no file's bytes, where opening can wait for ever
NOTHING = "nothing"
LINK_TO_NOTHING = "a link that leads nowhere"  # what NOTHING is, said of a link
LINK_TO_FOLDER = f"a link to {FOLDER}"  # never followed: it could lead anywhere on the disk, or round in a loop
NOT_ORDINARY = f"is not an ordinary file ({PIPE}?)"  # said of a pipe named where a file should be


def not_a_file(path: Path) -> str | None:
    """None when `path` is an ordinary file (or a link to one), else what is there instead: FOLDER,
    PIPE or NOTHING (a dangling link too). A name the disk cannot look up (too long, no permission)
    raises OSError, as pathlib does."""
    if path.is_file():
        return None
    if path.is_dir():
        return FOLDER
    return PIPE if path.exists() else NOTHING


def what_is_at(path: Path) -> str | None:
    """not_a_file, with a link that leads nowhere or to a folder named as the link it is: the words for
    what a user handed over, who may not know that the name is a link."""
    what = not_a_file(path)
    if what in (NOTHING, FOLDER) and path.is_symlink():
        return LINK_TO_NOTHING if what == NOTHING else LINK_TO_FOLDER
    return what


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
        return {None: None, FOLDER: "is a folder, not a file", PIPE: NOT_ORDINARY,
                NOTHING: "does not exist"}[not_a_file(path)]
    except RuntimeError:
        return "is a link (symlink) that leads round in a loop: put the file itself there"
    except ValueError:
        return "cannot be a file's name (it holds a NUL character): write the file's name"
    except OSError as exc:
        return f"cannot be opened ({exc.strerror or exc})"
