"""One finding: what is wrong, where, and how a comms editor fixes it.

Every checker (DOCX, PDF, HTML, easy read, axe-core) returns these, so the report, the exit status
and the JSON output never need to know which checker spoke.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    """One problem in one file. ``where`` names a page, paragraph or element so a person can find it."""

    severity: Severity
    rule: str
    file: str
    where: str
    message: str
    fix: str

    def to_json(self) -> dict:
        return asdict(self)


def error(rule: str, file: str, where: str, message: str, fix: str) -> Finding:
    return Finding("error", rule, file, where, message, fix)


def warning(rule: str, file: str, where: str, message: str, fix: str) -> Finding:
    return Finding("warning", rule, file, where, message, fix)


def info(rule: str, file: str, where: str, message: str, fix: str = "") -> Finding:
    return Finding("info", rule, file, where, message, fix)


STOPPED = "format-stopped"


def stopped_reading(file: str, problem: str) -> Finding:
    """The finding for a file whose reading was stopped (too big, too slow, or it crashed the reader),
    by packgen's own sandbox or by a validator's bound."""
    return error(STOPPED, file, "whole file", f"The checker could not finish reading this file ({problem}).",
                 "If the file is one you trust and it is very large, check it again with a larger "
                 "--memory or --timeout; otherwise ask for it to be saved or exported again.")


def has_errors(findings: list[Finding]) -> bool:
    """Errors decide the exit status; warnings and info lines never fail a build."""
    return any(f.severity == "error" for f in findings)
