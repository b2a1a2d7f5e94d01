"""Help written for a comms officer: every command's --help shows an example, and no word of
programmers' jargon appears without the plain words that explain it."""

from __future__ import annotations

import re

import pytest

from conftest import run_packgen

COMMANDS = ((), ("build",), ("forms",), ("register",), ("new",), ("pictures",), ("check",))
# A term, and the words that must stand beside it (within a sentence) when it is used; None: never.
JARGON = {
    "variant": "version",
    "PEM": None,
    "DER": None,
    "axe-core": "checker",
    "MB": None,
    "treat warnings as errors": None,
    "worker process": None,
    "JSON": "program",
    "stdout": None,
    "traceback": None,
}


def help_text(command: tuple[str, ...]) -> str:
    result = run_packgen(*command, "--help")
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "packgen")
def test_every_help_shows_an_example(command: tuple[str, ...]) -> None:
    text = help_text(command)
    assert re.search(r"^examples?:\n  packgen ", text, re.M), text


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "packgen")
def test_no_jargon_stands_without_its_explanation(command: tuple[str, ...]) -> None:
    # The usage lines and option names (--variant) are what is typed, not words to read: only the
    # explanations are read.
    words = re.sub(r"--?[\w-]+|\{[\w,]+\}", " ", help_text(command).split("\n\n", 1)[1])
    sentences = re.split(r"(?<=[.:;)])\s+|\n\s*\n", " ".join(words.split()))
    for term, explanation in JARGON.items():
        for sentence in sentences:
            if re.search(rf"(?<![\w.-]){re.escape(term)}(?![\w-])", sentence, re.I):
                assert explanation is not None and explanation in sentence, (term, sentence)


def test_build_help_says_every_version_it_makes() -> None:
    text = " ".join(help_text(("build",)).split())
    description = text.split(" options: ", 1)[0]
    versions = re.search(r"only these versions of each document, comma-separated: ([\w, -]+?) --", text)[1]
    for version in versions.split(", "):
        assert version.replace("-", " ") in description, (version, description)
