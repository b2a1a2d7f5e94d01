"""Load and validate a whole `sources/` folder into a Pack, or fail with one SourceError.

Everything a template may use is here, already checked: metadata, each document's front matter
and sections (standard and easy-read), shared passages, pictures named in the Markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import MutableMapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from packgen import pictures
from packgen.errors import SourceError
from packgen.named_files import unreadable, within
from packgen.sources import yamlio
from packgen.sources.brand import Brand, load_brand
from packgen.sources.checks import check_markdown
from packgen.sources.origins import Origins
from packgen.sources.schema import FrontMatter, PackMeta, load_checked
from packgen.sources.sections import Section, split_front_matter, split_sections

PACK_FILE = "pack.yaml"


@dataclass(frozen=True)
class SourceDocument:
    id: str
    file: Path
    front: FrontMatter
    sections: tuple[Section, ...]
    template: str  # pack.yaml's own `template:`; "" lets the renderer choose (templating.py)
    kind: str = "main"  # summary, main, appendix or form (pack.yaml)
    label: str = ""  # an appendix's letter: its front matter's label, else A, B, C... in pack order

    def section(self, sid: str) -> Section | None:
        return next((s for s in self.sections if s.id == sid), None)


@dataclass(frozen=True)
class Pack:
    root: Path
    meta: PackMeta
    documents: dict[str, SourceDocument]
    shared: tuple[Section, ...]
    pictures_dir: Path
    files: tuple[Path, ...] = field(default=())  # every source file read, for rebuild decisions
    brand: Brand | None = None  # brand.yml (or _brand.yml) beside pack.yaml
    origins: Origins = Origins()  # the file and line of every value pack.yaml and the front matter hold

    @property
    def pack_file(self) -> Path:
        return self.root / PACK_FILE

    def of_kind(self, kind: str) -> tuple[SourceDocument, ...]:
        """The pack's documents of one kind, in pack.yaml's order."""
        return tuple(doc for doc in self.documents.values() if doc.kind == kind)

    def pick(self, ids: tuple[str, ...] | None) -> tuple[str, ...]:
        """The documents asked for (None: all of them) in the order asked; an id the pack does not list
        is an error naming the pack's own ids."""
        if ids is None:
            return tuple(self.documents)
        unknown = [doc_id for doc_id in ids if doc_id not in self.documents]
        if unknown or not ids:
            raise SourceError(f"the pack has no document '{unknown[0] if unknown else ''}' (its documents: "
                              f"{', '.join(self.documents)})", self.pack_file)
        return tuple(dict.fromkeys(ids))

    def locate(self, text: str, document: str | None = None, char: str = "") -> tuple[Path | None, int | None]:
        """Where in the sources some rendered words came from (for warnings about them): in `document`'s
        own source first, when the words are of one document, as other documents may share them. The
        words are looked for across a block's lines, as a paragraph may be wrapped in its file, and in
        its text as read (an entity such as &amp; is the character it names). The words may be a value
        of pack.yaml or the front matter that a template printed (a title): a value printed whole is
        found first, and one printed among other words last, by `char`, the character to blame."""
        value = " ".join(text.split())
        printed = next((o for o in self.origins.entries if o.text == value), None)
        if printed:
            return printed.file, printed.line
        words = _words(text)[:6]
        if not words:
            return None, None
        documents = sorted(self.documents.values(), key=lambda doc: doc.id != document)
        sections = [s for doc in documents for s in doc.sections] + list(self.shared)
        for section in sections:
            if _find(_words(section.heading), words) is not None:
                return section.file, section.line
            for block, first in ((section.easy_read, section.easy_read_line), (section.body, section.body_line)):
                line = _line_of(words, block or "", first)
                if line is not None:
                    return section.file, line
        origin = next((o for o in self.origins.entries if char and char in o.text and not o.markdown
                       and o.text in value), None)
        return (origin.file, origin.line) if origin else (None, None)

    def written(self, markdown: re.Pattern[str], document: str, easy_read: bool) -> tuple[Path, int] | None:
        """The file and line of the first source line that writes `markdown` (a link's address, which
        `locate`'s words leave out): in `document`'s own source first, in the text of the variant
        (`easy_read`: the easy-read blocks) first."""
        documents = sorted(self.documents.values(), key=lambda doc: doc.id != document)
        sections = [s for doc in documents for s in doc.sections] + list(self.shared)
        texts = [(s.easy_read, s.easy_read_line, s.file) for s in sections] if easy_read else []
        texts += [(s.body, s.body_line, s.file) for s in sections]
        for text, first, file in texts:
            for n, line in enumerate((text or "").split("\n")):
                if markdown.search(line):
                    return file, first + n
        return None


