"""`packgen new`: a small working pack folder for an organisation, to edit rather than start blank.

The files are in `packgen/starter/`, written for a comms officer to follow (every key commented),
with the organisation's name filled in. Their Markdown uses `{#id}` for section ids, so the
placeholders are `[[ name ]]` rather than Jinja's usual braces.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import unicodedata
from functools import partial
from importlib import resources
from pathlib import Path

import jinja2.sandbox

from packgen.errors import SourceError
from packgen.templating import md_escape


def initials(organisation: str) -> str:
    """A short name for an organisation that gave none: the capitals of its words ('RCT')."""
    letters = "".join(word[0] for word in organisation.split() if word[:1].isupper())
    return letters if len(letters) >= 2 else organisation


def new_pack(folder: Path, organisation: str, short_name: str = "", today: dt.date | None = None) -> list[Path]:
    """Write the starter pack into `folder` (which must not exist, or be empty); return its files.

    The files are written beside it first and the folder appears whole, so an interrupted `packgen
    new` leaves no half-made pack to be mistaken for one.
    """
    organisation = " ".join(organisation.split())
    if not organisation:
        raise SourceError("--organisation: give your organisation's name, for example --organisation \"Riverside "
                          "Community Trust\"", folder)
    for option, value in (("--organisation", organisation), ("--short-name", short_name)):
        odd = next((char for char in value if unicodedata.category(char) in ("Cc", "Cs", "Cn")), None)
        if odd is not None:
            raise SourceError(f"{option}: the character U+{ord(odd):04X} cannot be in a name: type the name again "
                              "without it", folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise SourceError("this folder already exists and is not empty: choose a new folder for the pack", folder)
    values = {"organisation": organisation, "short_name": short_name.strip() or initials(organisation),
              "date": (today or dt.date.today()).isoformat()}
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(
        variable_start_string="[[", variable_end_string="]]", block_start_string="[%", block_end_string="%]",
        comment_start_string="[#", comment_end_string="#]", undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True, autoescape=False)
    # A JSON string is a YAML string, whatever the name holds; its letters as they are, as YAML reads no
    # JSON escape for a letter beyond U+FFFF (an emoji).
    env.filters["yaml"] = partial(json.dumps, ensure_ascii=False)
    env.filters["md"] = md_escape
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.parent / f".{folder.name}.packgen-new-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        starter = resources.files("packgen") / "starter"
        for item in sorted(starter.iterdir(), key=lambda i: i.name):
            if item.is_file() and not item.name.startswith("."):
                text = env.from_string(item.read_text("utf-8")).render(values)
                (staging / item.name).write_text(text, "utf-8")
        if folder.exists():
            folder.rmdir()
        os.replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(folder.iterdir())
