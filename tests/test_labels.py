"""The words around the content come from a labels file for the pack's language: the pack's own
`labels/<language>.yaml` first, then packgen's (which ships en-GB); a language with no labels, or a
labels file missing some, is an error that says what is missing."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import jinja2
import pytest
import yaml
from lxml import html
from test_same_words import docx_text, html_text

from packgen.labels import Labels
from packgen.template_folders import PACKGEN_TEMPLATES
from packgen.writers.html.download import label_function

from clients_docx import pdf_text
from conftest import make_pack, own_labels, run_packgen

FRENCH = {
    "footer": "{{ pack.title }} : {{ doc.title }}. Version {{ pack.version }}, {{ pack.date | longdate }}",
    "page_label": "Page {page} sur {pages}",
    "skip_link": "Aller au contenu principal",
    "template_other_formats": "Autres formats",
    "template_title_line": "{{ pack.organisation }}. Version {{ pack.version }}, {{ pack.date | longdate }}.",
    "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
               "novembre", "décembre"],
}

# The download page's words in French: every index_ label the page prints (the page template has no
# words of its own), one with an ampersand, which the page shows as written.
FRENCH_INDEX = {
    "index_format_html": "Page web",
    "index_format_pdf": "PDF",
    "index_format_docx": "Document Word",
    "index_format_zip": "Fichier ZIP",
    "index_title": "{{ pack.title }} : télécharger les documents – {{ pack.organisation }}",
    "index_from": "De la part de {{ pack.organisation }}. Version {{ pack.version }} du {{ pack.date | longdate }}.",
    "index_draft": "Ceci est un brouillon.",
    "index_draft_more": "Il n'est pas encore approuvé.",
    "index_final": "Ceci est la version finale, approuvée.",
    "index_contents": "Sur cette page",
    "index_documents": "Les documents",
    "index_pledge": "Prendre l'engagement",
    "index_everything": "Tout en un fichier",
    "index_other_formats": "Autres formats & langues",
    "index_documents_intro": "Chaque document existe en version standard et en version facile à lire.",
    "index_standard_name": "Version standard",
    "index_standard_note": "Le texte complet.",
    "index_easy_read_name": "Version facile à lire",
    "index_large_print_name": "Version en gros caractères",
    "index_easy_read_note": "Des phrases courtes et une image à côté de chaque point.",
    "index_standard_short": "standard",
    "index_easy_read_short": "facile à lire",
    "index_thumbnail_alt": "Première page de la version {{ version }} de {{ title }}",
    "index_size_megabytes": "{{ ('%.1f' | format(megabytes)) | replace('.', ',') }} Mo",
    "index_size_kilobytes": "{{ kilobytes }} Ko",
    "index_size_byte": "{{ bytes }} octet",
    "index_size_bytes": "{{ bytes }} octets",
    "index_page": "{{ pages }} feuille",
    "index_pages": "{{ pages }} feuilles",
    "index_link_all": "tous les documents, {{ version }}",
    "index_link_every": "chaque document",
    "index_pledge_before": "Pour prendre l'engagement, remplissez le formulaire, depuis",
    "index_pledge_link": "la section {{ title }}",
    "index_pledge_after": " ci-dessus.",
    "index_send_before": "Envoyez le formulaire à {{ pack.contact.name }} par courriel à",
    "index_send_after": ".",
    "index_combined": "Tous les documents en un PDF, version {{ version }} :",
    "index_archive": "Chaque document dans chaque format, en un fichier ZIP :",
    "index_formats_before": "Pour un autre format, écrivez à {{ pack.contact.name }} à",
    "index_formats_after": ", ou appelez le {{ pack.contact.telephone }}.",
    "index_website_before": "Visitez aussi",
    "index_website_link": "notre site",
    "index_website_after": ".",
    "index_footer": ("{{ pack.title }}. Version {{ pack.version }}, {{ pack.date | longdate }}. "
                     "{{ pack.organisation }}."),
}
GERMAN_MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                 "November", "Dezember"]
# English words of the download page, none of which a French page shows.
ENGLISH_INDEX = ("Standard version", "Easy read version", "The documents", "On this page", "Make the pledge",
                 "Everything in one file", "Other formats", "First page of", "From the", "download the documents",
                 "This is the final", " KB", " MB", " bytes", ", 1 page", " pages", "Web page", "Word document", "June")


def pack_in(tmp_path: Path, language: str) -> Path:
    """The small pack in a language, with no templates of its own (packgen's defaults render it)."""
    sources, templates = make_pack(tmp_path)
    shutil.rmtree(templates)
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text("utf-8").replace("language: en-GB", f"language: {language}"), "utf-8")
    return sources


