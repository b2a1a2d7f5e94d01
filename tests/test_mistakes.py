"""A comms officer makes a mistake in their own pack and builds: one line names the file and the line
where the mistake was made, in words they know, the build stops (exit 1) and --out is left as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lxml import html
from PIL import Image

from packgen import template_time
from packgen.errors import TemplateError
from packgen.pack.build import BuildOptions, build

from conftest import GENERIC_TEMPLATE, own_copy, own_labels, run_packgen

EARLIER = "a file an earlier build left"
# A build of the test pack's charter takes less than 150 MB.
BUILD_MEMORY = 500_000_000


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def line_holding(path: Path, words: str) -> int:
    """The line of `path` that holds `words` (there must be one only)."""
    found = [n for n, line in enumerate(path.read_text("utf-8").split("\n"), 1) if words in line]
    assert len(found) == 1, (words, found)
    return found[0]


def build_fails(sources: Path, templates: Path, tmp_path: Path, *options: str, timeout: float = 600) -> str:
    """Build into a folder an earlier build left a file in; return the one line of the error, having
    checked the exit status and that the folder holds what it held before, and nothing more. The build
    may take no more than BUILD_MEMORY, so a mistake that is not stopped fails the test, not the machine,
    and no more than `timeout` seconds."""
    out = tmp_path / "out"
    out.mkdir(parents=True)
    (out / "earlier.txt").write_text(EARLIER, "utf-8")
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         *options, memory=BUILD_MEMORY, timeout=timeout)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert [p.name for p in out.rglob("*")] == ["earlier.txt"]
    assert (out / "earlier.txt").read_text("utf-8") == EARLIER
    assert line.startswith("packgen: error: ")
    return line.removeprefix("packgen: error: ")


# -- YAML (issue 22, point 2) ----------------------------------------------------------------------

@pytest.mark.parametrize("file, old, new", [
    ("pack.yaml", "  name: Riverside", "\tname: Riverside"),
    ("pack.yaml", "  email: participation", " \temail: participation"),
    ("charter.md", "title: Charter\n", "title: Charter\nkeywords:\n\t- rights\n"),
], ids=["a tab for the indent", "a tab after a space", "a tab in front matter"])
def test_a_line_indented_with_a_tab_is_named_with_what_to_write(mini_pack, tmp_path, file, old, new):
    # The first said "found character that cannot start any token", naming no tab
    sources, templates = mini_pack
    replace_in(sources / file, old, new)
    error = build_fails(sources, templates, tmp_path)
    line = line_holding(sources / file, new.strip("\n").split("\n")[-1])
    assert error == (f"{sources / file}:{line}: this line is indented with a tab, and YAML takes spaces only: "
                     "indent it with spaces, as the lines around it are")


@pytest.mark.parametrize("date", ["2025-02-30", "2025-13-01"])
def test_a_date_the_calendar_lacks_is_one_line_at_its_line(mini_pack, tmp_path, date):
    sources, templates = mini_pack
    pack_yaml = sources / "pack.yaml"
    replace_in(pack_yaml, "date: 2025-06-01", f"date: {date}")
    error = build_fails(sources, templates, tmp_path)
    assert error == f"{pack_yaml}:{line_holding(pack_yaml, date)}: '{date}' is not a date in the calendar: write a " \
                    "real one, as YYYY-MM-DD"


LAUGHS = "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}' if n else 'lol'] * 9)}]\n" for n in range(10))


@pytest.mark.parametrize("old, new, marker, words", [
    ("title: Community Charter", "title: !secret Community Charter", "!secret",
     "'!secret' is a YAML tag packgen does not read: write the value without it"),
    ("title: Community Charter", "title: !!python/name:os.system Community Charter", "!!python",
     "'!!python/name:os.system' is a YAML tag packgen does not read: write the value without it"),
    ("title: Community Charter", "title: Community\x01 Charter", "\x01",
     "the character U+0001 cannot be in a YAML file: delete it"),
    ("title: Community Charter", "title: Community\0 Charter", "\0",
     "this looks like a binary file, not text: save it as plain UTF-8 text"),
    ("title: Community Charter", 'title: "Community\\a Charter"', "Community\\a",
     "the value holds the character U+0007, a control character no document can print (written with a "
     "backslash, such as '\\x07'): delete it"),
    ("source: appendix-b.md", 'source: "appendix\\0b.md"', "appendix\\0",
     "the value holds the character U+0000, a control character no document can print (written with a "
     "backslash, such as '\\x00'): delete it"),
    ("name: Riverside Participation Team", 'name: "Riverside\\u001b[31m Team"', "Riverside\\u001b",
     "the value holds the character U+001B, a control character no document can print (written with a "
     "backslash, such as '\\x1b'): delete it"),
    ("language: en-GB", "keywords: [charter, pledge\nlanguage: en-GB", "keywords:",
     "the '[' opened on this line is never closed: end it with ']'"),
    ("language: en-GB", f"language: en-GB\n{LAUGHS}", "l1:",
     "packgen does not read YAML anchors and aliases ('&name' and '*name'): write the value out in full"),
], ids=["a tag", "a Python tag", "a control character", "a NUL byte",
        "a control character written with a backslash", "a NUL written with a backslash in a file's name",
        "a terminal's colour code pasted in quotes",
        "an unclosed bracket", "aliases a billion times over"])
def test_yaml_packgen_cannot_read_is_one_line_at_its_line(mini_pack, tmp_path, old, new, marker, words):
    sources, templates = mini_pack
    pack_yaml = sources / "pack.yaml"
    replace_in(pack_yaml, old, new)
    error = build_fails(sources, templates, tmp_path)
    assert error == f"{pack_yaml}:{line_holding(pack_yaml, marker)}: {words}"


def test_the_one_document_of_a_pack_written_wrong_is_named_not_called_missing(mini_pack, tmp_path):
    sources, templates = mini_pack
    pack_yaml = sources / "pack.yaml"
    text = pack_yaml.read_text("utf-8")
    one = "documents:\n  - {id: charter, source: charter.md, kind: 3}\n"
    pack_yaml.write_text(text[:text.index("documents:")] + one, "utf-8")
    assert build_fails(sources, templates, tmp_path) == (
        f"{pack_yaml}:{line_holding(pack_yaml, 'kind: 3')}: document 1 ('charter'): kind should be words, not '3'")


@pytest.mark.parametrize("escaped, shown, why", [
    ("\\n", "\\n", "does not exist"),
], ids=["a line break"])
def test_a_source_name_holding_a_character_no_name_has_is_one_line(mini_pack, tmp_path, escaped, shown, why):
    sources, templates = mini_pack
    pack_yaml = sources / "pack.yaml"
    replace_in(pack_yaml, "source: appendix-b.md", f'source: "appendix{escaped}b.md"')
    assert build_fails(sources, templates, tmp_path) == (
        f"{pack_yaml}:{line_holding(pack_yaml, 'appendix' + escaped)}: the document 'appendix-b' names the file "
        f"'appendix{shown}b.md', which {why}")


def test_a_pipe_where_a_source_file_should_be_is_one_line_not_a_wait(mini_pack, tmp_path):
    sources, templates = mini_pack
    pack_yaml = sources / "pack.yaml"
    os.mkfifo(sources / "pipe.md")
    replace_in(pack_yaml, "source: appendix-b.md", "source: pipe.md")
    assert build_fails(sources, templates, tmp_path) == (
        f"{pack_yaml}:{line_holding(pack_yaml, 'pipe.md')}: the document 'appendix-b' names the file 'pipe.md', "
        "which is not an ordinary file (a pipe or a device?)")
    pack_yaml.unlink()
    os.mkfifo(pack_yaml)
    assert build_fails(sources, templates, tmp_path / "again") == (
        f"{pack_yaml}: this is not an ordinary file (a pipe or a device?): name a text file")


def test_a_version_written_as_a_number_is_printed_as_written(mini_pack, tmp_path):
    sources, templates = mini_pack
    replace_in(sources / "pack.yaml", 'version: "2.0"', "version: 2.10")
    out = tmp_path / "out"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--format", "html", "--variant", "standard")
    assert result.returncode == 0, result.stderr
    page = (out / "standard" / "charter.html").read_text("utf-8")
    assert "Version 2.10" in page and "Version 2.1," not in page



def test_a_misspelt_key_is_named_with_the_key_it_was_meant_to_be(mini_pack, tmp_path):
    sources, templates = mini_pack
    pack = sources / "pack.yaml"
    replace_in(pack, "organisation: Riverside", "organisaton: Riverside")
    assert build_fails(sources, templates, tmp_path) == \
        f"{pack}:2: unknown key 'organisaton': did you mean 'organisation'?"


def test_a_pack_yaml_mistake_leaves_no_out_folder_behind(mini_pack, tmp_path):
    # A first build into a folder that does not exist yet: stopped by the mistake, it makes no folder
    # (an empty one would look like a build that ran).
    sources, templates = mini_pack
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text("utf-8") + "download_page: example.org/charter\n", "utf-8")
    out = tmp_path / "new" / "build"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out))
    assert result.returncode == 1, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"packgen: error: {pack}:{line_holding(pack, 'download_page:')}: "), line
    assert not out.exists() and not out.parent.exists()


@pytest.mark.parametrize("old, new", [
    ('telephone: "01632 960000"', 'telephone: "01632 960000'),  # nothing closes it: the file ends first
    ('version: "2.0"', 'version: "2.0'),  # the next value's opening quote closes it, lines further on
])
def test_an_unclosed_quote_is_reported_where_it_opened(mini_pack, tmp_path, old, new):
    sources, templates = mini_pack
    pack = sources / "pack.yaml"
    replace_in(pack, old, new)
    assert build_fails(sources, templates, tmp_path) == \
        f'{pack}:{line_holding(pack, new)}: the quote (") opened on this line is never closed: end the value with "'


# A character YAML takes for a line break but an editor shows within a line (NEL, LINE SEPARATOR,
# PARAGRAPH SEPARATOR), as text pasted from a web page or a PDF may bring: in a comment or a value,
# then a key written twice on a later line.
@pytest.mark.parametrize("file, old, new, mistake, marker", [
    ("pack.yaml", "title: Community Charter", "# The title readers see first,\u2028 on every cover\ntitle: Community "
     "Charter", ("status: final", "status: final\nstatus: draft"), "status: draft"),
    ("pack.yaml", "organisation: Riverside Community Trust", 'organisation: "Riverside\u2029Community Trust"',
     ("status: final", "status: final\nstatus: draft"), "status: draft"),
    ("charter.md", "title: Charter\n", "title: The Charter\x85 for everyone\n",
     ("title: The Charter\x85 for everyone\n", "title: The Charter\x85 for everyone\ntitle: Charter\n"),
     "title: Charter"),
    ("theme.yaml", "page:\n", "# Our brand's page\x85 (see the brand book)\npage:\n",
     ("  size: A4", "  size: A4\n  size: A5"), "size: A5"),
    ("labels", 'skip_link: "Skip to main content"', '# Said first\u2028 by a screen reader\nskip_link: "Skip to main '
     'content"', ('required: "(required)"', 'required: "(required)"\nrequired: "(needed)"'), 'required: "(needed)"'),
], ids=["U+2028 in a pack.yaml comment", "U+2029 in a pack.yaml value", "U+0085 in front matter",
        "U+0085 in a theme.yaml comment", "U+2028 in a labels comment"])
def test_a_line_break_only_yaml_sees_moves_no_line_an_error_names(mini_pack, tmp_path, file, old, new, mistake,
                                                                  marker):
    sources, templates = mini_pack
    path = own_copy(templates, file) if file == "theme.yaml" else own_labels(sources) if file == "labels" \
        else sources / file
    replace_in(path, old, new)
    replace_in(path, *mistake)
    key = marker.split(":")[0].strip()
    assert build_fails(sources, templates, tmp_path) == \
        f"{path}:{line_holding(path, marker)}: the key '{key}' appears twice"


PLEDGE_FIELDS = """\
fields:
  - {id: organisation, label: Organisation, type: text}
  - {id: lead-name, label: Lead name, type: text}
  - {id: lead-role, label: Lead role, type: text}
  - {id: email, label: Email, type: email}
  - {id: telephone, label: Telephone, type: telephone}
  - {id: address, label: Address, type: multiline}
