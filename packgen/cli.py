"""The `packgen` command. Errors a user can fix are one line and exit status 1, never a traceback."""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from packgen import __version__, helptext, writers
from packgen.errors import PackgenError, one_line
from packgen.forms import REGISTER_MEMORY_MB, REGISTER_SECONDS
from packgen.importer import IMPORT_KINDS
from packgen.pack import MEMORY_MB
from packgen.sources.names import VARIANTS
from packgen.stops import stop_as_on_ctrl_c


def _csv_choice(allowed: Sequence[str], what: str):
    def parse(value: str) -> tuple[str, ...]:
        items = tuple(v.strip() for v in value.split(",") if v.strip())
        bad = [v for v in items if v not in allowed]
        if bad or not items:
            raise argparse.ArgumentTypeError(
                f"unknown {what} '{bad[0] if bad else value}' (choose from: {', '.join(allowed)})")
        return items

    return parse


def _csv_list(value: str) -> tuple[str, ...]:
    """A comma-separated list of names; which names are allowed is known once the pack is read."""
    items = tuple(v.strip() for v in value.split(",") if v.strip())
    if not items:
        raise argparse.ArgumentTypeError(f"'{value}' names nothing")
    return items


class _Joined(argparse.Action):
    """A list option given more than once means all it was given: `--format pdf --format docx` is
    `--format pdf,docx`, not the last one alone."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        before = getattr(namespace, self.dest)
        given = () if before is self.default else before
        setattr(namespace, self.dest, tuple(dict.fromkeys((*given, *values))))


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number of 1 or more")
    return number


def _port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise argparse.ArgumentTypeError(f"'{value}' is not a port number (1 to 65535)")
    return int(value)


def _pack_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--pack", type=Path, metavar="FOLDER",
                         help="the pack's folder, holding pack.yaml (default: this folder, or sources/ in it)")
    command.add_argument("--sources", type=Path, metavar="FOLDER",
                         help="the content folder, holding pack.yaml (the same as --pack)")
    command.add_argument("--templates", type=Path, metavar="FOLDER",
                         help="the pack's own templates folder, used before packgen's own (default: the pack's "
                              "templates/, or the templates/ beside it)")


def _command(sub: argparse._SubParsersAction, name: str, summary: str, description: str,
             examples: Sequence[tuple[str, str]]) -> argparse.ArgumentParser:
    """A subcommand whose --help ends with examples (packgen.helptext)."""
    return sub.add_parser(name, help=summary, description=helptext.description(description),
                          epilog=helptext.examples(examples), formatter_class=argparse.RawDescriptionHelpFormatter)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="packgen",
        description=helptext.description("Make accessible document packs (web pages, PDF and Word files, "
                                         "e-books and braille, in standard, easy-read and large-print "
                                         "versions) from one set of Markdown files."),
        epilog=helptext.examples([
            ('packgen new riverside --organisation "Riverside Trust"', "start a pack of your own"),
            ("packgen build", "build the pack in this folder"),
            ("packgen check build", "look for accessibility problems")])
        + "\nEach command explains itself: packgen build --help",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"packgen {__version__}")
    p.add_argument("--debug", action="store_true",
                   help="on an error, show everything Python knows about it (for reporting a bug)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    formats = ", ".join(writers.names())
    versions = ", ".join(variant.replace("-", " ") for variant in VARIANTS)
    b = _command(sub, "build", "build the pack (or part of it) into the output folder",
                 f"Make every document of the pack, in each version ({versions}) and each format "
                 f"({', '.join(writers.defaults())}, and those pack.yaml's formats lists), into the output "
                 "folder. Files whose sources have not changed are kept as "
                 "they are, so a build after one edit is quick.",
                 [("packgen build", "build the pack in this folder into build/"),
                  ("packgen build --document charter", "only the charter, in every version and format"),
                  ("packgen build --format pdf --strict", "only the PDFs, stopping at the first warning")])
    _pack_options(b)
    b.add_argument("--out", type=Path, default=Path("build"), metavar="FOLDER",
                   help="where the files go (default: build)")
    b.add_argument("--document", action=_Joined, type=_csv_list, default=None, metavar="NAMES",
                   help="only these documents, comma-separated, by the names (ids) pack.yaml gives them")
    b.add_argument("--variant", action=_Joined, type=_csv_choice(VARIANTS, "version"), default=VARIANTS,
                   metavar="VERSIONS",
                   help=f"only these versions of each document, comma-separated: {', '.join(VARIANTS)}")
    b.add_argument("--format", action=_Joined, type=_csv_choice(writers.names(), "format"), default=None,
                   metavar="FORMATS",
                   help=f"only these formats, comma-separated: {formats} (default: "
                        f"{', '.join(writers.defaults())} and those pack.yaml's formats lists)")
    b.add_argument("--force", action="store_true", help="write every file again, even those that are up to date")
    b.add_argument("--strict", action="store_true",
                   help="stop the build at any warning (such as an easy-read sentence that is too long), "
                        "instead of building anyway")
    b.add_argument("--jobs", "-j", type=_positive, default=None, metavar="N",
                   help="how many files to write at the same time (default: one for each processor core, at "
                        "most 4, as many as --memory allows); 1 writes them one after another, using the least "
                        "memory")
    b.add_argument("--memory", type=_positive, default=MEMORY_MB, metavar="MEGABYTES",
                   help="the most memory writing files at the same time may take, in megabytes (default: "
                        f"{MEMORY_MB}): fewer files are then written at once, and a very long document on its "
                        "own, more slowly")
    b.add_argument("--quiet", "-q", action="store_true", help="print only the last line, saying what was built")

    chk = sub.add_parser("check", add_help=False,
                         help="check Word, PDF, web-page, e-book, braille and audio files for accessibility problems",
                         description="packgen check [PATH ...]: see `packgen check --help`.")
    chk.add_argument("check_args", nargs=argparse.REMAINDER)

    forms = writers.form_formats()
    frm = _command(sub, "forms", "make a pre-filled pledge form for every organisation in a spreadsheet",
                   "Make one pledge form for each row of a spreadsheet saved as CSV (in Excel: File, Save as, "
                   "CSV), with that organisation's details filled in. The first row names the columns: the "
                   "form's field names or their labels (for example organisation, email).",
                   [("packgen forms --organisations members.csv", "a PDF and a Word form per row, in forms/"),
                    ("packgen forms --organisations members.csv --format pdf --variant easy-read",
                     "easy-read PDF forms only")])
    frm.add_argument("--organisations", type=Path, required=True, metavar="FILE.csv",
                     help="the organisations, one a row (a spreadsheet saved as CSV)")
    frm.add_argument("--out", type=Path, default=Path("forms"), metavar="FOLDER",
                     help="where the forms go (default: forms)")
    frm.add_argument("--format", action=_Joined, type=_csv_choice(forms, "format"), default=forms, metavar="FORMATS",
                     help=f"{' or '.join(forms)}, comma-separated (default: {','.join(forms)})")
    _pack_options(frm)
    frm.add_argument("--document", metavar="NAME", help="which form, when the pack has more than one")
    frm.add_argument("--variant", type=_csv_choice(VARIANTS, "version"), default=("standard",),
                     metavar="VERSION", help=f"which version of the form: {' or '.join(VARIANTS)} "
                                             "(default: standard)")
    frm.add_argument("--progress", action="store_true", default=None,
                     help="show how far it has got even when not run in a terminal window (in a log, say)")

    reg = _command(sub, "register", "list the returned pledge forms in a folder, in a spreadsheet",
                   "Read every returned pledge form (PDF or Word) in a folder and list them in a spreadsheet "
                   "(a CSV file, which Excel opens): one row per file, with its answers, the commitments "
                   "ticked and whether it was signed.",
                   [("packgen register returned/", "write register.csv from the forms in returned/"),
                    ("packgen register returned/ --organisations members.csv",
                     "also list who has not returned a form")])
    reg.add_argument("folder", type=Path, metavar="FOLDER", help="the folder of returned forms")
    reg.add_argument("--out", type=Path, default=Path("register.csv"), metavar="FILE.csv",
                     help="the spreadsheet to write (default: register.csv)")
    reg.add_argument("--organisations", type=Path, metavar="FILE.csv",
                     help="who was asked: also list who has not returned a form, and who returned two")
    reg.add_argument("--trust", type=Path, metavar="FOLDER",
                     help="a folder of the certificate files (.pem, .crt or .cer, as your IT team gives them) "
                          "of the people whose digital signatures you trust")
    _pack_options(reg)
    reg.add_argument("--document", metavar="NAME", help="which form was returned, when the pack has more than one")
    helptext.bounds(reg, REGISTER_MEMORY_MB, REGISTER_SECONDS)

    new = _command(sub, "new", "start a new pack for your organisation, in a folder of its own",
                   "Write a small working pack (a summary, a charter, a glossary appendix, a pledge form and a "
                   "brand.yml with your organisation's name) into a new folder. Edit its files, then run "
                   "`packgen build` inside it.",
                   [('packgen new riverside --organisation "Riverside Trust"', "a new pack in riverside/"),
                    ('packgen new rct --organisation "Riverside Community Trust" --short-name RCT',
                     "with the short name readers know")])
    new.add_argument("folder", type=Path, metavar="FOLDER", help="the new pack's folder (it must not exist yet)")
    new.add_argument("--organisation", required=True, metavar="NAME",
                     help="your organisation's name, in quotes if it has spaces")
    new.add_argument("--short-name", default="", metavar="NAME",
                     help="the short name or initials readers know it by (default: the capitals of its name)")

    pre = _command(sub, "preview", "show the pack in your browser, updated each time you save a file",
                   "Build the pack's web pages and PDFs into a folder of its own (build/ is left alone) and "
                   "show them on a page in your browser, both versions of each document side by side, with "
                   "a picture of every PDF page. Each time you save a file of the pack, the changed "
                   "documents are built again and the page updates; a mistake shows at the top of the page. "
                   "Ctrl-C stops it.",
                   [("packgen preview", "preview the pack in this folder; open the address it prints"),
                    ("packgen preview --port 8000", "at http://127.0.0.1:8000/")])
    _pack_options(pre)
    pre.add_argument("--port", type=_port, default=0, metavar="PORT",
                     help="the port to serve on, on this computer only (default: a free one)")

    imp = _command(sub, "import", "turn a Word document into one of the pack's documents",
                   "Write a Word document (.docx) as a document of the pack: its headings, paragraphs, bold "
                   "and italic words, links, lists, tables and pictures, in a Markdown file beside pack.yaml, "
                   "and its pictures in the pictures folder. Each section is marked as a draft, with its "
                   "easy-read version still to write: the build reminds you of each until you write it. "
                   "packgen says what it could not bring over (comments, tracked changes, text boxes, "
                   "footnotes, SmartArt, equations) and where each was.",
                   [("packgen import report.docx --document annual-report --add",
                     "write annual-report.md and list it in pack.yaml"),
                    ("packgen import report.docx --document annual-report --force",
                     "import it again, replacing annual-report.md")])
    imp.add_argument("word_file", type=Path, metavar="FILE.docx", help="the Word document to import")
    imp.add_argument("--document", required=True, metavar="NAME",
                     help="the document's name (id) in the pack: lower-case letters, digits and hyphens; the "
                          "Markdown file is NAME.md")
    imp.add_argument("--add", action="store_true", help="also list the document in pack.yaml, at the end")
    imp.add_argument("--kind", choices=IMPORT_KINDS, default="main",
                     help="with --add, what kind of document it is (default: main)")
    imp.add_argument("--force", action="store_true",
                     help="replace the Markdown file and pictures of an earlier import (your edits to them are lost)")
    _pack_options(imp)

    pic = _command(sub, "pictures", "find OpenMoji pictograms to name in easy-read points",
                   "List the pictograms whose names hold all the given words. Give a name in an easy-read "
                   "point as its picture: ![what it shows](name).",
                   [("packgen pictures hand", "every pictogram with 'hand' in its name"),
                    ("packgen pictures hand shake", "those with both words")])
    pic.add_argument("words", nargs="+", help="words to look for, e.g. hand shake")
    return p


def run() -> None:
    """The `packgen` script. Told to stop (SIGTERM, as a job runner or `kill` does, or SIGHUP, as a
    terminal that closes does), it stops as on Ctrl-C: its workers finish the file each is writing or
    are stopped, and nothing is left half-written."""
    stop_as_on_ctrl_c()
    if not sys.warnoptions:  # `python -W ...` or PYTHONWARNINGS still shows them to a developer
        # A library's Python warning (a deprecation inside pyhanko's use of cryptography, say) speaks to
        # programmers: the user cannot act on it. packgen's own warnings are lines of its reports.
        # The variable carries the rule to workers started fresh (forkserver), which do not share filters.
        warnings.simplefilter("ignore")
        os.environ["PYTHONWARNINGS"] = "ignore"
    sys.exit(main())


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # packgen uses no pydantic plugins, and looking for them reads every installed package's
    # metadata the first time a model is made; a user who wants theirs can still set the variable.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if argv[:1] == ["check"]:  # the checker has its own options (and --help): hand them over whole
        from packgen.check.cli import main as check_main

        try:
            return check_main(argv[1:])
        except KeyboardInterrupt:  # Ctrl-C, SIGTERM or SIGHUP (see run): stopped, as every command says
            print("packgen: stopped", file=sys.stderr)
            return 130
    args = parser().parse_args(argv)
    if args.command is None:
        parser().print_help()
        return 2
    try:
        if args.command in ("build", "forms", "register", "preview", "import"):
            from packgen.sources.folder import locate

            args.sources, args.templates = locate(args.pack, args.sources, args.templates)
        if args.command == "build":
            return _build(args)
        if args.command == "pictures":
            return _pictures(args)
        if args.command == "preview":
            return _preview(args)
        if args.command == "new":
            return _new(args)
        if args.command == "forms":
            return _forms(args)
        if args.command == "register":
            return _register(args)
        if args.command == "import":
            return _import(args)
        if args.command == "check":
            from packgen.check.cli import main as check_main

            return check_main(args.check_args)  # reached after global options, e.g. --debug check
    except PackgenError as exc:
        if args.debug:
            raise
        print(f"packgen: error: {one_line(str(exc))}", file=sys.stderr)
        return 1
    except OSError as exc:
        # The disk said no (a file where a folder should be, no permission, disk full): say where, in one line.
        if args.debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"packgen: error: {one_line(f'{where}{exc.strerror or exc}')}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("packgen: stopped", file=sys.stderr)
        return 130
    return 2


def _build(args: argparse.Namespace) -> int:
    from packgen.pack.build import BuildOptions, build

    whole_pack = args.document is None and args.variant == VARIANTS and (
        args.format is None or set(writers.defaults()) <= set(args.format))
    options = BuildOptions(sources=args.sources, templates=args.templates, out=args.out,
                           documents=args.document, variants=args.variant, formats=args.format,
                           force=args.force, strict=args.strict, memory_mb=args.memory, assemble=whole_pack,
                           jobs=args.jobs)
    say = None if args.quiet else (lambda msg: print(msg, flush=True))
    report = build(options, progress=say)
    for warning in report.warnings if args.quiet else ():  # quiet hides progress, never a warning
        print(f"packgen: warning: {warning}", file=sys.stderr)
    warned = f", {len(report.warnings)} warning(s)" if report.warnings else ""
    print(f"packgen: built {len(report.built)} file(s), {len(report.unchanged)} up to date{warned}, "
          f"in {report.seconds:.2f}s -> {args.out}/", flush=True)
    return 0


def _preview(args: argparse.Namespace) -> int:
    from packgen.preview.command import preview

    return preview(args.sources, args.templates, args.port, lambda msg: print(msg, flush=True))


def _new(args: argparse.Namespace) -> int:
    from packgen.starter import new_pack

    files = new_pack(args.folder, args.organisation, args.short_name)
    print(f"packgen: wrote a new pack for {args.organisation.strip()} in {args.folder}/ "
          f"({', '.join(f.name for f in files)})\n"
          f"Next: cd {_as_typed(str(args.folder))} and run packgen build; open build/index.html to see the pack.",
          flush=True)
    return 0


def _as_typed(name: str) -> str:
    """A folder's name as it is typed after `cd` in a terminal: in double quotes when it holds a space
    or another character the shell reads (`cd Riverside Trust` would fail), and quoted as the shell
    needs it when it holds one a double quote does not keep ($, `, \\, " or !)."""
    import re
    import shlex

    if re.fullmatch(r"[\w@%+=:,./-]+", name):
        return name
    return f'"{name}"' if not re.search(r'[$`\\"!]', name) else shlex.quote(name)


def _forms(args: argparse.Namespace) -> int:
    from packgen.forms.make import FormsOptions, make_forms

    if len(args.variant) != 1:
        raise PackgenError("forms are made in one version at a time: "
                           + " or ".join(f"--variant {name}" for name in VARIANTS))
    options = FormsOptions(organisations=args.organisations, out=args.out, formats=args.format,
                           sources=args.sources, templates=args.templates, variant=args.variant[0],
                           document=args.document, progress=args.progress)
    report = make_forms(options)
    for warning in report.warnings:
        print(f"warning: {warning}", flush=True)
    print(f"packgen: made {len(report.files)} form(s) ({', '.join(args.format)}) for {report.organisations} "
          f"organisation(s) in {report.seconds:.2f}s -> {args.out}/", flush=True)
    return 0


def _register(args: argparse.Namespace) -> int:
    from packgen.forms.register import RegisterOptions, register

    if not args.folder.is_dir():
        raise PackgenError("the folder of returned forms does not exist", args.folder)
    options = RegisterOptions(folder=args.folder, out=args.out, organisations=args.organisations,
                              trust=args.trust, sources=args.sources, templates=args.templates,
                              document=args.document, timeout=args.timeout, memory_mb=args.memory)
    report = register(options)
    print(report.summary(), flush=True)
    return 0


def _import(args: argparse.Namespace) -> int:
    from packgen.importer.run import import_document

    report = import_document(args.word_file, args.sources, args.document, add=args.add, force=args.force,
                             kind=args.kind)
    pictures = f" and {len(report.pictures)} picture(s)" if report.pictures else ""
    added = ", and listed it in pack.yaml" if report.added else ""
    print(f"packgen: wrote {report.source} ({report.sections} section(s)){pictures}{added}", flush=True)
    added_parts = ["the title block"] * report.title_block_left_out + [f"'{h}'" for h in report.left_out]
    if added_parts:
        print(f"packgen: left out what packgen's templates add to the Word file (the build adds it again): "
              f"{', '.join(added_parts)}", flush=True)
    for line in report.no_alt:
        print(f"packgen: warning: {report.source}:{line}: this picture has no alt text in the Word file: write "
              "what it shows between the [ ]", file=sys.stderr)
    for note in report.notes:
        under = f", under '{note.heading}'" if note.heading else ""
        print(f"packgen: not carried over: {report.source}:{note.line} (Word paragraph {note.paragraph}{under}): "
              f"{note.what}", file=sys.stderr)
    print("Next: write each section's easy-read points where it says TODO (or mark its heading "
          "easy-read=omit), then run packgen build.", flush=True)
    return 0


def _pictures(args: argparse.Namespace) -> int:
    import unicodedata

    from packgen.pictures import openmoji_dir

    words = [w.upper() for w in args.words]
    found = 0
    try:
        for path in sorted(openmoji_dir().glob("*.svg")):
            try:
                chars = "".join(chr(int(part, 16)) for part in path.stem.split("-") if part != "FE0F")
                name = unicodedata.name(chars) if len(chars) == 1 else ""
            except (ValueError, TypeError):
                continue
            if name and all(w in name for w in words):
                print(name.lower().replace(" ", "-"), flush=True)
                found += 1
    except BrokenPipeError:
        # the reader (`| head`) has all it wanted: stop quietly, and let nothing flush into the closed pipe
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    if not found:
        asked = " and ".join(f"'{w}'" for w in args.words)
        print(f"packgen: no pictogram name contains {asked}", file=sys.stderr)
    return 0 if found else 1