def write_labels(path: Path, changes: dict, drop: tuple[str, ...] = ()) -> None:
    words = yaml.safe_load(path.read_text("utf-8"))
    words = {key: value for key, value in {**words, **changes}.items() if key not in drop}
    path.write_text(yaml.safe_dump(words, allow_unicode=True, sort_keys=False), "utf-8")


def test_a_french_pack_shows_its_own_words_in_every_format(tmp_path: Path) -> None:
    sources = pack_in(tmp_path, "fr")
    write_labels(own_labels(sources, "fr"), FRENCH)
    out = tmp_path / "build"
    result = run_packgen("build", "--pack", str(sources), "--out", str(out), "--document", "charter",
                         "--variant", "standard", "-q")
    assert result.returncode == 0, result.stderr
    pdf = pdf_text(out / "standard" / "charter.pdf")
    assert "1 juin 2025" in pdf and "Page 1 sur 1" in pdf and "Autres formats" in pdf
    with zipfile.ZipFile(out / "standard" / "charter.docx") as docx:
        footers = "".join(docx.read(name).decode("utf-8") for name in docx.namelist() if "footer" in name)
    assert "Community Charter : Charter. Version 2.0, 1 juin 2025" in re.sub(r"<[^>]+>", "", footers)
    word = docx_text(out / "standard" / "charter.docx")
    assert "1 juin 2025" in word and "Autres formats" in word
    page = (out / "standard" / "charter.html").read_text("utf-8")
    web = html_text(out / "standard" / "charter.html")
    assert "Aller au contenu principal" in page and "1 juin 2025" in web and "Autres formats" in web
    assert "June" not in pdf + page


@pytest.mark.parametrize("tag, tags", [("de", ("de",)), ("de-AT", ("de-AT", "de"))])
def test_a_language_with_no_labels_file_fails_naming_where_packgen_looked(tmp_path: Path, tag: str,
                                                                          tags: tuple[str, ...]) -> None:
    sources = pack_in(tmp_path, tag)
    out = tmp_path / "build"
    result = run_packgen("build", "--pack", str(sources), "--out", str(out), "-q")
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    at = (sources / "pack.yaml").read_text("utf-8").split("\n").index(f"language: {tag}") + 1  # the line to fix
    assert line.startswith(f"packgen: error: {sources / 'pack.yaml'}:{at}: there are no labels for the language "
                           f"'{tag}'")
    looked = [str(folder / f"{t}.yaml") for folder in (sources / "labels", PACKGEN_TEMPLATES / "labels") for t in tags]
    assert f"packgen looked for {', '.join(looked)};" in line
    assert not (out / "standard").exists()


def test_a_labels_file_missing_two_labels_fails_listing_both(tmp_path: Path) -> None:
    sources = pack_in(tmp_path, "fr")
    labels = own_labels(sources, "fr")
    write_labels(labels, FRENCH, drop=("skip_link", "email_hint"))
    result = run_packgen("build", "--pack", str(sources), "--out", str(tmp_path / "build"), "-q")
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"packgen: error: {labels}: 2 label(s) missing: skip_link, email_hint")