"""


@pytest.mark.parametrize("field, words", [
    ("{id: contact-name, label: Contact name, type: multi-line}",
     "field 7 ('contact-name'): type 'multi-line' is not one of text, multiline, email, telephone, date, checkbox, "
     "signature"),
    ("{id: contact-name, label: Contact name, type: text, required: maybe}",
     "field 7 ('contact-name'): required 'maybe' should be true or false"),
    ("{id: contact-name, label: '', type: text}", "field 7 ('contact-name'): label is empty: fill it in"),
    ("{id: Contact_Name, label: Contact name, type: text}",
     "field 7 ('Contact_Name'): id 'Contact_Name' is not an id: use lower-case letters, digits and hyphens"),
    ("{id: contact-name, label: Contact name, type: text, hepl: Who we write to}",
     "field 7 ('contact-name'): unknown key 'hepl': did you mean 'help'?"),
])
def test_a_field_definition_mistake_names_the_field_in_words(mini_pack, tmp_path, field, words):
    sources, templates = mini_pack
    form = sources / "pledge-form.md"
    replace_in(form, "title: Pledge Form\n", f"title: Pledge Form\n{PLEDGE_FIELDS}  - {field}\n")
    error = build_fails(sources, templates, tmp_path)
    assert error.startswith(f"{form}:{line_holding(form, 'contact-name' if 'contact-name' in field else 'Contact_')}: ")
    assert words in error and "Input should" not in error and "fields.6" not in error


# -- Markdown packgen does not draw (issue 22, point 3) --------------------------------------------


@pytest.mark.parametrize("written, words", [
    ("We wrote this <b>together</b>.", "HTML ('<b>') is not supported in packs: write **bold**"),
    ("We wrote this together.[^1]", "footnotes ('[^1]') are not supported in packs: put the note in the text"),
    ("We wrote this together.\n\n[^1]: In 2025.", "footnotes ('[^1]: ...') are not supported in packs"),
    ("We wrote this ~~alone~~ together.", "crossed-out words ('~~...~~') are not supported in packs"),
    ("> Nothing about us without us.", "quotes ('> ...') are not supported in packs: write the quoted words as a "
                                       "paragraph, in quotation marks, and say who said them"),
    ("<!-- check with Sam -->", "HTML comments ('<!-- ... -->') are not supported in packs: delete it"),
    ("### Our rates {.big}", "'{.big}' after a heading: a heading takes only an id, written {#like-this}"),
    ("### Our rates {#rates", "the heading's '{#rates' is not closed: end it with '}', like {#like-this}"),
    ("## Our plans {#plans status=published", "the heading's '{#plans status=published' is not closed: end it "
                                              "with '}', like {#like-this}"),
    ("###", "this heading has no words: write them after the '### '"),
    ("## {#plans}", "this heading has no words: write them after the '## '"),
    ("::: warning", "'::: warning' is not a block packgen knows: write '::: for' and the formats, or "
                    "'::: page-break'"),
])
def test_markdown_no_writer_draws_is_named_at_its_line_with_what_to_write(mini_pack, tmp_path, written, words):
    sources, templates = mini_pack
    charter = sources / "charter.md"
    replace_in(charter, "with the people it serves.\n", f"with the people it serves.\n\n{written}\n")
    mistake = written.split("\n")[-1]
    error = build_fails(sources, templates, tmp_path)
    assert error.startswith(f"{charter}:{line_holding(charter, mistake)}: {words}")


NOWHERE = "has no address, so it leads nowhere: write the web address in the brackets, like "
MARKDOWN_FILE = ("leads nowhere, as a built pack holds no Markdown files: name the other document in words instead "
                 "(\"see our pledge form\"), or link to the web address it is published at (https://...)")


@pytest.mark.parametrize("written, mistake, words", [
    ("Read [our pledge form](pledge-form.md).", "pledge-form.md", f"the link to 'pledge-form.md' {MARKDOWN_FILE}"),
    ("We wrote it together.\nRead [the plan](../Appendix-B.MD#plan)\nsoon.", "Appendix-B",
     f"the link to '../Appendix-B.MD#plan' {MARKDOWN_FILE}"),
    ("Read [our summary]() first.", "our summary",
     f"the link [our summary]() {NOWHERE}[our summary](https://example.org), or write the words without the [ ] "
     "and ( )"),
    ("Go [back to the top](#).", "the top", f"the link [back to the top](#) {NOWHERE}[back to the top]"
     "(https://example.org), or write the words without the [ ] and ( )"),
], ids=["a Markdown file", "a Markdown file in a paragraph's second line", "no address", "only '#'"])
def test_a_link_that_leads_nowhere_is_named_at_its_line_with_what_to_write(mini_pack, tmp_path, written, mistake,
                                                                           words):
    # Each was drawn as a link that a reader of the PDF or the Word file follows to nothing
    sources, templates = mini_pack
    charter = sources / "charter.md"
    replace_in(charter, "with the people it serves.\n", f"with the people it serves.\n\n{written}\n")
    error = build_fails(sources, templates, tmp_path)
    assert error == f"{charter}:{line_holding(charter, mistake)}: {words}"


@pytest.mark.parametrize("link, words", [
    ("[our form](javascript:alert(1))", "a link to 'javascript:alert(1)' cannot go in a pack: link to a web page "
     "(https://...) or an e-mail address (mailto:...)"),
    ("[](https://example.org/form)", "the link to https://example.org/form has no words: write [what it is]"
     "(https://example.org/form)"),
], ids=["a script", "no words"])
def test_a_link_on_a_paragraphs_later_line_is_named_at_that_line(mini_pack, tmp_path, link, words):
    # The error named the paragraph's first line, however many lines down the link was
    sources, templates = mini_pack
    charter = sources / "charter.md"
    replace_in(charter, "with the people it serves.\n", f"with the people it serves.\nFill in {link}\ntoday.\n")
    error = build_fails(sources, templates, tmp_path)
    assert error == f"{charter}:{line_holding(charter, link)}: {words}"


def test_links_to_web_pages_e_mail_and_headings_still_build(mini_pack, tmp_path):
    sources, templates = mini_pack
    links = ("See [the guide](https://example.org/guide/README.md), [write to us](mailto:sam@example.org) and "
             "[our rates](#rates).\n\n### Our rates {#rates}\n\nWe pay fairly.")
    replace_in(sources / "charter.md", "with the people it serves.\n", f"with the people it serves.\n\n{links}\n")
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out",
                         str(tmp_path / "out"), "--document", "charter", "--format", "html", "--variant", "standard")
    assert result.returncode == 0, result.stderr
    page = html.fromstring((tmp_path / "out" / "standard" / "charter.html").read_bytes())
    assert [a.get("href") for a in page.iter("a") if a.text_content() in ("the guide", "write to us", "our rates")] \
        == ["https://example.org/guide/README.md", "mailto:sam@example.org", "#rates"]


TO_A_HEADING = ("link to a heading by its id ({ids}): a heading's id is its words in lower case joined by hyphens, "
                "or the id written after it, {{#like-this}}")


@pytest.mark.parametrize("old, new, variant, ids", [
    ("with the people it serves.\n", "with the people it serves. See [our rates](#rate).\n", "standard",
     "#charter, #about, #rates"),
    ("We wrote this with you.", "We wrote this with you. Read [our rates](#rate).", "easy-read", "#charter, #about"),
], ids=["in the standard text", "in an easy-read point"])
def test_a_link_to_a_heading_the_document_lacks_is_named_at_its_line(mini_pack, tmp_path, old, new, variant, ids):
    # It was a web address '#rate' in the PDF, a bookmark to nothing in Word, a dead link on the web page
    sources, templates = mini_pack
    charter = sources / "charter.md"
    replace_in(charter, old, new)
    replace_in(charter, "::: easy-read", "### Our rates {#rates}\n\nWe pay fairly.\n\n::: easy-read")
    error = build_fails(sources, templates, tmp_path)
    assert error == (f"{charter}:{line_holding(charter, '(#rate)')}: the link [our rates](#rate) leads to no heading "
                     f"of the {variant} charter: {TO_A_HEADING.format(ids=ids)}")


def test_a_heading_whose_words_hold_braces_still_builds(mini_pack, tmp_path):
    sources, templates = mini_pack
    replace_in(sources / "charter.md", "with the people it serves.\n",
               "with the people it serves.\n\n### Sets {a, b}\n\nWe count them.\n")
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out",
                         str(tmp_path / "out"), "--document", "charter", "--format", "html", "--variant", "standard")
    assert result.returncode == 0, result.stderr
    page = html.fromstring((tmp_path / "out" / "standard" / "charter.html").read_bytes())
    assert [h.text_content() for h in page.iter("h3")] == ["Sets {a, b}"]


def test_words_written_inside_a_page_break_are_named_not_dropped(mini_pack, tmp_path):
    """'::: page-break' then words then ':::' looks like a block holding the words of the next page;
    no format shows what a page break holds, so the words would be lost."""
    sources, templates = mini_pack
    charter = sources / "charter.md"
    replace_in(charter, "with the people it serves.\n",
               "with the people it serves.\n\n::: page-break\nWhat we will do next year.\n:::\n")
    error = build_fails(sources, templates, tmp_path)
    assert error == (f"{charter}:{line_holding(charter, 'next year')}: a '::: page-break' block holds nothing: put its "
                     "':::' on the line after it, and the words after that")


@pytest.mark.parametrize("rows", ["| Monday | 10am |\n| Tuesday | 2pm |", "| Day | Time |\n| --- |\n| Monday | 10am |"],
                         ids=["no heading row", "a dash row short of a column"])
def test_table_rows_markdown_reads_as_text_are_named_at_their_first_line(mini_pack, tmp_path, rows):
    sources, templates = mini_pack
    charter = sources / "charter.md"
    replace_in(charter, "with the people it serves.\n", f"with the people it serves.\n\n{rows}\n")
    error = build_fails(sources, templates, tmp_path)
    assert error.startswith(f"{charter}:{line_holding(charter, rows.split(chr(10))[0])}: these lines look like a "
                            "table, but are read as text: a table needs its heading row, then a line like "
                            "'| --- | --- |'")



@pytest.mark.parametrize("written, words", [
    ("Signed by the board\n---", "the line of '---' under this text makes it a heading: write a heading as '## ' "
                                  "and its words, or delete the line"),
    ("Our promise\n===", "the line of '===' under this text makes it a heading: write a heading as '# ' and its "
                          "words, or delete the line"),
], ids=["dashes", "equals signs"])
def test_a_line_of_dashes_under_text_is_named_at_the_text_not_made_a_heading(mini_pack, tmp_path, written, words):
    sources, templates = mini_pack
    charter = sources / "charter.md"
    replace_in(charter, "with the people it serves.\n", f"with the people it serves.\n\n{written}\n")
    error = build_fails(sources, templates, tmp_path)
    assert error.startswith(f"{charter}:{line_holding(charter, written.split(chr(10))[0])}: {words}")

# -- a value a template carries from the sources (issue 22, point 1) ----------------------------------

COMMITMENT = """\
commitments:
  - id: start-on-time
    text: We start our meetings on time.
    easy_read: We start on time.
    picture: {picture}
    alt: {alt}