def line_of_words(text: str, markdown: str, first_line: int) -> int | None:
    """The line of `markdown` (whose first line is `first_line`) where the words of `text` start, looked
    for across its lines, as a paragraph may be wrapped; None when it does not hold them."""
    words = _words(text)[:6]
    return _line_of(words, markdown, first_line) if words else None


def _line_of(words: list[str], markdown: str, first_line: int) -> int | None:
    found, at = [], []
    for n, line in enumerate(markdown.split("\n")):
        line_words = _words(line)
        found += line_words
        at += [n] * len(line_words)
    start = _find(found, words)
    return first_line + at[start] if start is not None else None


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", html.unescape(text).lower())


def _find(haystack: list[str], needle: list[str]) -> int | None:
    """Where `needle` starts in `haystack`, or None."""
    n = len(needle)
    return next((i for i in range(len(haystack) - n + 1) if haystack[i:i + n] == needle), None)


def load_pack(root: Path, parsed: Parsed | None = None) -> Pack:
    """Read `root/pack.yaml` and everything it names; raise SourceError at the first problem.

    `parsed` (kept by a resident process, `packgen preview`) holds each document as last read: a
    document whose file and pictures folder are unchanged since is taken from it, not read again."""
    root = Path(root)
    pack_path = root / PACK_FILE
    if not root.is_dir():
        raise SourceError("this is a file, not a pack's folder: name the folder that holds pack.yaml"
                          if root.exists() else "the sources folder does not exist", root)
    meta, lines = load_checked(PackMeta, yamlio.read_text(pack_path), pack_path)
    pictures_dir = root / meta.pictures
    files: list[Path] = [pack_path]
    origins = Origins.of(meta, lines, pack_path)

    seen: dict[str, int] = {}
    for n, entry in enumerate(meta.documents):
        line = yamlio.line_of(lines, ("documents", n, "id"))
        if entry.id in seen:
            raise SourceError(f"the document '{entry.id}' is listed twice", pack_path, line)
        seen[entry.id] = n

    documents: dict[str, SourceDocument] = {}
    appendices = 0
    for n, entry in enumerate(meta.documents):
        path = root / entry.source
        if not within(path, root):
            raise SourceError(f"the document '{entry.id}' must be a file inside the sources folder, not "
                              f"'{entry.source}'", pack_path, yamlio.line_of(lines, ("documents", n, "source")))
        problem = unreadable(path)
        if problem:
            raise SourceError(f"the document '{entry.id}' names the file '{entry.source}', which {problem}",
                              pack_path, yamlio.line_of(lines, ("documents", n, "source")))
        document, found = _load_kept(parsed, entry.id, path, entry.template, pictures_dir)
        origins += found
        if entry.kind == "appendix":
            appendices += 1
        label = (document.front.label or appendix_letter(appendices)) if entry.kind == "appendix" else ""
        documents[entry.id] = replace(document, kind=entry.kind, label=label)
        files.append(path)

    shared: tuple[Section, ...] = ()
    if meta.shared:
        shared_path = root / meta.shared
        if not within(shared_path, root):
            raise SourceError(f"shared: must name a file inside the sources folder, not '{meta.shared}'", pack_path,
                              lines.get(("shared",)))
        problem = unreadable(shared_path)
        if problem:
            raise SourceError(f"shared: names '{meta.shared}', which {problem}", pack_path, lines.get(("shared",)))
        text = yamlio.read_text(shared_path)
        shared = tuple(split_sections(text, 1, shared_path))
        for section in shared:
            _check_section(section, pictures_dir)
        files.append(shared_path)
    brand = load_brand(root)
    if brand is not None:
        files.extend(brand.files)
    return Pack(root=root, meta=meta, documents=documents, shared=shared, pictures_dir=pictures_dir,
                files=tuple(files), brand=brand, origins=origins)


