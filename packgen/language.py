"""A pack's language, as a BCP 47 tag (RFC 5646): whether a tag is well formed, which way its
script runs, and whether English-only checks (the easy-read readability gate) apply to it."""

from __future__ import annotations

# RFC 5646 section 2.1 (well-formed tags, case-insensitive): language[-script][-region]*(-variant)
# *(-extension)[-privateuse], or a private-use tag on its own. The 4- to 8-letter language subtags
# RFC 5646 reserves are refused (none is registered, and 'English' is a mistake); so are grandfathered tags.
_ALNUM = "[A-Za-z0-9]"
BCP47 = (
    "(?:"
    "[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}"  # language, with up to three extlangs
    ")"
    "(?:-[A-Za-z]{4})?"  # script
    "(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"  # region
    f"(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*"  # variants
    f"(?:-[0-9A-WYZa-wyz](?:-{_ALNUM}{{2,8}})+)*"  # extensions
    f"(?:-[Xx](?:-{_ALNUM}{{1,8}})+)?"  # private use
    f"|[Xx](?:-{_ALNUM}{{1,8}})+"
)

# Languages whose usual script runs right to left (primary subtags), and right-to-left scripts
# (ISO 15924) for a tag that names its script, e.g. ku-Arab or az-Arab.
_RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ku", "ps", "sd", "syr", "ug", "ur",
                            "yi"})
_RTL_SCRIPTS = frozenset({"adlm", "arab", "armi", "hebr", "mand", "nkoo", "phnx", "rohg", "samr", "syrc",
                          "thaa", "yezi"})
_LTR_SCRIPTS = frozenset({"latn", "cyrl"})


def subtags(tag: str) -> list[str]:
    return tag.lower().split("-")


def direction(tag: str) -> str:
    """"rtl" when the language's text runs right to left, else "ltr"."""
    parts = subtags(tag)
    script = next((p for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    if script in _RTL_SCRIPTS:
        return "rtl"
    if script in _LTR_SCRIPTS:
        return "ltr"
    return "rtl" if parts[0] in _RTL_LANGUAGES else "ltr"


def is_english(tag: str) -> bool:
    return subtags(tag)[0] == "en"