@pytest.mark.parametrize("label, words, fmt, shown_in", [
    ("skip_link", "Skip to main content", "html", "the web page"),
    ("epub_contents", "Contents", "epub", "the e-book"),
])
def test_a_label_left_empty_fails_at_its_line_before_anything_is_written(tmp_path: Path, label: str, words: str,
                                                                          fmt: str, shown_in: str) -> None:
    sources = pack_in(tmp_path, "en-GB")
    labels = own_labels(sources, "en-GB")
    text = labels.read_text("utf-8")
    assert f'\n{label}: "{words}"\n' in text
    labels.write_text(text.replace(f'\n{label}: "{words}"\n', f'\n{label}: ""\n'), "utf-8")
    line = text[:text.index(f"\n{label}:")].count("\n") + 2
    out = tmp_path / "build"
    result = run_packgen("build", "--pack", str(sources), "--out", str(out), "--format", fmt, "-q")
    assert result.returncode == 1
    assert result.stderr.strip() == (f"packgen: error: {labels}:{line}: {shown_in} of 'executive-summary' (standard) "
                                     f"shows the label '{label}', which has no words: write them")
    assert not out.exists()


def test_a_tab_typed_in_a_label_reads_as_a_space(tmp_path: Path) -> None:
    sources = pack_in(tmp_path, "en-GB")
    labels = own_labels(sources, "en-GB")
    text = labels.read_text("utf-8")
    assert 'page_label: "Page {page} of {pages}"' in text
    labels.write_text(text.replace('page_label: "Page {page} of {pages}"', 'page_label: "Page\t{page} of {pages}"'),
                      "utf-8")
    out = tmp_path / "build"
    result = run_packgen("build", "--pack", str(sources), "--out", str(out), "--document", "charter",
                         "--variant", "standard", "--format", "pdf", "-q")
    assert result.returncode == 0, result.stderr
    assert "Page 1 of 1" in pdf_text(out / "standard" / "charter.pdf")


def test_a_longer_tag_uses_the_labels_of_a_shorter_one(tmp_path: Path) -> None:
    sources = pack_in(tmp_path, "fr-CA")
    write_labels(own_labels(sources, "fr"), FRENCH)
    out = tmp_path / "build"
    result = run_packgen("build", "--pack", str(sources), "--out", str(out), "--document", "charter",
                         "--variant", "standard", "--format", "html", "-q")
    assert result.returncode == 0, result.stderr
    assert "Aller au contenu principal" in (out / "standard" / "charter.html").read_text("utf-8")


def test_a_label_packgen_does_not_know_is_a_warning_naming_its_line(tmp_path: Path) -> None:
    sources = pack_in(tmp_path, "en-GB")
    labels = own_labels(sources, "en-GB")
    labels.write_text(labels.read_text("utf-8") + 'skip_lnk: "Skip"\n', "utf-8")
    line = labels.read_text("utf-8").count("\n")
    args = ("build", "--pack", str(sources), "--out", str(tmp_path / "build"), "--document", "charter",
            "--format", "html", "-q")
    result = run_packgen(*args)
    assert result.returncode == 0, result.stderr
    assert f"packgen: warning: {labels}:{line}: the label 'skip_lnk' is not one packgen knows" in result.stderr
    assert run_packgen(*args, "--strict").returncode == 1


def test_a_labels_yaml_left_in_the_templates_folder_is_a_warning_saying_where_labels_are(tmp_path: Path) -> None:
    sources, templates = make_pack(tmp_path)
    shutil.copy(PACKGEN_TEMPLATES / "labels" / "en-GB.yaml", templates / "labels.yaml")
    result = run_packgen("build", "--pack", str(sources), "--out", str(tmp_path / "build"), "--document", "charter",
                         "--format", "html", "-q")
    assert result.returncode == 0, result.stderr
    assert (f"packgen: warning: {templates / 'labels.yaml'}: labels are no longer read from a templates folder: "
            f"this pack's are {PACKGEN_TEMPLATES / 'labels' / 'en-GB.yaml'}") in result.stderr