"""

# The commitments as easy-read points and as tick boxes, as the shipped charter and pledge form print them.
COMMITMENTS_TEMPLATE = """\
# {{ doc.title }}

{% for s in doc.sections %}
{{ section(s) }}
{% endfor %}
{% set tick = namespace(fields=[]) %}
{% for c in doc.commitments %}
- ![{{ c.alt }}]({{ c.picture }}) {{ c.easy_read }}
{% set tick.fields = tick.fields + [{"id": "commit-" ~ c.id, "label": c.easy_read, "type": "checkbox"}] %}
{% endfor %}

{{ form(tick.fields, legend="Tick the commitments you make") }}
"""


def charter_with_commitment(mini_pack, picture: str = "alarm-clock", alt: str = "An alarm clock",
                            template: str = COMMITMENTS_TEMPLATE) -> Path:
    sources, templates = mini_pack
    charter = sources / "charter.md"
    replace_in(charter, "title: Charter\n", "title: Charter\n" + COMMITMENT.format(picture=picture, alt=alt))
    (templates / "documents" / "charter.md.j2").write_text(template, "utf-8")
    return charter


def test_the_commitments_template_builds_with_good_values(mini_pack, tmp_path):
    sources, templates = mini_pack
    charter_with_commitment(mini_pack)
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out",
                         str(tmp_path / "out"), "--document", "charter", "--format", "html")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("picture, alt, at, words", [
    ("alarm-clok", "An alarm clock", "picture: alarm-clok", "the picture 'alarm-clok' was not found"),
    ("alarm-clock", '""', "picture: alarm-clock", "the picture 'alarm-clock' has no alt text"),
])
def test_a_picture_mistake_in_front_matter_is_reported_at_its_line_not_the_template(mini_pack, tmp_path, picture,
                                                                                       alt, at, words):
    sources, templates = mini_pack
    charter = charter_with_commitment(mini_pack, picture=picture, alt=alt)
    error = build_fails(sources, templates, tmp_path)
    assert error.startswith(f"{charter}:{line_holding(charter, at)}: {words}")
    assert "template" not in error and ".j2" not in error


@pytest.mark.parametrize("template, at, words", [
    (COMMITMENTS_TEMPLATE, "alt: An alarm clock", "an easy-read point needs words after its picture"),
    ("\n".join(line for line in COMMITMENTS_TEMPLATE.split("\n") if not line.startswith("- ")),  # tick boxes only
     "id: start-on-time", "the field 'commit-start-on-time' has no label"),
])
def test_words_missing_from_a_commitment_are_reported_at_the_commitment(mini_pack, tmp_path, template, at, words):
    sources, templates = mini_pack
    charter = charter_with_commitment(mini_pack, template=template)
    replace_in(charter, "    easy_read: We start on time.\n", "")
    error = build_fails(sources, templates, tmp_path)
    assert error.startswith(f"{charter}:{line_holding(charter, at)}: {words}")


def test_a_link_carried_from_pack_yaml_is_reported_in_pack_yaml(mini_pack, tmp_path):
    sources, templates = mini_pack
    pack = sources / "pack.yaml"
    replace_in(pack, "  name: Riverside Participation Team", '  name: ""')
    charter_with_commitment(mini_pack, template="# {{ doc.title }}\n\n{% for s in doc.sections %}\n{{ section(s) }}\n"
                            "{% endfor %}\nWrite to [{{ pack.contact.name }}](mailto:{{ pack.contact.email }}).\n")
    error = build_fails(sources, templates, tmp_path)
    assert error.startswith(f"{pack}:{line_holding(pack, 'email:')}: the link to "
                            "mailto:participation@riverside.example.org has no words")


def test_a_misspelt_picture_the_template_wrote_itself_names_the_template_line(mini_pack, tmp_path):
    sources, templates = mini_pack
    template = COMMITMENTS_TEMPLATE.replace("({{ c.picture }})", "(alarm-clok)")
    charter_with_commitment(mini_pack, template=template)
    own = templates / "documents" / "charter.md.j2"
    error = build_fails(sources, templates, tmp_path)
    assert error.startswith(f"{own}:{line_holding(own, '(alarm-clok)')}: the picture 'alarm-clok' was not found")


def test_a_misspelt_picture_in_a_label_is_reported_in_the_labels_file(mini_pack, tmp_path):
    sources, templates = mini_pack
    labels = own_labels(sources)
    labels.write_text(labels.read_text("utf-8") + 'template_our_sign: "![Our sign](our-sgn)"\n', "utf-8")
    charter_with_commitment(mini_pack, template="# {{ doc.title }}\n\n{% for s in doc.sections %}\n{{ section(s) }}\n"
                            "{% endfor %}\n{{ label('template_our_sign') }}\n")
    error = build_fails(sources, templates, tmp_path)
    assert error.startswith(f"{labels}:{line_holding(labels, 'our-sgn')}: the picture 'our-sgn' was not found")


# -- a template's or a label's own mistakes ----------------------------------------------------------

# A template doubling a string sixty times: a typo or a hostile pack, which would take the machine's memory.
DOUBLED = '{% set ns = namespace(s="x") %}{% for i in range(60) %}{% set ns.s = ns.s OP ns.s %}{% endfor %}{{ ns.s }}'
TOO_BIG = "not allowed in a template: '{}' would make something too big (more than 4,000,000 characters or items)"
PRINTED_TOO_BIG = ("not allowed in a template: printing this would make something too big (more than 4,000,000 "
                   "characters or items)")
BLOCK_TOO_BIG = ("not allowed in a template: this block would make something too big (more than 4,000,000 "
                 "characters or items)")
# A list of itself doubled forty times: 2**40 references to one string of a thousand characters, which as
# text would take a thousand times the machine's memory, though each step was small, and Python makes that
# text in C, where the time bound is never seen. Without the bound on text, the build (held to
# BUILD_MEMORY) runs out of memory within a second.
DOUBLED_LIST = ('{% set ns = namespace(l=["x" * 1000]) %}{% for i in range(40) %}{% set ns.l = [ns.l, ns.l] %}'
                "{% endfor %}")


@pytest.mark.parametrize("line, words", [
    ("{{ none | longdate }}", "this expression cannot be worked out"),
    ('{% include "partials/no-such-part.md.j2" %}', "template 'partials/no-such-part.md.j2' not found"),
    (DOUBLED.replace("OP", "~"), TOO_BIG.format("~")),
    (DOUBLED.replace("OP", "+"), TOO_BIG.format("+")),
    ('{{ "x" * 10**10 }}', TOO_BIG.format("*")),
    ("{% for i in range(10**9) %}{{ i }}{% endfor %}", "this expression cannot be worked out: Range too big."),
    ("{% for i in range(100000) %}{% for j in range(3) %}{{ pack.title }}{% endfor %}{% endfor %}",
     "not allowed in a template: the template prints more than 4,000,000 characters"),
    (DOUBLED_LIST + "{{ ns.l }}", PRINTED_TOO_BIG),
    (DOUBLED_LIST + "{{ ns }}", PRINTED_TOO_BIG),
    ('{% set s = "x" * 4000 %}{{ [s] * 1001 }}', PRINTED_TOO_BIG),
    ('{% set ns = namespace(y="x") %}{% for i in range(34) %}{% set y %}{{ ns.y }}{{ ns.y }}{% endset %}'
     "{% set ns.y = y %}{% endfor %}", BLOCK_TOO_BIG),
    ('{% set s = "x" * 3000000 %}{% macro twice() %}{{ s }}{{ s }}{% endmacro %}{% set made = twice() %}',
     BLOCK_TOO_BIG),
], ids=["a filter given the wrong kind of value", "an include of a template that is not there",
        "a string doubled with ~", "a string doubled with +", "a string times ten billion", "a billion loops",
        "more printed than a pack needs", "a list of itself doubled", "a namespace holding it",
        "a long string's list times a thousand", "a set block printing itself twice", "a macro"])
def test_a_mistake_in_a_document_template_is_named_at_its_line(mini_pack, tmp_path, line, words):
    sources, templates = mini_pack
    template = templates / "documents" / "charter.md.j2"
    template.write_text(GENERIC_TEMPLATE.replace("{% for s", f"{line}\n{{% for s", 1), "utf-8")
    error = build_fails(sources, templates, tmp_path, "--document", "charter", "--format", "html")
    assert error.startswith(f"{template}:{line_holding(template, line)}: {words}"), error

@pytest.mark.parametrize("made, called", [
    ('"x"|center(4000001)', "|center"),
    ('"x".center(4000001)', ".center"),
    ('"x".ljust(4000001)', ".ljust"),
    ('"x".zfill(4000001)', ".zfill"),
    ('"\\t".expandtabs(4000001)', ".expandtabs"),
    ('("x" * 1000).replace("x", "y" * 5000)', ".replace"),
    ('("x" * 1000)|replace("x", "y" * 5000)', "|replace"),
    ('"x"|indent(4000001)', "|indent"),
    ('("x\\n" * 100)|indent(" " * 50000)', "|indent"),
    ('"{:>4000001}".format("x")', ".format"),
    ('"{0:{1}}".format("x", 4000001)', ".format"),
    ('("{:>4000001}"|safe).format("x")', ".format"),
    ('("x"|safe).center(4000001)', ".center"),
    ('"%4000001s"|format("x")', "|format"),
    ('("%(a)s" * 2) % {"a": "x" * 3000000}', "%"),
    ('("x " * 100)|wordwrap(1, wrapstring="y" * 50000)', "|wordwrap"),
    ('("y" * 2001)|join("x" * 2001)', "|join"),
    ('("x" * 2000).join(["y"] * 2001)', ".join"),
    ("[1]|batch(4000001, fill_with=0)", "|batch"),
    ("[1]|slice(4000001)", "|slice"),
    ('([["x"] * 2000000] * 3)|sum(start=[])', "|sum"),
    ('("😀" * 3000000)|tojson', "|tojson"),
    ('("😀" * 3000000)|urlencode', "|urlencode"),
    ('[["x" * 20] * 100000]|tojson(indent=1000)', "|tojson"),
    ("lipsum(100000)", "lipsum"),
    ("lipsum(1, max=4000000)", "lipsum"),
])
def test_a_call_that_would_make_something_too_big_is_stopped_before_it_makes_it(mini_pack, tmp_path, made, called):
    # One step, so it is stopped before it runs: `"x"|center(10**10)` would take the machine's memory before
    # the template printed it. Here it is only set, never printed, so no later bound could stop it.
    assert_set_is_stopped(mini_pack, tmp_path, f"{{% set made = {made} %}}", called)


def test_a_list_pprint_would_indent_past_the_bound_is_not_pprinted(mini_pack, tmp_path):
    # 30,000 short strings as a list 150 lists deep: 180,000 characters as text, but pprint writes each
    # string on a line of its own, indented past the 150 brackets around it.
    nested = '{% set ns = namespace(l=["ab"] * 30000) %}{% for i in range(150) %}{% set ns.l = [ns.l] %}{% endfor %}'
    assert_set_is_stopped(mini_pack, tmp_path, f"{nested}{{% set made = ns.l|pprint %}}", "|pprint")


@pytest.mark.parametrize("made, called", [
    ('ns.l ~ ""', "~"),
    ("ns.l|string", "|string"),
    ("ns.l|tojson", "|tojson"),
    ("ns.l|pprint", "|pprint"),
    ("ns.l|upper", "|upper"),
    ("ns.l|e", "|e"),
    ("ns.l|indent", "|indent"),
    ('"%s" % (ns.l,)', "%"),
    ('"%s"|format(ns.l)', "|format"),
    ('"{}".format(ns.l)', ".format"),
    ("[ns.l]|join", "|join"),
    ('"-".join([ns.l|string])', "|string"),
])
def test_a_list_whose_text_is_past_the_bound_is_not_made_into_text(mini_pack, tmp_path, made, called):
    # Only set, never printed: the call itself is stopped before Python makes the text.
    assert_set_is_stopped(mini_pack, tmp_path, f"{DOUBLED_LIST}{{% set made = {made} %}}", called)


# Two lists of themselves doubled forty times, built apart, and a tuple so: small in memory, 2**40 items
# each counted out in full. Python compares, sorts and hashes them in C, item by item, where the time
# bound is never seen: unbounded, such a build runs on for ever (here, past the test's timeout).
DOUBLED_TWICE = ('{% set ns = namespace(a=[1], b=[1], t=(1,)) %}{% for i in range(40) %}{% set ns.a = [ns.a, ns.a] %}'
                 "{% set ns.b = [ns.b, ns.b] %}{% set ns.t = (ns.t, ns.t) %}{% endfor %}")
GIVEN_TOO_BIG = ("not allowed in a template: '{}' is given something too big (more than 4,000,000 items, each list "
                 "in it counted as often as it is held)")


@pytest.mark.parametrize("made, called", [
    ("ns.a == ns.b", "=="),
    ("ns.a != ns.b", "!="),
    ("ns.a in [ns.b]", "in"),
    ("[ns.a, ns.b]|sort", "|sort"),
    ("[ns.a, ns.b]|unique|list", "|unique"),
    ('{"x": ns.a, "y": ns.b}|dictsort(by="value")', "|dictsort"),
    ("[ns.a].count(ns.b)", ".count"),
    ("{ns.t: 1}", "{key: value}"),
    ("ns.a is eq ns.b", "is eq"),
])
def test_a_list_too_big_counted_out_in_full_is_not_compared_or_sorted(mini_pack, tmp_path, made, called):
    # Only set, never printed: the comparison itself is stopped before Python walks the items.
    assert_set_is_stopped(mini_pack, tmp_path, f"{DOUBLED_TWICE}{{% set made = {made} %}}", called,
                          GIVEN_TOO_BIG, timeout=60)


def test_a_filter_packgen_adds_is_held_to_the_bound_as_jinjas_are(mini_pack, tmp_path):
    # full_stop is packgen's, added to the sandbox after it is made: given a list of itself doubled forty
    # times, it would make its text in C, taking the machine's memory.
    assert_set_is_stopped(mini_pack, tmp_path, f"{DOUBLED_LIST}{{% set made = ns.l|full_stop %}}", "|full_stop",
                          GIVEN_TOO_BIG)


@pytest.mark.parametrize("called", ["|e", "|escape", "|forceescape"])
def test_text_escaping_would_make_too_big_is_not_escaped(mini_pack, tmp_path, called):
    # Each quote is escaped as `&#34;`: four million of them would make twenty million characters.
    assert_set_is_stopped(mini_pack, tmp_path, f"{{% set made = ('\"' * 4000000){called} %}}", called)


def test_comparing_sorting_and_looking_up_work_as_ever(mini_pack, tmp_path):
    everyday = ('Everyday: {{ [1, [2]] == [1, [2]] }} {{ "b" in ["a", "b"] }} {{ (1, 2) < (1, 3) }} '
                '{{ [3, 1, 2]|sort|join(",") }} {{ [1, 1, 2]|unique|join(",") }} {{ {"b": 2, "a": 1}|dictsort }} '
                '{{ {(1, 2): "pair"}[(1, 2)] }} {{ [[1], [1]].count([1]) }} {{ 2 is eq 2 }} {{ 1 < 2 < 3 }}')
    assert ("Everyday: True True True 1,2,3 1,2 [('a', 1), ('b', 2)] pair 2 True True"
            in everyday_page(mini_pack, tmp_path, everyday))


def everyday_page(mini_pack, tmp_path, everyday: str) -> str:
    """The words of the charter's web page, built with `everyday` (a line of template) above its sections."""
    sources, templates = mini_pack
    template = templates / "documents" / "charter.md.j2"
    template.write_text(GENERIC_TEMPLATE.replace("{% for s", f"{everyday}\n\n{{% for s", 1), "utf-8")
    out = tmp_path / "out"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--format", "html", "--variant", "standard")
    assert result.returncode == 0, result.stderr
    page = html.fromstring((out / "standard" / "charter.html").read_bytes())
    return " ".join(page.text_content().split())


