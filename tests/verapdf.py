"""veraPDF, the reference PDF/UA validator, as the tests run it: packgen's own runner, pointed at the
pinned release.

`make test` fetches the pinned release (tests/validators/pom.xml) into tests/validators/lib when Java
and Maven are installed; without them the tests that need it are skipped locally and fail in CI.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from packgen.check import verapdf
from packgen.check.verapdf import Report

from conftest import ROOT, missing

LIB = ROOT / "tests" / "validators" / "lib"
PROFILES = {"ua1": "PDF/UA-1 validation profile", "wcag": "WCAG 2.2 machine validation profile"}
# veraPDF 1.28 has no WCAG flavour built in: its WCAG 2.2 profile is a file (see its opening comment).
PROFILE_FILES = {"wcag": ROOT / "tests" / "validators" / "WCAG-2-2-Machine.xml"}


def use_pinned_verapdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """packgen finds the pinned release as a user's machine would find theirs, through PACKGEN_VERAPDF."""
    if shutil.which("java") is None or not any(LIB.glob(verapdf.JARS)):
        missing("veraPDF is not installed: install Java 17 and Maven, then `make test` fetches it")
    monkeypatch.setenv(verapdf.ENVIRONMENT, str(LIB))


def validate(paths: list[Path], flavour: str) -> dict[Path, Report]:
    """Each file's report under one of veraPDF's built-in profiles, one Java process for them all."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        use_pinned_verapdf(monkeypatch)
        reports = verapdf.validate(paths, PROFILE_FILES.get(flavour, flavour))
    assert set(reports) == set(paths)
    assert not [(p, r.problem) for p, r in reports.items() if r.problem]
    return reports


def assert_compliant(reports: dict[Path, Report], flavour: str) -> None:
    """Every file checked under the profile asked for, with rules run and none failed."""
    for path, report in reports.items():
        assert report.profile == PROFILES[flavour], (path, report.profile)
        assert report.passed_rules > 0, (path, "no rules ran")
        assert report.failed_rules == 0 and report.compliant, (path, [str(f) for f in report.failures])


def failed(report: Report) -> set[str]:
    """The ids ("clause-test") of the rules a file failed."""
    return {failure.id for failure in report.failures}
