"""The two clients that judge an e-book as the publishing world does: the W3C's epubcheck (pinned in
tests/validators/pom.xml, fetched by `make test`) and Ace by DAISY (tests/js, run with Debian's Chromium).
Without them the tests that need them are skipped locally and fail in CI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from conftest import ROOT, missing

LIB = ROOT / "tests" / "validators" / "lib"
RUNNER = ROOT / "tests" / "validators" / "EpubcheckAll.java"
ACE = ROOT / "tests" / "js" / "node_modules" / ".bin" / "ace-cli"
CHROMIUM = os.environ.get("PACKGEN_CHROMIUM", "/usr/bin/chromium")


def _epubcheck_classpath() -> str:
    """epubcheck's jar and the libraries its manifest names (veraPDF's, in the same folder, are left out:
    their older XML libraries would change how epubcheck runs)."""
    jars = sorted(LIB.glob("epubcheck-*.jar"))
    if shutil.which("java") is None or not jars:
        missing("epubcheck is not installed: install Java 17 and Maven, then `make test` fetches it")
    with zipfile.ZipFile(jars[-1]) as jar:
        manifest = jar.read("META-INF/MANIFEST.MF").decode("utf-8").replace("\r\n ", "").replace("\n ", "")
    line = next(line for line in manifest.splitlines() if line.startswith("Class-Path:"))
    return os.pathsep.join([str(jars[-1]), *(str(LIB / Path(name).name) for name in line.split()[1:])])


def epubcheck(books: list[Path]) -> dict[Path, list[str]]:
    """Each book's messages from epubcheck (fatal errors, errors, warnings), in one Java process."""
    run = subprocess.run(["java", "-cp", _epubcheck_classpath(), str(RUNNER), *map(str, books)],
                         capture_output=True, text=True, timeout=900)
    found: dict[Path, list[str]] = {}
    lines: list[str] = []
    for line in (run.stdout + "\n" + run.stderr).splitlines():
        if line.startswith("EPUBCHECK-RESULT "):
            _, code, book = line.split(" ", 2)
            found[Path(book)] = lines + ([] if code == "0" else [f"epubcheck exit {code}"])
            lines = []
        elif line.startswith(("FATAL", "ERROR", "WARNING")):
            lines.append(line)
    assert set(found) == set(books), run.stderr[-2000:]
    return found


def ace(book: Path) -> list[str]:
    """Ace by DAISY's violations in `book`, one line each: rule, impact and where."""
    if not ACE.exists() or not Path(CHROMIUM).exists():
        missing("Ace by DAISY is not installed: `make test` installs it from tests/js (with Chromium)")
    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run([str(ACE), "--silent", "--outdir", out, str(book)], capture_output=True, text=True,
                             timeout=600, env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM})
        report_file = Path(out) / "report.json"
        assert report_file.exists(), run.stderr[-2000:]
        report = json.loads(report_file.read_text("utf-8"))
    return [f"{check['earl:test']['dct:title']} ({check['earl:test']['earl:impact']}): "
            f"{check['earl:result'].get('dct:description', '')}"
            for group in report["assertions"] for check in group["assertions"]]