def assert_set_is_stopped(mini_pack, tmp_path, line, called, words=TOO_BIG, timeout=600):
    """The charter's template with `line` (which sets, never prints) above its sections fails at that line,
    saying that `called` would make something too big (or, in `words`, what else)."""
    sources, templates = mini_pack
    template = templates / "documents" / "charter.md.j2"
    template.write_text(GENERIC_TEMPLATE.replace("{% for s", f"{line}\n{{% for s", 1), "utf-8")
    error = build_fails(sources, templates, tmp_path, "--document", "charter", "--format", "html", timeout=timeout)
    assert error == f"{template}:{line_holding(template, line)}: {words.format(called)}"


def test_lists_dicts_and_numbers_print_as_ever(mini_pack, tmp_path):
    everyday = ('Everyday: {{ [1, "two", none] }} {{ {"a": (1,)} }} {{ 2.5 }} {{ 10**20 }} {{ true }} '
                '{{ [3] ~ "/" ~ {"b": 4}|string }} {{ [1, 2]|tojson }} {% set ns = namespace(n=[5]) %}{{ ns.n }} '
                '{{ ([1] * 3)|join(",") }}')
    assert ("Everyday: [1, 'two', None] {'a': (1,)} 2.5 100000000000000000000 True [3]/{'b': 4} [1, 2] [5] 1,1,1"
            in everyday_page(mini_pack, tmp_path, everyday))