def appendix_letter(n: int) -> str:
    """The nth appendix's letter: A to Z, then AA, AB... as spreadsheet columns are named."""
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


Parsed = MutableMapping[Path, tuple[tuple, "SourceDocument", Origins]]  # by file: (stamp, document, origins)


def _load_kept(parsed: Parsed | None, doc_id: str, path: Path, template: str, pictures_dir: Path
               ) -> tuple[SourceDocument, Origins]:
    """_load_document, or what `parsed` kept of it while the file and the pictures it may name are
    as they were (the pictures' check is part of reading a document)."""
    if parsed is None:
        return _load_document(doc_id, path, template, pictures_dir)
    stat = path.stat()
    stamp = (doc_id, template, stat.st_mtime_ns, stat.st_size, pictures_dir, _folder_stamp(pictures_dir))
    kept = parsed.get(path)
    if kept is not None and kept[0] == stamp:
        return kept[1], kept[2]
    document, found = _load_document(doc_id, path, template, pictures_dir)
    parsed[path] = (stamp, document, found)
    return document, found


def _folder_stamp(folder: Path) -> tuple:
    """Every file under `folder` by name, time and size: any picture added, changed or removed changes it."""
    if not folder.is_dir():
        return ()
    return tuple(sorted((str(p), *pictures.stamp(p)) for p in folder.rglob("*") if p.is_file()))


def _load_document(doc_id: str, path: Path, template: str, pictures_dir: Path) -> tuple[SourceDocument, Origins]:
    text = yamlio.read_text(path)
    if not text.strip():
        raise SourceError("the file is empty: a document needs front matter and text", path, 1)
    front_text, front_line, body, body_line = split_front_matter(text, path)
    front, lines = load_checked(FrontMatter, front_text, path, front_line)
    _check_unique_ids(front, lines, path)
    sections = tuple(split_sections(body, body_line, path))
    for section in sections:
        _check_section(section, pictures_dir)
    document = SourceDocument(id=doc_id, file=path, front=front, sections=sections, template=template)
    return document, Origins.of(front, lines, path)


def _check_unique_ids(front: FrontMatter, lines: yamlio.Lines, path: Path) -> None:
    for key in ("commitments", "fields"):
        seen: set[str] = set()
        for n, item in enumerate(getattr(front, key)):
            if item.id in seen:
                raise SourceError(f"two {key} have the id '{item.id}': each needs its own", path,
                                  yamlio.line_of(lines, (key, n, "id")))
            seen.add(item.id)


def _check_section(section: Section, pictures_dir: Path) -> None:
    """Check a section's texts as the build will parse them."""
    check_markdown(section.body, section.file, section.body_line, pictures_dir, top_level=2)
    if section.easy_read is None and not section.easy_read_omitted:
        name = f"'{section.heading}'" if section.heading else "before the first heading"
        raise SourceError(f"the section {name} has no easy-read version: add a '::: easy-read' block of "
                          "points, or mark the heading {#id easy-read=omit} to leave it out of easy read",
                          section.file, section.line)
    if section.easy_read is not None:
        check_markdown(section.easy_read, section.file, section.easy_read_line, pictures_dir, top_level=2)