def test_a_french_pack_has_a_french_download_page(tmp_path: Path) -> None:
    sources = pack_in(tmp_path, "fr")
    write_labels(own_labels(sources, "fr"), FRENCH | FRENCH_INDEX)
    out = tmp_path / "build"
    result = run_packgen("build", "--pack", str(sources), "--out", str(out), "-q")
    assert result.returncode == 0, result.stderr
    source = (out / "index.html").read_text("utf-8")
    page = html.fromstring(source)
    assert page.findtext(".//title") == "Community Charter : télécharger les documents – Riverside Community Trust"
    assert [h.text_content() for h in page.iter("h2")] == ["Sur cette page", "Les documents", "Prendre l'engagement",
                                                           "Tout en un fichier", "Autres formats & langues"]
    assert "Autres formats &amp; langues</h2>" in source
    charter = page.xpath("//li[@class='document'][h3='Charter']")[0]
    assert [h.text_content() for h in charter.iter("h4")] == ["Version standard", "Version facile à lire",
                                                            "Version en gros caractères"]
    assert charter.xpath(".//img/@alt")[0] == "Première page de la version standard de Charter"
    pdf = charter.xpath(".//a[contains(@href, 'standard/charter.pdf')]")[0]
    visible = "".join(pdf.xpath("text()"))
    assert re.fullmatch(r"PDF, \d+ Ko, 1 feuille", visible), visible
    assert pdf.findtext("span") == " (Charter, standard)"
    assert page.xpath("//footer/div/p/text()") == ["Community Charter. Version 2.0, 1 juin 2025. "
                                                   "Riverside Community Trust."]
    text = page.text_content()
    assert [words for words in ENGLISH_INDEX if words in text or words in source] == []


def test_a_labels_file_missing_a_download_page_label_fails_naming_it(tmp_path: Path) -> None:
    sources = pack_in(tmp_path, "fr")
    labels = own_labels(sources, "fr")
    write_labels(labels, FRENCH | FRENCH_INDEX, drop=("index_pages",))
    result = run_packgen("build", "--pack", str(sources), "--out", str(tmp_path / "build"), "-q")
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"packgen: error: {labels}: 1 label(s) missing: index_pages")


def test_a_download_page_label_naming_a_value_it_lacks_fails_naming_its_line(tmp_path: Path) -> None:
    sources = pack_in(tmp_path, "en-GB")
    labels = own_labels(sources, "en-GB")
    text = labels.read_text("utf-8").replace('index_pages: "{{ pages }} pages"', 'index_pages: "{{ sheets }} pages"')
    labels.write_text(text, "utf-8")
    line = text[:text.index("index_pages:")].count("\n") + 1
    result = run_packgen("build", "--pack", str(sources), "--out", str(tmp_path / "build"), "-q")
    assert result.returncode == 1
    assert result.stderr.strip() == (f"packgen: error: {labels}:{line}: in the label 'index_pages': "
                                     "'sheets' is undefined")


def test_a_download_page_label_is_escaped_once_even_holding_another_labels_words() -> None:
    labels = Labels(Path("fr.yaml"), {"index_easy_read_short": "facile & clair",
                                      "index_thumbnail_alt": "Page 1 de « {{ title }} », version {{ version }}"}, {})
    env = jinja2.Environment(autoescape=True)
    env.globals["label"] = label_function(env, labels, str)
    page = env.from_string('<img alt="{{ label("index_thumbnail_alt", title=title, '
                           'version=label("index_easy_read_short")) }}">')
    assert page.render(title="<Charte>") == '<img alt="Page 1 de « &lt;Charte&gt; », version facile &amp; clair">'