def test_the_calls_that_size_what_they_make_work_as_ever_within_the_bound(mini_pack, tmp_path):
    everyday = ('Everyday: {{ "[" ~ "x"|center(20) ~ "]" }} {{ "a-b".replace("-", "=") }} {{ "l1\\nl2"|indent(2) }} '
                '{{ "%s of %d"|format("page", 2) }} {{ "{} {}".format("one", "two") }} {{ ["a", "b"]|join("/") }} '
                '{{ [1, 2]|sum }} {{ [[3], [4]]|sum(start=[]) }} {{ {"a": [1, "<b>"]}|tojson }} '
                '{{ {"a": [1]}|tojson(1) }} {{ [1, {"b": 2}]|pprint }} {{ {"q": "a b"}|urlencode }} '
                '{{ lipsum(2, html=false, min=3, max=4).split()|length }}')
    assert ('Everyday: [ x ] a=b l1 l2 page of 2 one two a/b 3 [3, 4] {"a": [1, "\\u003cb\\u003e"]} { "a": [ 1 ] } '
            "[1, {'b': 2}] q=a+b 6" in everyday_page(mini_pack, tmp_path, everyday))


UNCLOSED_BLOCKS = [
    ("{% if pack.title %}\nOur promise to you.\n" + GENERIC_TEMPLATE, "{% if pack.title %}", "if"),
    ("# {{ doc.title }}\n\n{% for s in doc.sections %}\n{% if s.id %}\n{{ section(s) }}\n{% endif %}\n",
     "{% for s in doc.sections %}", "for"),
    ("{% if pack.title %}\n{% if pack.subject %}\n{{ pack.subject }}\n{% endif %}\n" + GENERIC_TEMPLATE,
     "{% if pack.title %}", "if"),
    ("{% if pack.title %}\n{% raw %}Write {% endif %} to end it.{% endraw %}\n" + GENERIC_TEMPLATE,
     "{% if pack.title %}", "if"),
    ("# {{ doc.title }}\n\n{% for s in doc.sections %}\n{{ section(s) }}\n{# {% endfor %} comes later #}\n",
     "{% for s in doc.sections %}", "for"),
]


@pytest.mark.parametrize("own", ["documents/charter.md.j2", "kinds/main.md.j2"], ids=["document", "kind"])
@pytest.mark.parametrize("template, opened, tag", UNCLOSED_BLOCKS,
                         ids=["if", "for", "the outer of two ifs", "an endif in a raw block", "an endfor in a comment"])
def test_a_block_never_closed_is_named_at_the_line_that_opened_it(mini_pack, tmp_path, own, template, opened, tag):
    # Jinja notices the missing end only at the end of the file: the line to fix is the one that opened it
    sources, templates = mini_pack
    if own.startswith("kinds/"):
        (templates / "documents" / "charter.md.j2").unlink()
        (templates / "kinds").mkdir()
    written = templates / own
    written.write_text(template, "utf-8")
    error = build_fails(sources, templates, tmp_path, "--document", "charter", "--format", "html")
    assert error == f"{written}:{line_holding(written, opened)}: template syntax error: the '{{% {tag} %}}' " \
                    f"opened on this line is never closed: end it with '{{% end{tag} %}}'"


def test_a_web_page_template_that_stops_the_build_leaves_no_output_folder_behind(mini_pack, tmp_path):
    # The web page is written in a worker, once --out is made: the build left the folder, an empty
    # record and a folder per version
    sources, templates = mini_pack
    blocks = own_copy(templates, "html/blocks.html.j2")
    replace_in(blocks, "{% macro heading(node) %}", "{% macro heading(node) %}{{ node.nothing.deeper }}")
    out = tmp_path / "out"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--format", "html")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"packgen: error: {blocks}:{line_holding(blocks, 'node.nothing')}: ")
    assert not out.exists()


@pytest.mark.parametrize("old, new, words", [
    ("{{ doc.title }}", "{{ doc.title | titel }}", "template syntax error: there is no filter 'titel': did you mean "
     "'title'?"),
    ("{% for s in doc.sections %}", "{% for s in doc.sections if s is strng %}",
     "template syntax error: there is no test 'strng': did you mean 'string'?"),
    ("{{ doc.title }}", "{% if doc.title is strng %}{{ doc.title }}{% endif %}",
     "there is no test 'strng': did you mean 'string'?"),
    ("{{ doc.title }}", "{{ doc.title | zzqqx }}", "template syntax error: there is no filter 'zzqqx': check its "
     "spelling (https://jinja.palletsprojects.com/en/stable/templates/#list-of-builtin-filters lists Jinja's filters)"),
], ids=["a filter misspelt", "a test misspelt", "a test misspelt in an if", "a filter like none"])
def test_a_filter_or_test_no_template_has_is_named_with_the_one_meant(mini_pack, tmp_path, old, new, words):
    # Jinja said "No filter named 'titel'." and, in an if, "No test named 'strng' found."
    sources, templates = mini_pack
    template = templates / "documents" / "charter.md.j2"
    template.write_text(GENERIC_TEMPLATE.replace(old, new, 1), "utf-8")
    error = build_fails(sources, templates, tmp_path, "--document", "charter", "--format", "html")
    assert error == f"{template}:{line_holding(template, new)}: {words}"


@pytest.mark.parametrize("template, opened, ended, block, end", [
    ("# {{ doc.title }}\n\n{% for s in doc.sections %}\n{{ section(s) }}\n{% endif %}\n",
     "{% for s in doc.sections %}", "{% endif %}", "for", "endif"),
    ("# {{ doc.title }}\n\n{% for s in doc.sections %}\n{% if s.id %}\n{{ section(s) }}\n{% endfor %}\n",
     "{% if s.id %}", "{% endfor %}", "if", "endfor"),
], ids=["a for ended with endif", "an if ended with endfor"])
def test_a_block_ended_with_another_blocks_end_is_named_at_the_line_that_opened_it(mini_pack, tmp_path, template,
                                                                                  opened, ended, block, end):
    # Jinja names the wrong end; the block it fails to end is the one to fix, and the wrong end is said too
    sources, templates = mini_pack
    written = templates / "documents" / "charter.md.j2"
    written.write_text(template, "utf-8")
    error = build_fails(sources, templates, tmp_path, "--document", "charter", "--format", "html")
    assert error == f"{written}:{line_holding(written, opened)}: template syntax error: the '{{% {block} %}}' " \
                    f"opened on this line is ended with '{{% {end} %}}' on line {line_holding(written, ended)}: " \
                    f"end it with '{{% end{block} %}}'"


