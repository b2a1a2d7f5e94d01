"""The shipped content: sources/ and templates/ as the partnership will publish them.

These tests guard the editorial rules, not the code: every passage is written once, every section has
an easy-read version (or says plainly that it has none), easy-read sentences are short, the
organisation's published words are copied exactly, the pledge form offers every commitment in the
charter, and every document ends by saying how to ask for another format.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from packgen.markdown import parse
from packgen.model import FormBlock, walk
from packgen.pictures import resolve
from packgen.sources.loader import load_pack
from packgen.sources.sections import split_front_matter
from packgen.templating import Renderer

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources"
TEMPLATES = SOURCES / "templates"  # the pack's own; packgen's own are beneath them
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
VARIANTS = ("standard", "easy-read")
EASY_READ_LIMIT = 15  # words per sentence
REPEAT_MIN = 8  # a sentence this long, or longer, may appear in one place only

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+")


@pytest.fixture(scope="module")
def pack():
    return load_pack(SOURCES)


@pytest.fixture(scope="module")
def renderer(pack):
    return Renderer(pack, TEMPLATES)


@pytest.fixture(scope="module")
def rendered(pack, renderer):
    return {(d, v): renderer.render(d, v) for d in pack.documents for v in VARIANTS}


def all_sections(pack):
    for doc in pack.documents.values():
        yield from doc.sections
    yield from pack.shared


# -- reading Markdown source as prose -------------------------------------------------------------

def plain(markdown: str) -> str:
    """Markdown source as the words a reader reads: no pictures, link targets, markers or attributes."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", markdown)  # pictures (their alt text is not prose)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: keep the words
    text = re.sub(r"\{[^{}]*\}\s*$", "", text, flags=re.M)  # heading attributes
    text = re.sub(r"^\s*(#{1,6}|[-*+]|\d+[.)])\s+", "", text, flags=re.M)  # headings, list markers
    text = re.sub(r"^:::.*$", "", text, flags=re.M)
    text = text.replace("**", "").replace("__", "")
    return text


def pieces(markdown: str):
    """(text, line offset) for each paragraph, list item or table cell: the units sentences live in."""
    for n, raw in enumerate(markdown.split("\n")):
        if re.fullmatch(r"\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*", raw):
            continue  # a table's rule line
        cells = raw.strip().strip("|").split("|") if raw.lstrip().startswith("|") else [raw]
        for cell in cells:
            text = plain(cell).strip()
            if text:
                yield text, n


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if _WORD.search(s)]


def words(sentence: str) -> list[str]:
    return _WORD.findall(sentence)


def yaml_strings(value, path=()):
    if isinstance(value, str):
        yield ".".join(map(str, path)), value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from yaml_strings(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from yaml_strings(v, path + (i,))


def source_texts():
    """Every piece of prose in sources/: (place, text). Markdown bodies by line, front matter by key."""
    for path in sorted(SOURCES.glob("*.md")):
        text = path.read_text("utf-8")
        if text.startswith("---"):
            front, _, body, body_line = split_front_matter(text, path)
            for key, value in yaml_strings(yaml.safe_load(front) or {}):
                if key.split(".")[-1] not in ("id", "picture", "type", "group"):
                    yield f"{path.name} ({key})", value
        else:
            body, body_line = text, 1
        for piece, n in pieces(body):
            yield f"{path.name}:{body_line + n}", piece


# -- the tests ------------------------------------------------------------------------------------

def test_the_shipped_sources_load_and_render(pack, rendered):
    assert set(pack.documents) == {"executive-summary", "charter", "appendix-a", "appendix-b", "appendix-c",
                                   "appendix-d", "pledge-form"}
    for (doc_id, variant), markdown in rendered.items():
        blocks = parse(markdown, lambda n: resolve(n, pack.pictures_dir), f"{doc_id} ({variant})")
        assert blocks, f"{doc_id} ({variant}) is empty"


def test_no_sentence_of_eight_words_or_more_is_written_twice():
    places = defaultdict(list)
    for place, text in source_texts():
        for sentence in sentences(text):
            if len(words(sentence)) >= REPEAT_MIN:
                places[" ".join(w.lower() for w in words(sentence))].append(place)
    repeated = {s: p for s, p in places.items() if len(p) > 1}
    assert not repeated, "write each passage once (in shared.md if two documents need it):\n" + "\n".join(
        f"  {', '.join(p)}: {s}" for s, p in repeated.items())


def test_every_section_has_an_easy_read_version_or_says_it_has_none(pack):
    missing = [f"{s.file.name}:{s.line} ({s.id})" for s in all_sections(pack)
               if s.easy_read is None and not s.easy_read_omitted]
    assert not missing, "add a '::: easy-read' block, or {#id easy-read=omit}: " + ", ".join(missing)
    empty = [f"{s.file.name}:{s.easy_read_line}" for s in all_sections(pack)
             if s.easy_read is not None and not s.easy_read.strip()]
    assert not empty, "empty easy-read blocks: " + ", ".join(empty)


def easy_read_texts(pack):
    for s in all_sections(pack):
        if s.easy_read:
            for piece, n in pieces(s.easy_read):
                yield f"{s.file.name}:{s.easy_read_line + n}", piece
    for doc in pack.documents.values():
        for c in doc.front.commitments:
            yield f"{doc.file.name} (commitment {c.id})", c.easy_read
        for h in doc.front.hard_words:
            yield f"{doc.file.name} (hard word {h.word})", h.meaning


def test_every_easy_read_sentence_has_at_most_fifteen_words(pack):
    long = [f"{place}: {len(words(s))} words: {s}" for place, text in easy_read_texts(pack)
            for s in sentences(text) if len(words(s)) > EASY_READ_LIMIT]
    assert not long, "shorten these easy-read sentences:\n" + "\n".join(long)


def test_rendered_easy_read_points_have_at_most_fifteen_words(pack, rendered):
    """Template words count too (the cover line holds the title): every point but the contact details."""
    for doc_id in pack.documents:
        markdown = rendered[doc_id, "easy-read"].replace("\\", "")
        for point in re.findall(r"^- !\[[^\]]*\]\([^)]*\) (.+)$", markdown, flags=re.M):
            if pack.meta.contact.email in point or (pack.meta.contact.telephone or "\0") in point:
                continue
            for s in sentences(plain(point)):
                assert len(words(s)) <= EASY_READ_LIMIT, f"{doc_id} (easy read): {len(words(s))} words: {s}"


def test_easy_read_has_no_italics(pack):
    found = [place for place, text in easy_read_texts(pack) if re.search(r"(?<![*\w])[*_](?![*\s])", text)]
    assert not found, "italics in easy read: " + ", ".join(found)


def test_every_commitment_has_an_easy_read_version_with_a_picture(pack):
    for c in pack.documents["charter"].front.commitments:
        assert c.easy_read and c.alt, f"commitment {c.id} needs easy_read and alt"
        assert resolve(c.picture, pack.pictures_dir), f"commitment {c.id}: picture '{c.picture}' not found"
    assert 6 <= len(pack.documents["charter"].front.commitments) <= 8


def _normal(text: str) -> str:
    text = text.replace("**", "").replace("’", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split())


def test_published_sections_are_the_seed_text_verbatim(pack):
    if not SEEDS.is_dir():
        pytest.skip(f"the published seed text is not here ({SEEDS})")
    seed = _normal(" ".join(p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))))
    published = [s for s in all_sections(pack) if s.status == "published"]
    assert published, "no section is marked status=published"
    for s in published:
        paragraphs = [p for p in re.split(r"\n\s*\n", s.body) if p.strip()]
        assert paragraphs, f"{s.file.name}:{s.line}: a published section with no text"
        for p in paragraphs:
            assert _normal(p) in seed, f"{s.file.name}:{s.line} ({s.id}) differs from the published text: {p[:80]}"