def test_a_name_or_title_that_ends_its_own_sentence_gets_no_second_full_stop(tmp_path: Path) -> None:
    """The Riverside trust is registered as "Riverside Community Trust e.V." and its charter asks a
    question: the documents' footers and the download page end those sentences once ("e.V. This page",
    never "e.V.. This page"; "together? Version", never "together?. Version")."""
    sources, templates = make_pack(tmp_path)
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text("utf-8").replace("organisation: Riverside Community Trust",
                                                    "organisation: Riverside Community Trust e.V.")
                    .replace("title: Community Charter", "title: Why work together?"), "utf-8")
    out = tmp_path / "build"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "-q")
    assert result.returncode == 0, result.stderr
    pdf = pdf_text(out / "standard" / "charter.pdf")
    with zipfile.ZipFile(out / "standard" / "charter.docx") as docx:
        footers = re.sub(r"<[^>]+>", "", "".join(docx.read(name).decode("utf-8") for name in docx.namelist()
                                                 if "footer" in name))
    page = html_text(out / "index.html")
    form = html_text(out / "standard" / "pledge-form.html")
    texts = {"PDF": pdf, "Word footer": footers, "download page": page, "web form": form,
             "easy-read PDF": pdf_text(out / "easy-read" / "charter.pdf")}
    for name, text in texts.items():
        said = " ".join(text.split())
        assert ".." not in said and "?." not in said, (name, re.findall(r".{30}(?:\.\.|\?\.).{10}", said))
    said = " ".join(page.split())
    assert "From the Riverside Community Trust e.V. This page" in said
    assert "Why work together? Version 2.0, 1 June 2025. Riverside Community Trust e.V." in said


def dates_shown(out: Path) -> str:
    """The words of the charter's PDF, its Word file's footers, its web page and the download page."""
    with zipfile.ZipFile(out / "standard" / "charter.docx") as docx:
        footers = re.sub(r"<[^>]+>", "", "".join(docx.read(name).decode("utf-8") for name in docx.namelist()
                                                 if "footer" in name))
    texts = (pdf_text(out / "standard" / "charter.pdf"), footers, html_text(out / "standard" / "charter.html"),
             html_text(out / "index.html"))
    return "\n".join(" ".join(text.split()) for text in texts)


@pytest.mark.parametrize("language, months, written, date", [
    ("fr", FRENCH["months"], "{{ day }}{% if day == 1 %}er{% endif %} {{ month }} {{ year }}", "1er juin 2025"),
    ("de", GERMAN_MONTHS, "{{ day }}. {{ month }} {{ year }}", "1. Juni 2025"),
])
def test_a_labels_file_says_how_a_date_is_written_in_full(tmp_path: Path, language: str, months: list[str],
                                                          written: str, date: str) -> None:
    """A translator's labels file written before long_date came still builds, unwarned, its dates as
    before ("1 juin 2025"); the translator adds long_date, and the footer, the title line and the
    download page write the date as the language does ("1er juin 2025", "1. Juni 2025")."""
    sources = pack_in(tmp_path, language)
    labels = own_labels(sources, language)
    write_labels(labels, FRENCH | FRENCH_INDEX | {"months": months}, drop=("long_date",))
    result = run_packgen("build", "--pack", str(sources), "--out", str(tmp_path / "before"), "-q")
    assert result.returncode == 0, result.stderr
    assert "long_date" not in result.stdout + result.stderr
    shown = dates_shown(tmp_path / "before")
    assert f"1 {months[5]} 2025" in shown and date not in shown

    write_labels(labels, {"long_date": written})
    result = run_packgen("build", "--pack", str(sources), "--out", str(tmp_path / "after"), "-q")
    assert result.returncode == 0, result.stderr
    shown = dates_shown(tmp_path / "after")
    assert shown.count(date) >= 4 and f"1 {months[5]} 2025" not in shown, shown


def test_a_long_date_naming_a_value_it_lacks_fails_at_its_line(tmp_path: Path) -> None:
    """A German translator writes the month as "monat": the build stops at that line, naming it, before
    anything is written; the day and year it names are the label's own values."""
    sources = pack_in(tmp_path, "de")
    labels = own_labels(sources, "de")
    write_labels(labels, {"long_date": "{{ day }}. {{ monat }} {{ year }}"})
    line = labels.read_text("utf-8").split("\n").index("long_date: '{{ day }}. {{ monat }} {{ year }}'") + 1
    out = tmp_path / "build"
    result = run_packgen("build", "--pack", str(sources), "--out", str(out), "-q")
    assert result.returncode == 1
    assert result.stderr.strip() == (f"packgen: error: {labels}:{line}: in the label 'long_date': 'monat' is not "
                                     "defined (check the spelling, or add it to the sources)")
    assert not out.exists()