@pytest.mark.parametrize("template, stray, words", [
    (GENERIC_TEMPLATE + "{% endif %}\n", "{% endif %}", "'{{% endif %}}' on line {} ends no '{{% if %}}': take it "
     "away, or open the block above it"),
    (GENERIC_TEMPLATE.replace("{% endfor %}", "{% endfor %}\n{% endfor %}{# again #}"), "{# again #}",
     "'{{% endfor %}}' on line {} ends no '{{% for %}}': take it away, or open the block above it"),
    ("# {{ doc.title }}\n\n{% for s in doc.sections %}\n{{ section(s) }}\n{% elif s.id %}\nNone.\n{% endfor %}\n",
     "{% elif s.id %}", "'{{% elif %}}' on line {} is inside the '{{% for %}}' opened on line 3, which takes no "
     "'{{% elif %}}': end the '{{% for %}}' before it with '{{% endfor %}}', or open an '{{% if %}}' inside it"),
    ("{% else %}\n" + GENERIC_TEMPLATE, "{% else %}", "'{{% else %}}' on line {} is in no '{{% if %}}' or "
     "'{{% for %}}': take it away, or open one above it"),
    ("{% if pack.title %}\nOurs.\n{% else %}\nYours.\n{% else %}{# again #}\nTheirs.\n{% endif %}\n" + GENERIC_TEMPLATE,
     "{# again #}", "'{{% else %}}' on line {} comes after the '{{% else %}}' of the '{{% if %}}' opened on line 1, "
     "and a '{{% if %}}' takes one: take one of them away, or end the '{{% if %}}' before this one with "
     "'{{% endif %}}'"),
    ("{% if pack.title %}\nOurs.\n{% else %}\nYours.\n{% elif pack.subject %}\nTheirs.\n{% endif %}\n" +
     GENERIC_TEMPLATE, "{% elif pack.subject %}", "'{{% elif %}}' on line {} comes after the '{{% else %}}' of the "
     "'{{% if %}}' opened on line 1, which comes last: move it above that '{{% else %}}'"),
], ids=["an endif with no if", "an endfor with no for", "an elif inside a for", "an else in no block",
        "a second else in an if", "an elif after the else"])
def test_a_tag_outside_the_block_it_belongs_in_is_named_at_its_line(mini_pack, tmp_path, template, stray, words):
    sources, templates = mini_pack
    written = templates / "documents" / "charter.md.j2"
    written.write_text(template, "utf-8")
    line = line_holding(written, stray)
    error = build_fails(sources, templates, tmp_path, "--document", "charter", "--format", "html")
    assert error == f"{written}:{line}: template syntax error: {words.format(line)}"


NEVER_CLOSED = "the '{}' opened on this line is never closed: end it with '{}'"


@pytest.mark.parametrize("template, wrong, words", [
    ("{% if pack.title\nOur promise to you.\n{% endif %}\n" + GENERIC_TEMPLATE, "{% if pack.title",
     NEVER_CLOSED.format("{%", "%}")),
    (GENERIC_TEMPLATE + "{% if pack.title\n\n", "{% if pack.title", NEVER_CLOSED.format("{%", "%}")),
    ("{%- if pack.title\nOur promise to you.\n{% endif %}\n" + GENERIC_TEMPLATE, "{%- if pack.title",
     NEVER_CLOSED.format("{%-", "%}")),
    (GENERIC_TEMPLATE.replace("{{ doc.title }}", "{{ doc.title\n\nOur promise to you."), "{{ doc.title",
     NEVER_CLOSED.format("{{", "}}")),
    ("{% if pack.title\n   and pack.subject\n   pack.date %}\nOur promise.\n{% endif %}\n" + GENERIC_TEMPLATE,
     "   pack.date %}", "expected token 'end of statement block', got 'pack'"),
], ids=["words after it", "at the end", "{%- as written", "{{ with no }}", "closed further on, wrong inside"])
def test_a_tag_never_closed_is_named_at_the_line_that_opened_it(mini_pack, tmp_path, template, wrong, words):
    # Jinja reads on past a '{%' with no '%}' and names the first line where the words make no sense
    sources, templates = mini_pack
    written = templates / "documents" / "charter.md.j2"
    written.write_text(template, "utf-8")
    error = build_fails(sources, templates, tmp_path, "--document", "charter", "--format", "html")
    assert error == f"{written}:{line_holding(written, wrong)}: template syntax error: {words}"


@pytest.mark.parametrize("own", ["kinds/main.md.j2", "documents/charter.md.j2", "partials/title.md.j2"])
def test_a_template_that_is_a_folder_is_named_not_passed_over_for_packgens_own(mini_pack, tmp_path, own):
    # Passed over, packgen's own template would be used while the user believes theirs is
    sources, templates = mini_pack
    (templates / "documents" / "charter.md.j2").unlink()
    (templates / own).mkdir(parents=True)
    error = build_fails(sources, templates, tmp_path, "--document", "charter", "--format", "html")
    assert error == f"{templates / own}: this template is a folder, not a file: make it a file, or take it away " \
                    "to use packgen's own"


def test_a_web_page_template_that_is_a_folder_is_named_not_passed_over_for_packgens_own(mini_pack, tmp_path):
    sources, templates = mini_pack
    page = templates / "html" / "page.html.j2"
    page.mkdir(parents=True)
    out = tmp_path / "out"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--format", "html")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"packgen: error: {page}: this template is a folder, not a file: make it a " \
                                    "file, or take it away to use packgen's own"
    assert not list(out.rglob("*.html"))


@pytest.mark.parametrize("included", [False, True], ids=["the document's template", "a template it includes"])
def test_a_nul_character_in_a_template_is_named_at_the_templates_line(mini_pack, tmp_path, included):
    # Jinja reads it as text, and it was printed as U+FFFD, named at a line of the Markdown made
    sources, templates = mini_pack
    written = templates / "documents" / "charter.md.j2"
    if included:
        replace_in(written, "{% for s", '{% include "partials/ours.md.j2" %}\n{% for s')
        written = templates / "partials" / "ours.md.j2"
        written.parent.mkdir()
        written.write_text("Our promise.\n", "utf-8")
    replace_in(written, "\n", "\nHello\0 there\n")
    error = build_fails(sources, templates, tmp_path, "--document", "charter", "--format", "html")
    assert error == f"{written}:2: this looks like a binary file, not text: save it as plain UTF-8 text"


@pytest.mark.parametrize("named", ["documents/chartr.md.j2", "../../outside.md.j2"])
def test_a_template_pack_yaml_names_that_is_not_there_is_named_at_pack_yamls_line(mini_pack, tmp_path, named):
    sources, templates = mini_pack
    pack_yaml = sources / "pack.yaml"
    replace_in(pack_yaml, "source: charter.md, kind: main", f"source: charter.md, kind: main, template: {named}")
    assert build_fails(sources, templates, tmp_path).startswith(
        f"{pack_yaml}:{line_holding(pack_yaml, named)}: the document 'charter' names the template '{named}', "
        "which is not in ")


def test_a_mistake_in_the_packs_own_web_page_template_is_named_at_its_line(mini_pack, tmp_path):
    sources, templates = mini_pack
    page = templates / "html" / "page.html.j2"
    page.parent.mkdir()
    page.write_text("<!DOCTYPE html>\n<html><body>{{ 1 / 0 }}</body></html>\n", "utf-8")
    out = tmp_path / "out"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--format", "html")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (error,) = result.stderr.strip().splitlines()
    assert error.startswith(f"packgen: error: {page}:2: the HTML template cannot work this out: division by zero")
    assert not list(out.rglob("*.html")) and not [p for p in out.rglob("*") if p.name.startswith(".packgen-tmp")]


def test_the_packs_own_web_page_template_cannot_reach_beyond_what_it_is_given(mini_pack, tmp_path):
    # A pack handed to us may be hostile: its templates see the document, not Python's insides (from
    # which a template could run any program on the machine that builds it).
    sources, templates = mini_pack
    page = templates / "html" / "page.html.j2"
    page.parent.mkdir()
    page.write_text("<!DOCTYPE html>\n<html><body>\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n</body></html>\n",
                    "utf-8")
    out = tmp_path / "out"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--format", "html")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (error,) = result.stderr.strip().splitlines()
    assert error.startswith(f"packgen: error: {page}:3: the HTML template cannot work this out: access to "
                            "attribute '__class__' of 'str' object is unsafe"), error
    assert not list(out.rglob("*.html"))


PAGE_TOO_BIG = "the HTML template cannot work this out: {}"
# Four million quotes, each escaped as `&#34;`, five characters, when a web page prints it.
QUOTES = "{% set s = '\"' * 4000000 %}"


@pytest.mark.parametrize("line, words", [
    ("{{ 'x' * 10**9 }}", TOO_BIG.format("*")),
    ("{% set l = [1] * 10**7 %}", TOO_BIG.format("*")),
    ("{% set l = range(4000)|list %}{{ (l * 1000) == (l * 1000) }}", GIVEN_TOO_BIG.format("==")),
    ('{% set ns = namespace(y="x") %}{% for i in range(34) %}{% set y %}{{ ns.y }}{{ ns.y }}{% endset %}'
     "{% set ns.y = y %}{% endfor %}", BLOCK_TOO_BIG.replace("4,000,000", "64,000,000")),
    (QUOTES + "{{ (s ~ s)|forceescape|forceescape }}",
     TOO_BIG.format("|forceescape").replace("4,000,000", "64,000,000")),
    (QUOTES + "{{ s ~ s ~ s ~ s }}", PRINTED_TOO_BIG.replace("4,000,000", "64,000,000")),
], ids=["a string times a thousand million", "a list of ten million", "two lists of four million compared",
        "a set block printing itself twice", "escaped twice over", "printed and escaped"])
