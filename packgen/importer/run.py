"""`packgen import FILE.docx --document ID`: write the document's Markdown source and its pictures
into the pack's folder, and (with `add`) list it in pack.yaml.

Nothing is written until everything has been read and checked, and no existing file is replaced
without `force`: a comms officer's own edits are never lost to a second import.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import docx
import yaml

from packgen.errors import SourceError
from packgen.importer.word import Imported, Note, convert, fallback_title, packgen_marks
from packgen.made_by import made_by_packgen
from packgen.named_files import NOTHING, not_a_file
from packgen.pack.files import make_folder, write_bytes_atomic
from packgen.sources.folder import PACK_FILE
from packgen.sources.schema import DocumentEntry, mistake


@dataclass
class ImportReport:
    source: Path
    sections: int
    pictures: list[Path] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    no_alt: list[int] = field(default_factory=list)  # Markdown lines of pictures Word gave no alt text
    added: bool = False
    title_block_left_out: bool = False  # packgen made the file: its title block and endings are not sources
    left_out: list[str] = field(default_factory=list)  # those endings' headings


def import_document(word_file: Path, sources: Path, doc_id: str, *, add: bool = False, force: bool = False,
                    kind: str = "main") -> ImportReport:
    """Import one Word document into the pack whose pack.yaml is in `sources`."""
    wrong = mistake(DocumentEntry, "id", doc_id)  # the rule pack.yaml's ids are checked by
    if wrong is not None:
        raise SourceError(f"--document {wrong}")
    pack_file = sources / PACK_FILE
    if not pack_file.is_file():
        raise SourceError(f"there is no {PACK_FILE} here to import into", sources)
    word = _open(word_file)
    from_packgen = made_by_packgen(word_file) or packgen_marks(word)
    imported = convert(word, doc_id, fallback_title(word_file), from_packgen)
    target = sources / f"{doc_id}.md"
    pictures_dir = sources / _pictures_folder(pack_file)
    pictures = {pictures_dir / p.name: p.data for p in imported.pictures}
    if not force:
        for path in (target, *pictures):
            if path.exists():
                raise SourceError("this file is already there: import with --force to replace it, or choose "
                                  "another --document name", path)
    pack_text = _added(pack_file, doc_id, target.name, kind) if add else None

    if pictures:
        make_folder(pictures_dir, "the pictures of the Word file are kept in the pack's pictures folder")
    # Each file is whole or not there (a full disk leaves no half of one); pack.yaml goes last, so it
    # never lists a document whose file is not written.
    for path, data in pictures.items():
        write_bytes_atomic(path, data)
    write_bytes_atomic(target, imported.markdown.encode("utf-8"))
    if pack_text is not None:
        write_bytes_atomic(pack_file, pack_text.encode("utf-8"))
    return _report(imported, target, list(pictures), pack_text is not None)


def _open(word_file: Path) -> docx.document.Document:
    there = not_a_file(word_file)
    if there == NOTHING:
        raise SourceError("this Word file does not exist", word_file)
    if there is not None:
        raise SourceError("this is a folder, a pipe or a device, not a Word file: name the .docx file", word_file)
    problem = _unsafe(word_file)
    if problem:
        raise SourceError(f"this is not a Word document packgen can read (.docx): {problem}", word_file)
    try:
        return docx.Document(str(word_file))
    except Exception as exc:  # noqa: BLE001 - a damaged file may trip anything in python-docx
        raise SourceError(f"this is not a Word document packgen can read (.docx): {' '.join(str(exc).split())}",
                          word_file) from None


def _unsafe(word_file: Path) -> str | None:
    """Why the file must not reach python-docx, or None: read as `packgen check` and `register` read
    files from anyone (packgen.safeio), as a file sent in may be damaged or made to do harm (a zip
    bomb, an XML part that expands a billion times over or nests without end)."""
    from packgen.safeio import SafeZip, UnsafeFile

    try:
        package = SafeZip(str(word_file))
        try:
            members = package.zip.namelist()
            twice = [name for name, count in Counter(members).items() if count > 1]
            if twice:
                return f"it holds two parts named {twice[0]}"
            for name in members:
                if name.endswith((".xml", ".rels")):
                    package.xml(name)
        finally:
            package.close()
    except UnsafeFile as exc:
        return str(exc)
    return None


def _pictures_folder(pack_file: Path) -> str:
    try:
        meta = yaml.safe_load(pack_file.read_text("utf-8")) or {}
    except yaml.YAMLError:
        meta = {}
    return str(meta.get("pictures") or "pictures") if isinstance(meta, dict) else "pictures"


def _added(pack_file: Path, doc_id: str, source: str, kind: str) -> str | None:
    """pack.yaml's text with the document added at the end of its documents list, its comments and
    layout kept; None when it is there already (naming the same file)."""
    text = pack_file.read_text("utf-8")
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SourceError("pack.yaml cannot be read, so the document cannot be added to it: fix it first",
                          pack_file, mark.line + 1 if mark else None) from None
    documents = next((v for k, v in getattr(root, "value", ()) if k.value == "documents"), None)
    if not isinstance(documents, yaml.SequenceNode) or not documents.value:
        raise SourceError("pack.yaml has no documents: list to add the document to", pack_file)
    for item in documents.value:
        fields = {k.value: v.value for k, v in getattr(item, "value", ()) if isinstance(v, yaml.ScalarNode)}
        if fields.get("id") == doc_id:
            if fields.get("source") == source:
                return None
            raise SourceError(f"pack.yaml already has a document '{doc_id}' (from {fields.get('source')}): "
                              "choose another --document name", pack_file, item.start_mark.line + 1)
    lines = text.split("\n")
    first, last = documents.value[0], documents.value[-1]
    indent = lines[first.start_mark.line][:first.start_mark.column]
    end = last.end_mark.line + (1 if last.end_mark.column else 0)
    dash = indent if indent.rstrip().endswith("-") else "- "
    entry = f"{dash}{{id: {doc_id}, source: {source}, kind: {kind}}}"
    lines.insert(end, entry)
    return "\n".join(lines)


def _report(imported: Imported, target: Path, pictures: list[Path], added: bool) -> ImportReport:
    return ImportReport(source=target, sections=imported.sections, pictures=pictures, notes=imported.notes,
                        no_alt=[p.line for p in imported.pictures if not p.alt], added=added,
                        title_block_left_out=imported.title_block_left_out, left_out=imported.left_out)