def test_documents_with_draft_text_say_so(pack):
    for doc in pack.documents.values():
        if any(s.status == "draft" for s in doc.sections):
            assert doc.front.status == "draft", f"{doc.file.name} holds draft sections: set 'status: draft'"


def _form_fields(pack, markdown: str, where: str):
    blocks = parse(markdown, lambda n: resolve(n, pack.pictures_dir), where)
    return [f for b in walk(blocks) if isinstance(b, FormBlock) for f in b.fields]


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_pledge_form_offers_every_commitment_in_the_charter(pack, rendered, variant):
    fields = {f.id: f for f in _form_fields(pack, rendered["pledge-form", variant], "pledge-form")}
    for c in pack.documents["charter"].front.commitments:
        field = fields.get(f"commit-{c.id}")
        assert field is not None and field.type == "checkbox", f"no tick box for commitment {c.id}"
        expected = c.easy_read if variant == "easy-read" and c.easy_read else c.text
        assert field.label == expected
    assert {"organisation", "email", "date", "signature"} <= set(fields)
    assert fields["signature"].type == "signature" and fields["signature"].required


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_document_ends_by_saying_how_to_get_another_format(pack, rendered, variant):
    email = pack.meta.contact.email
    for doc_id in pack.documents:
        markdown = rendered[doc_id, variant]
        headings = [m for m in re.finditer(r"^## (.+)$", markdown, flags=re.M)]
        assert headings, f"{doc_id} ({variant}) has no sections"
        last = headings[-1]
        tail = markdown[last.start():].replace("\\", "")
        assert last.group(1).strip() in ("Other formats", "Find out more"), \
            f"{doc_id} ({variant}) ends with '{last.group(1)}', not the other-formats section"
        assert email in tail and "another format" in tail, f"{doc_id} ({variant}): no contact for other formats"


def test_every_bold_word_in_easy_read_is_explained(pack, rendered):
    for doc_id in pack.documents:
        markdown = rendered[doc_id, "easy-read"].replace("\\", "")
        body, _, hard = markdown.partition("\n## Hard words\n")
        explained = {m.lower() for m in re.findall(r"^- \*\*(.+?)\*\*:", hard, flags=re.M)}
        bold = {m.lower() for m in re.findall(r"\*\*(.+?)\*\*", body)}
        assert bold <= explained, f"{doc_id}: explain {sorted(bold - explained)} under hard_words"


def test_easy_read_documents_read_easily(pack, renderer, rendered):
    textstat = pytest.importorskip("textstat")
    for doc_id in pack.documents:
        markdown = rendered[doc_id, "easy-read"].replace("\\", "")
        points = re.findall(r"^- !\[[^\]]*\]\([^)]*\) (.+)$", markdown, flags=re.M)
        prose = " ".join(plain(p) for p in points if pack.meta.contact.email not in p)
        assert textstat.flesch_reading_ease(prose) >= 70, f"{doc_id}: easy read is not easy enough"