def test_the_packs_own_web_page_template_cannot_make_something_huge(mini_pack, tmp_path, line, words):
    # Each would take the machine's memory (or write a page of hundreds of MB) in a step or two: the web
    # page's sandbox holds them to the bounds a document's template has, with room for a page's pictures
    # in the text it joins and prints.
    sources, templates = mini_pack
    page = templates / "html" / "page.html.j2"
    page.parent.mkdir()
    page.write_text(f"<!DOCTYPE html>\n<html><body>\n{line}\n</body></html>\n", "utf-8")
    out = tmp_path / "out"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--format", "html", memory=BUILD_MEMORY)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (error,) = result.stderr.strip().splitlines()
    assert error == f"packgen: error: {page}:3: " + PAGE_TOO_BIG.format(words.removeprefix("not allowed in a "
                                                                                           "template: "))
    assert not [p for p in out.rglob("*") if p.is_file() and not p.name == ".packgen-state.json"]


def test_the_packs_own_web_page_template_that_runs_without_end_is_stopped_at_its_line(mini_pack, tmp_path,
                                                                                     monkeypatch):
    # Loops print nothing and make nothing big: only the time bound document templates have stops them.
    # The build runs here, with that bound shortened, rather than waiting its ten seconds.
    sources, templates = mini_pack
    page = templates / "html" / "page.html.j2"
    page.parent.mkdir()
    page.write_text("<!DOCTYPE html>\n<html><body>\n{% for i in range(10**5) %}{% for j in range(10**5) %}{% endfor %}"
                    "{% endfor %}\n</body></html>\n", "utf-8")
    monkeypatch.setattr(template_time, "MAX_TEMPLATE_SECONDS", 0.5)
    out = tmp_path / "out"
    with pytest.raises(TemplateError) as caught:
        build(BuildOptions(sources=sources, templates=templates, out=out, documents=("charter",), formats=("html",),
                           variants=("standard",), jobs=1))
    assert (caught.value.path, caught.value.line) == (page, 3)
    assert caught.value.message == "the HTML template was still running after 0.5 seconds: a loop that does not end?"
    assert not list(out.rglob("*.html"))


def test_a_label_that_cannot_be_worked_out_is_named_at_its_line(mini_pack, tmp_path):
    sources, templates = mini_pack
    labels = own_labels(sources)
    text = labels.read_text("utf-8")
    key = next(line.split(":")[0] for line in text.split("\n") if line.startswith("footer"))
    labels.write_text("\n".join(f"{key}: \"{{{{ 1 / 0 }}}}\"" if line.startswith(f"{key}:") else line
                                for line in text.split("\n")), "utf-8")
    error = build_fails(sources, templates, tmp_path, "--document", "charter", "--format", "html")
    assert error.startswith(f"{labels}:{line_holding(labels, '1 / 0')}: in the label '{key}': this expression "
                            "cannot be worked out: division by zero"), error


# -- easy read's bold words are explained (issue 22, point 4) -------------------------------------------

HARD_WORDS = """\
hard_words:
  - word: reasonable adjustments
    meaning: Changes that help a disabled person take part.
"""
WITH_HARD_WORDS = GENERIC_TEMPLATE + '{% include "partials/hard-words.md.j2" %}\n'


def charter_in_bold(mini_pack, point: str, glossary: str = HARD_WORDS) -> Path:
    """The charter's easy-read point is `point`; the pack's one hard word (`glossary`) is in appendix A's
    front matter, and the charter's template ends with the hard-words page."""
    sources, templates = mini_pack
    charter = sources / "charter.md"
    replace_in(sources / "appendix-a.md", "title: Appendix A\n", "title: Appendix A\n" + glossary)
    replace_in(charter, "We wrote this with you.", point)
    (templates / "documents" / "charter.md.j2").write_text(WITH_HARD_WORDS, "utf-8")
    return charter


def build_charter(sources: Path, templates: Path, out: Path, *options: str):
    return run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                       "--document", "charter", "--variant", "easy-read", "--format", "html", *options)


def bold_warnings(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("warning: ") and "bold" in line]


