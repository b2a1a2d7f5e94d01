"""Who made a file, and so where its problems are fixed: packgen's sources, or the program that made it.

`packgen check` reads files whoever made them. A fix that says "rebuild it with make" or "edit
sources/" helps only for a file packgen made; for a file from Word, LibreOffice or Typst the fix is
made in that program. The checkers write packgen's fix; this module gives every file packgen did not
make (packgen.made_by says which) the fix that fits it (packgen.check.rules.FIX_ELSEWHERE).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from packgen.check.findings import Finding
from packgen.check.rules import FIX_ELSEWHERE, FIX_ELSEWHERE_BY_FAMILY, FIX_OURS_BY_FAMILY, RULES
from packgen.made_by import made_by_packgen, maker

# Words of a fix that only make sense for a file packgen made.
PACKGEN_WORDS = re.compile(r"sources/|templates/|'make'|packgen|theme\.yaml|pack\.yaml")


def the_program(name: str) -> str:
    """How a fix names the program that made a file."""
    return f"the program that made it ({name})" if name else "the program that made it"


def fix_elsewhere(finding: Finding, program: str) -> str:
    """The fix for a file another program made: the rule's own, its family's, or a general one."""
    where = the_program(program)
    if finding.rule in FIX_ELSEWHERE:
        return FIX_ELSEWHERE[finding.rule].format(program=where)
    for family, tail in FIX_ELSEWHERE_BY_FAMILY.items():
        if finding.rule.startswith(family) and finding.rule not in RULES:
            return f"{finding.fix} {tail.format(program=where)}".strip()
    if finding.fix and not PACKGEN_WORDS.search(finding.fix):
        return finding.fix
    return f"Fix it in {where}, then save or export the file again."


def fix_ours(finding: Finding) -> str:
    """The fix for a file packgen made: the checker's, with where in packgen for another validator's rule."""
    for family, tail in FIX_OURS_BY_FAMILY.items():
        if finding.rule.startswith(family) and finding.rule not in RULES:
            return f"{finding.fix} {tail}".strip()
    return finding.fix


def who_made(path: Path) -> tuple[bool, str]:
    """Whether packgen made the file, and the program the file names as its maker ("" when none)."""
    name = maker(path)
    return made_by_packgen(path, name), name


def advise(findings: list[Finding], makers: Mapping[str, tuple[bool, str]]) -> list[Finding]:
    """Each finding with the fix for its file's maker; ``makers`` maps a report label to who_made its file."""
    advised = []
    for finding in findings:
        made = makers.get(finding.file)
        if made is None or not finding.fix:
            advised.append(finding)
            continue
        ours, program = made
        advised.append(replace(finding, fix=fix_ours(finding) if ours else fix_elsewhere(finding, program)))
    return advised
