"""veraPDF inside `packgen check`: its PDF/UA-1 findings in the same report, named by clause, one Java
process for every PDF, one info line when it is not here, and `--no-verapdf` to skip it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest
from verapdf import use_pinned_verapdf

from packgen.check import check_paths, verapdf
from packgen.check.cli import main
from packgen.check.findings import Finding

pytestmark = pytest.mark.slow


def without_language(good: Path, out: Path) -> Path:
    with pikepdf.open(good) as pdf:
        del pdf.Root["/Lang"]
        pdf.save(out)
    return out


def by_rule(findings: list[Finding], prefix: str) -> list[Finding]:
    return [f for f in findings if f.rule.startswith(prefix)]


def test_verapdf_findings_are_folded_in_named_by_clause(built_pack: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    use_pinned_verapdf(monkeypatch)
    good = built_pack / "standard" / "charter.pdf"
    bad = without_language(good, tmp_path / "no-language.pdf")
    calls: list[list[str]] = []
    real_run = subprocess.run

    def counted(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        calls.append(cmd)
        return real_run(cmd, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(verapdf.subprocess, "run", counted)
    found = check_paths([good, bad], axe=False)
    assert len(calls) == 1 and "ua1" in calls[0]  # one Java process, the PDF/UA-1 profile, both files
    assert not [f for f in found if f.file == str(good) and f.severity != "info"]
    text = [f for f in by_rule(found, "verapdf-7.2-34") if f.file == str(bad)]
    assert len(text) == 1 and text[0].severity == "error"
    assert text[0].message.startswith("veraPDF 7.2-34 (ISO 14289-1 7.2): Natural language for text in page "
                                      "content shall be determined")
    assert text[0].where.startswith("pages 1, 2") and "language" in text[0].fix
    assert "pdf-lang" in {f.rule for f in found}  # packgen's own rule still speaks, in the same report


def test_without_verapdf_one_info_line_says_how_to_get_it(built_pack: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(verapdf.ENVIRONMENT, str(tmp_path / "no-verapdf-here"))
    found = check_paths([built_pack / "standard" / "charter.pdf", built_pack / "standard" / "pack.pdf"], axe=False)
    [line] = by_rule(found, "verapdf")
    assert (line.severity, line.rule) == ("info", "verapdf-unavailable")
    assert "packgen's own rules only" in line.message and "no-verapdf-here" in line.message
    assert "verapdf" in line.fix and verapdf.ENVIRONMENT in line.fix


def test_no_verapdf_flag_skips_it(built_pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    use_pinned_verapdf(monkeypatch)
    bad = without_language(built_pack / "standard" / "charter.pdf", tmp_path / "no-language.pdf")
    assert main([str(bad), "--no-axe", "--no-verapdf"]) == 1
    skipped = capsys.readouterr().out
    assert "pdf-lang" in skipped and ": verapdf-" not in skipped and "veraPDF" not in skipped
    assert main([str(bad), "--no-axe"]) == 1
    assert "error: verapdf-7.2-34: " in capsys.readouterr().out


def test_a_pdf_verapdf_cannot_read_is_named(built_pack: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # A broken header: qpdf (and so packgen's own rules) repairs it; veraPDF finds no cross-reference table.
    use_pinned_verapdf(monkeypatch)
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes((built_pack / "standard" / "charter.pdf").read_bytes().replace(b"%PDF-1.", b"%PDX-1.", 1))
    found = check_paths([damaged], axe=False)
    assert "pdf-damaged" in {f.rule for f in found}
    [failure] = by_rule(found, "verapdf-error")
    assert failure.severity == "error" and "veraPDF could not check the file" in failure.message


def test_an_unreadable_pdf_is_not_given_to_verapdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_pinned_verapdf(monkeypatch)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    found = check_paths([empty], axe=False)
    assert [f.rule for f in found] == ["pdf-parse"]


def test_each_pdf_veraPDF_cannot_check_within_the_memory_bound_is_one_error_naming_it(
        built_pack: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # Java's heap is held to --memory: 8 MB is enough for packgen's own reading of the PDFs, and far too
    # little for veraPDF on any of them (it needs some 14 MB for the short appendix). Each is named on
    # its own line: one that does not fit does not stop veraPDF from trying the next.
    use_pinned_verapdf(monkeypatch)
    charter, appendix = built_pack / "standard" / "charter.pdf", built_pack / "standard" / "appendix-a.pdf"
    assert main([str(charter), str(appendix), "--no-axe", "--no-ace", "--memory", "8"]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "verapdf-unavailable" not in out
    stopped = [line for line in out.splitlines() if line.startswith("error:")]
    assert [line.split(": whole file: ")[0] for line in stopped] == [
        f"error: format-stopped: {pdf}" for pdf in (charter, appendix)]
    for line in stopped:
        assert "veraPDF needed more than 8 MB of memory to check it, so it was stopped" in line
        assert "--memory" in line  # the fix says how to check a large file one trusts


def test_a_pdf_veraPDF_reported_on_before_it_ran_out_of_memory_is_not_checked_again(
        built_pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # Java stops on the second of three PDFs, as it does when the heap is full: its JSON report holds the
    # first PDF's job in full and is cut off there (as veraPDF 1.28 leaves it). Which PDF needs more
    # than the bound differs between machines, so the stop is played here, on the PDF named too-big.pdf:
    # the first PDF keeps its report and is not checked again; the one that stopped Java is checked on
    # its own; the third with the rest
    use_pinned_verapdf(monkeypatch)
    first = built_pack / "standard" / "appendix-a.pdf"
    too_big = tmp_path / "too-big.pdf"
    too_big.write_bytes((built_pack / "standard" / "appendix-c.pdf").read_bytes())
    last = built_pack / "standard" / "appendix-d.pdf"
    checked: list[list[str]] = []
    real_run = subprocess.run

    def stopping(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        pdfs = [part for part in cmd if part.endswith(".pdf")]
        checked.append([Path(pdf).name for pdf in pdfs])
        if str(too_big) not in pdfs:
            return real_run(cmd, **kwargs)  # type: ignore[call-overload]
        before = pdfs[:pdfs.index(str(too_big))]
        stop = "Terminating due to java.lang.OutOfMemoryError: Java heap space\n"
        if not before:
            return subprocess.CompletedProcess(cmd, 3, stop, "")
        done = real_run([part for part in cmd if part not in pdfs[len(before):]], **kwargs)  # type: ignore[call-overload]
        return subprocess.CompletedProcess(cmd, 3, done.stdout[:done.stdout.index('],"batchSummary"')] + stop, "")

    monkeypatch.setattr(verapdf.subprocess, "run", stopping)
    assert main([str(first), str(too_big), str(last), "--no-axe", "--no-ace", "--memory", "64"]) == 1
    out, err = capsys.readouterr()
    assert checked == [["appendix-a.pdf", "too-big.pdf", "appendix-d.pdf"], ["too-big.pdf"], ["appendix-d.pdf"]]
    assert [line.split(": whole file: ")[0] for line in out.splitlines() if line.startswith("error:")] == [
        f"error: format-stopped: {too_big}"], out + err
    assert "veraPDF needed more than 64 MB of memory to check it, so it was stopped" in out


def test_with_the_default_memory_bound_veraPDF_checks_the_shipped_pdfs(
        built_pack: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    use_pinned_verapdf(monkeypatch)
    options: list[str] = []
    real_run = subprocess.run

    def bounded(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        options.append(str((kwargs.get("env") or {}).get("JAVA_TOOL_OPTIONS")))  # type: ignore[union-attr]
        return real_run(cmd, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(verapdf.subprocess, "run", bounded)
    pdfs = [built_pack / "standard" / "charter.pdf", built_pack / "standard" / "appendix-a.pdf"]
    assert main([*map(str, pdfs), "--no-axe", "--no-ace", "--format", "json"]) == 0
    assert len(options) == 1 and "-Xmx1024m" in options[0]
    assert "verapdf" not in capsys.readouterr().out  # veraPDF ran on both, and found nothing