def test_a_bold_word_no_hard_word_explains_is_a_warning_naming_it_and_its_line(mini_pack, tmp_path):
    sources, templates = mini_pack
    charter = charter_in_bold(mini_pack, "We wrote this with **stakeholders** like you.")
    result = build_charter(sources, templates, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    warning = (f"{charter}:{line_holding(charter, '**stakeholders**')}: the easy-read word 'stakeholders' is in "
               "bold, but no hard word explains it")
    assert bold_warnings(result) == [f"warning: {warning}: add it to a document's hard_words (word: and meaning:), "
                                     "or write it without **"]

    error = build_fails(sources, templates, tmp_path / "strict", "--strict")
    assert "--strict is on; the first: " in error and warning in error


NO_PICTURE = ("has no picture: write it as a point that starts with one, like - ![what the picture shows]"
              "(picture-name) Our words.")


@pytest.mark.parametrize("point, words", [
    ("We wrote this with you.\n\nYou told us what matters.", "You told us what matters."),
    ("We wrote this with you.\n\n1. You told us what matters.\n2. We listened.", "You told us what matters."),
    ("We wrote this with you.\n\n::: for pdf\nSign it with a pen, then post it back to us at the office.\n:::",
     "Sign it with a pen, then post it back..."),
], ids=["a sentence", "a list", "words only the PDF shows"])
def test_easy_read_words_without_a_picture_are_a_warning_at_their_line(mini_pack, tmp_path, point, words):
    # They were built as an ordinary paragraph or list, and no one was told
    sources, templates = mini_pack
    charter = sources / "charter.md"
    replace_in(charter, "We wrote this with you.", point)
    result = build_charter(sources, templates, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    line = line_holding(charter, words.removesuffix("...").split(",")[0])
    warning = f"{charter}:{line}: in the easy-read version of section 'about', '{words}' {NO_PICTURE}"
    assert f"warning: {warning}" in result.stdout.splitlines()

    error = build_fails(sources, templates, tmp_path / "strict", "--strict")
    assert error.endswith(f"--strict is on; the first: {warning}")


def test_an_empty_easy_read_block_is_named_at_its_line(mini_pack, tmp_path):
    # The section's heading stood alone in easy read, with nothing under it
    sources, templates = mini_pack
    charter = sources / "charter.md"
    replace_in(charter, "- ![Two people shaking hands](handshake) We wrote this with you.\n", "\n")
    error = build_fails(sources, templates, tmp_path)
    assert error == (f"{charter}:{line_holding(charter, '::: easy-read')}: this '::: easy-read' block is empty: write "
                     "its points, each starting with a picture, or delete the block and mark the heading "
                     "{#id easy-read=omit} to leave the section out of easy read")


def test_a_bold_word_is_explained_by_its_hard_word_whatever_its_case_or_number(mini_pack, tmp_path):
    sources, templates = mini_pack
    charter_in_bold(mini_pack, "We make a **Reasonable Adjustment** for you.")
    result = build_charter(sources, templates, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert bold_warnings(result) == []
    page = html.fromstring((tmp_path / "out" / "easy-read" / "charter.html").read_bytes())
    glossary = [" ".join(li.text_content().split()) for li in page.xpath("//main//li")]
    assert "reasonable adjustments: Changes that help a disabled person take part." in glossary


@pytest.mark.parametrize("language, word, meaning, bold", [
    ("de", "Gruppe", "Menschen, die etwas zusammen machen.", "Gruppen"),
    ("de-AT", "Mitglied", "Ein Mensch, der zum Verein gehört.", "Mitglieder"),
    ("fr", "bureau", "Les personnes qui dirigent l'association.", "bureaux"),
    ("cy", "llyfr", "Rhywbeth i'w ddarllen.", "llyfrau"),
])
def test_a_bold_word_is_explained_by_its_hard_word_as_the_packs_language_makes_plurals(
        mini_pack, tmp_path, language, word, meaning, bold):
    """A Cologne association's easy read has **Gruppen** in bold and explains "Gruppe": German makes
    the plural with -n, so no warning, and the hard-words page lists Gruppe with its meaning. French
    and Welsh packs are forgiven their own plural endings too."""
    sources, templates = mini_pack
    replace_in(sources / "pack.yaml", "language: en-GB", f"language: {language}")
    own_labels(sources, language)
    glossary = f"hard_words:\n  - word: {word}\n    meaning: \"{meaning}\"\n"
    charter_in_bold(mini_pack, f"Wir sind **{bold}**.", glossary)
    result = build_charter(sources, templates, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert bold_warnings(result) == []
    page = html.fromstring((tmp_path / "out" / "easy-read" / "charter.html").read_bytes())
    glossary = [" ".join(li.text_content().split()) for li in page.xpath("//main//li")]
    assert f"{word}: {meaning}" in glossary


def test_a_bold_word_written_as_a_hard_word_is_explained_by_that_one_not_by_a_plural(mini_pack, tmp_path):
    """A German glossary explains both "Rat" (the council) and "Rate" (a payment): bold **Rate** is the
    payment, though Rat with -e is a plural too, and the hard-words page says so."""
    sources, templates = mini_pack
    replace_in(sources / "pack.yaml", "language: en-GB", "language: de")
    own_labels(sources, "de")
    glossary = ("hard_words:\n  - word: Rat\n    meaning: Menschen, die für uns entscheiden.\n"
                "  - word: Rate\n    meaning: Geld, das Sie jeden Monat zahlen.\n")
    charter_in_bold(mini_pack, "Sie zahlen eine **Rate**.", glossary)
    result = build_charter(sources, templates, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = html.fromstring((tmp_path / "out" / "easy-read" / "charter.html").read_bytes())
    glossary = [" ".join(li.text_content().split()) for li in page.xpath("//main//li")]
    assert "Rate: Geld, das Sie jeden Monat zahlen." in glossary
    assert not [item for item in glossary if item.startswith("Rat:")]


def test_an_svg_that_takes_words_from_another_file_is_refused_at_the_line_that_draws_it(mini_pack, tmp_path):
    sources, templates = mini_pack
    (sources / "pictures").mkdir()
    (sources / "pictures" / "sign.svg").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text y="5">&secret;</text></svg>\n', "utf-8")
    charter = sources / "charter.md"
    point = "- ![Our sign](sign.svg) We wrote this with you."
    replace_in(charter, "- ![Two people shaking hands](handshake) We wrote this with you.", point)
    error = build_fails(sources, templates, tmp_path)
    assert error.startswith(f"{charter}:{line_holding(charter, point)}: the picture 'sign.svg' cannot be used: it "
                            "takes words from another file or address")


@pytest.mark.parametrize("reference", ["{private}", "../../{name}"], ids=["by its full name", "by a name with '..'"])
def test_an_svg_that_draws_a_picture_kept_elsewhere_is_refused_and_no_file_carries_it(mini_pack, tmp_path, reference):
    """A drawing saved with its photo 'linked' rather than embedded (or made to read a file off the
    computer that builds the pack) is refused at the line that draws it: resvg would put that file in
    the Word document."""
    sources, templates = mini_pack
    private = tmp_path / "private-scan.png"
    Image.new("RGB", (40, 40), (200, 30, 30)).save(private)
    (sources / "pictures").mkdir()
    href = reference.format(private=private, name=private.name)
    (sources / "pictures" / "sign.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
        f'<image xlink:href="{href}" width="10" height="10"/></svg>\n', "utf-8")
    charter = sources / "charter.md"
    point = "- ![Our sign](sign.svg) We wrote this with you."
    replace_in(charter, "- ![Two people shaking hands](handshake) We wrote this with you.", point)
    error = build_fails(sources, templates, tmp_path, "--format", "docx")
    assert error == (f"{charter}:{line_holding(charter, point)}: the picture 'sign.svg' cannot be used: it draws "
                     f"another file ('{href}'), which packgen never reads: put that picture into the drawing itself "
                     "(drawing programs call this embedding it), or delete it from the drawing")


def test_a_source_or_picture_that_is_a_link_in_a_loop_is_one_line_at_the_line_naming_it(mini_pack, tmp_path):
    sources, templates = mini_pack
    (sources / "loop-a.md").symlink_to(sources / "loop-b.md")
    (sources / "loop-b.md").symlink_to(sources / "loop-a.md")
    pack_yaml = sources / "pack.yaml"
    replace_in(pack_yaml, "source: appendix-b.md", "source: loop-a.md")
    error = build_fails(sources, templates, tmp_path)
    assert error == f"{pack_yaml}:{line_holding(pack_yaml, 'loop-a.md')}: the document 'appendix-b' names the file " \
                    "'loop-a.md', which is a link (symlink) that leads round in a loop: put the file itself there"

    replace_in(pack_yaml, "source: loop-a.md", "source: appendix-b.md")
    (sources / "pictures").mkdir()
    (sources / "pictures" / "sign.png").symlink_to(sources / "pictures" / "sign.png")
    charter = sources / "charter.md"
    point = "- ![Our sign](sign.png) We wrote this with you."
    replace_in(charter, "- ![Two people shaking hands](handshake) We wrote this with you.", point)
    error = build_fails(sources, templates, tmp_path / "again")
    assert error.startswith(f"{charter}:{line_holding(charter, point)}: the picture 'sign.png' was not found")


def test_a_heading_given_its_own_id_keeps_its_words_and_links_by_that_id(mini_pack, tmp_path):
    sources, templates = mini_pack
    replace_in(sources / "charter.md", "with the people it serves.\n",
               "with the people it serves.\n\n### Our rates {#rates}\n\nWe pay fairly.\n")
    out = tmp_path / "out"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--format", "html,docx", "--variant", "standard")
    assert result.returncode == 0, result.stderr
    page = html.fromstring((out / "standard" / "charter.html").read_bytes())
    assert [(h.get("id"), h.text_content()) for h in page.iter("h3")] == [("rates", "Our rates")]
    assert "{#rates}" not in (out / "standard" / "charter.docx").read_bytes().decode("latin-1")


def test_a_table_row_with_more_cells_than_its_heading_row_is_named_at_its_line(mini_pack, tmp_path):
    # markdown-it drops a row's extra cells: their words would be missing from every format
    sources, templates = mini_pack
    charter = sources / "charter.md"
    row = "| Tea | £1 | Sam | extra words |"
    replace_in(charter, "with the people it serves.\n",
               f"with the people it serves.\n\n| Item | Cost | Who |\n| --- | --- | --- |\n{row}\n")
    error = build_fails(sources, templates, tmp_path)
    assert error == f"{charter}:{line_holding(charter, row)}: this row has 4 cells but the table's heading row " \
                    "has 3: give the heading row a cell for each column, or join the row's extra cells"


CHECKLIST_ROWS = "| Statement | Not yet | Done |\n| --- | :-: | :-: |\n| We pay people for their time. | | |\n"
UNKNOWN = "the table mark '{}' is unknown: packgen knows {{.checklist}} and {{.fill-in}}"


@pytest.mark.parametrize("marks, wrong, words", [
    ("{.checklst}", "{.checklst}", UNKNOWN.format("checklst")),
    ("{.checklist}\n{.tickbox}", "{.tickbox}", UNKNOWN.format("tickbox")),
    ("{.tickbox}\n", "{.tickbox}", UNKNOWN.format("tickbox")),
    ("{#our-plan}", "{#our-plan}", UNKNOWN.format("#our-plan")),
    ("{.checklist}\n{.fill-in}", "{.fill-in}", "a table is a checklist or a table to fill in, not both: keep one mark"),
], ids=["misspelt", "under a good mark", "a blank line below it", "an id", "two marks"])
def test_a_wrong_table_mark_is_named_at_the_line_that_writes_it(mini_pack, tmp_path, marks, wrong, words):
    # The mark is on its own line above the table: that line, not the table's heading row, is to fix
    sources, templates = mini_pack
    charter = sources / "charter.md"
    replace_in(charter, "with the people it serves.\n",
               f"with the people it serves.\n\n{marks}\n{CHECKLIST_ROWS}")
    error = build_fails(sources, templates, tmp_path)
    assert error == f"{charter}:{line_holding(charter, wrong)}: {words}"


@pytest.mark.parametrize("rows, wrong, words", [
    ("| We pay people for their time. | | |\n|  | | |\n| We listen. | | |\n", "|  | | |",
     "row 2 of this table has no statement: each row starts with the words its boxes answer"),
    ("| We pay people for their time. | yes | done |\n", "| Statement |",
     "this table has no empty cells to answer in: leave the answer cells empty, or take away the mark above it "
     "if the table is not one to fill in"),
], ids=["a row with no statement", "no empty cells"])
def test_a_checklist_mistake_is_named_at_the_line_that_holds_it(mini_pack, tmp_path, rows, wrong, words):
    # A row's mistake is on that row's own line; a table with no cell left to answer is the whole
    # table's, named at its first line, the heading row
    sources, templates = mini_pack
    charter = sources / "charter.md"
    replace_in(charter, "with the people it serves.\n", "with the people it serves.\n\n{.checklist}\n"
               f"| Statement | Not yet | Done |\n| --- | :-: | :-: |\n{rows}")
    error = build_fails(sources, templates, tmp_path)
    assert error == f"{charter}:{line_holding(charter, wrong)}: {words}"


def test_a_table_mark_above_words_is_named_at_the_mark(mini_pack, tmp_path):
    sources, templates = mini_pack
    charter = sources / "charter.md"
    replace_in(charter, "with the people it serves.\n", "with the people it serves.\n\n{.checklist}\nWe pay people.\n")
    error = build_fails(sources, templates, tmp_path)
    assert error == f"{charter}:{line_holding(charter, '{.checklist}')}: a line such as {{.checklist}} marks the " \
                    "table just below it: put it on the line above a table"


@pytest.mark.parametrize("pasted", ["{% if organisation %}\nWe pay people.\n", "We pay people.\n\n{% endif %}\n",
                                    "{ }\nWe pay people.\n"], ids=["above words", "alone at the end", "empty"])
def test_a_line_in_braces_that_marks_nothing_is_named_not_dropped(mini_pack, tmp_path, pasted):
    # markdown-it reads a line in braces as a mark and leaves it out of every format: template code
    # pasted into a source would vanish without a word.
    sources, templates = mini_pack
    charter = sources / "charter.md"
    replace_in(charter, "with the people it serves.\n", f"with the people it serves.\n\n{pasted}")
    braces = next(line for line in pasted.split("\n") if line.startswith("{"))
    error = build_fails(sources, templates, tmp_path)
    assert error == f"{charter}:{line_holding(charter, braces)}: '{braces}' is not a mark packgen knows, so it would " \
                    "be left out of every format: sources hold words (template code such as {% if %} goes in a " \
                    "template); delete the line, or write its words without the braces"


def test_a_block_never_closed_in_the_packs_own_web_page_template_is_named_where_it_opened(mini_pack, tmp_path):
    sources, templates = mini_pack
    page = templates / "html" / "page.html.j2"
    page.parent.mkdir()
    page.write_text("<!DOCTYPE html>\n<html><body>\n{% if doc.title %}<h1>{{ doc.title }}</h1>\n<p>Words</p>\n"
                    "</body></html>\n", "utf-8")
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out",
                         str(tmp_path / "out"), "--document", "charter", "--format", "html")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (f"packgen: error: {page}:3: the HTML template is wrong: the '{{% if %}}' opened "
                                     "on this line is never closed: end it with '{% endif %}'")
