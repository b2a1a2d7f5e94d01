"""The rule list is complete and every rule has a test that breaks it: comms staff rely on both."""

from __future__ import annotations

import re
from pathlib import Path

from packgen.check.rules import RULES

CHECK = Path(__file__).resolve().parents[1] / "packgen" / "check"
TESTS = Path(__file__).resolve().parent
RULE_ID = re.compile(r'"((?:docx|pdf|html|epub|brf|audio|transcript|easy-read|axe|ace|verapdf|format)-[a-z0-9-]+)"')
UNTESTED = {"axe-error"}
NOT_RULES = {"axe-core", "ace-cli"}  # an npm package's and a program's name  # axe-error needs Chromium to fail


def _used_in_checkers() -> set[str]:
    ids: set[str] = set()
    for path in CHECK.glob("*.py"):
        if path.name != "rules.py":
            ids |= set(RULE_ID.findall(path.read_text("utf-8")))
    return ids - NOT_RULES


def test_every_rule_used_is_listed() -> None:
    assert _used_in_checkers() - set(RULES) == set()


def test_every_listed_rule_is_used() -> None:
    assert set(RULES) - _used_in_checkers() == set()


def test_every_rule_is_asserted_by_a_test() -> None:
    text = "".join(p.read_text("utf-8") for p in TESTS.glob("test_check_*.py") if p.name != Path(__file__).name)
    assert {rule for rule in RULES if f'"{rule}"' not in text} - UNTESTED == set()
