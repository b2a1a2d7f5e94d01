"""veraPDF, the reference PDF/UA validator, as the tests run it: one Java process for many files.

`make test` fetches the pinned release (tests/validators/pom.xml) into tests/validators/lib when Java
and Maven are installed; without them the tests that need it are skipped locally and fail in CI.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT, missing

LIB = ROOT / "tests" / "validators" / "lib"
MAIN = "org.verapdf.apps.GreenfieldCliWrapper"
PROFILES = {"ua1": "PDF/UA-1 validation profile"}


@dataclass(frozen=True)
class Report:
    profile: str
    compliant: bool
    passed_rules: int
    failed_rules: int
    failures: tuple[str, ...]  # "clause-test: description" of each failed rule


def validate(paths: list[Path], flavour: str) -> dict[Path, Report]:
    """Each file's report under one of veraPDF's built-in profiles."""
    java = shutil.which("java")
    if java is None or not any(LIB.glob("greenfield-apps-*.jar")):
        missing("veraPDF is not installed: install Java 17 and Maven, then `make test` fetches it")
    result = subprocess.run([java, "-cp", f"{LIB}/*", MAIN, "--flavour", flavour, "--format", "json",
                             *map(str, paths)], capture_output=True, text=True, timeout=600)
    jobs = json.loads(result.stdout)["report"]["jobs"]
    reports = {}
    for job in jobs:
        results = job["validationResult"]
        outcome = results[0] if isinstance(results, list) else results
        details = outcome["details"]
        failures = tuple(f"{rule['clause']}-{rule['testNumber']}: {rule['description']}"
                         for rule in details.get("ruleSummaries", []) if rule.get("ruleStatus") == "FAILED")
        reports[Path(job["itemDetails"]["name"])] = Report(outcome["profileName"], outcome["compliant"],
                                                           details["passedRules"], details["failedRules"], failures)
    assert set(reports) == set(paths), result.stderr[-2000:]
    return reports


def assert_compliant(reports: dict[Path, Report], flavour: str) -> None:
    """Every file checked under the profile asked for, with rules run and none failed."""
    for path, report in reports.items():
        assert report.profile == PROFILES[flavour], (path, report.profile)
        assert report.passed_rules > 0, (path, "no rules ran")
        assert report.failed_rules == 0 and report.compliant, (path, report.failures)
