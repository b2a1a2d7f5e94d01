"""`packgen check [PATH ...]`: exit 0 when no errors, 1 when there are errors, 2 when it could not run.

Kept apart from packgen/cli.py so the checker can be run and tested on its own; packgen's main CLI
hands the `check` subcommand's arguments to main() here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from packgen import helptext
from packgen.check import MEMORY_MB, SECONDS, CheckUsageError, check_found, described_suffixes, find
from packgen.check.findings import has_errors
from packgen.check.report import render_json, render_text
from packgen.check.rules import rules_table
from packgen.sandbox import bounds_problem


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="packgen check",
        description=helptext.description(
            "Check Word, PDF, web-page, EPUB e-book, braille-ready (BRF) and audio files with their transcripts "
            "for accessibility problems (WCAG 2.2 AA, PDF/UA-1, EPUB Accessibility 1.1, GOV.UK guidance, easy "
            "read). Prints one line per problem with how to fix "
            "it. Exit status: 0 no errors, 1 errors found, 2 could not run. Each line names its rule; "
            "'packgen check --rules' lists every rule and what it checks."),
        epilog=helptext.examples([("packgen check", "check everything in build/"),
                                  ("packgen check build/standard/charter.pdf", "check one file"),
                                  ("packgen check --rules", "list every rule")]),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="*", default=["build"], metavar="PATH",
                   help="files or folders to check (folders are searched; default: build)")
    p.add_argument("--rules", action="store_true", help="list every rule and what it checks, then stop")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text for people to read, or json for other programs to read")
    p.add_argument("--no-axe", action="store_true",
                   help="skip axe-core, the automatic accessibility checker run in the Chromium web browser, "
                        "for web pages (faster)")
    p.add_argument("--no-verapdf", action="store_true",
                   help="skip veraPDF, the reference PDF/UA-1 validator, for PDFs (faster; it runs when Java and "
                        "veraPDF are installed: the `verapdf` program on PATH, or PACKGEN_VERAPDF naming the folder "
                        "of its jars)")
    p.add_argument("--no-ace", action="store_true",
                   help="skip Ace by DAISY, the publishing world's e-book accessibility checker, for EPUB files "
                        "(faster; it runs when Node.js, Chromium and Ace are installed: the `ace` program on PATH, "
                        "or PACKGEN_ACE naming it)")
    helptext.bounds(p, MEMORY_MB, SECONDS)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    if args.rules:
        sys.stdout.write(rules_table())
        return 0
    problem = bounds_problem(args.memory, args.timeout)
    if problem:
        print(f"packgen check: error: {problem}", file=sys.stderr)
        return 2
    try:
        found = find(args.paths)
        if not found.there:
            print(f"packgen check: error: no {described_suffixes()} files in {', '.join(args.paths)}",
                  file=sys.stderr)
            return 2
        findings = check_found(found, axe=False if args.no_axe else None,
                              verapdf=False if args.no_verapdf else None, ace=False if args.no_ace else None,
                              memory_mb=args.memory, seconds=args.timeout)
    except CheckUsageError as exc:
        print(f"packgen check: error: {exc}", file=sys.stderr)
        return 2
    render = render_json if args.format == "json" else render_text
    sys.stdout.write(render(findings, found.counted))
    return 1 if has_errors(findings) else 0


if __name__ == "__main__":
    sys.exit(main())
