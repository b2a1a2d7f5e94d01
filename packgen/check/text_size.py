"""The smallest text a PDF or Word file may show: one rule (format-text-size) for every variant.

Each variant's smallest size is its `min_text_size` in packgen's theme (templates/theme.yaml: 12pt
for the standard text, as GOV.UK asks; 16pt for easy read and large print, as Mencap and RNIB ask),
so a new variant brings its own size with its theme entry. The check reads files on their own,
without their pack, so the sizes are packgen's own theme's, not a pack's.

A Word file the check cannot place in a variant is held to the standard text's size, as its styles
say which text is body text. A PDF does not say so (another program's 9pt footnotes are common and
allowed), so a PDF is held to a size only when its manifest, folder or metadata names its variant.
"""

from __future__ import annotations

from functools import cache

from packgen.check.context import FileContext
from packgen.check.findings import Finding, error
from packgen.template_folders import PACKGEN_TEMPLATES
from packgen.theme import load_theme

RULE = "format-text-size"
STANDARD = "standard"


def placed(ctx: FileContext) -> bool:
    """Whether the file's variant is known (its manifest, folder or own metadata said which)."""
    return ctx.variant_known or ctx.variant != STANDARD


@cache
def minimum(variant: str) -> float:
    """The smallest text size, in points, of a file of `variant`."""
    variants = load_theme(PACKGEN_TEMPLATES).variants
    return (variants.get(variant) or variants[STANDARD]).min_text_size


def finding(ctx: FileContext, where: str, size_pt: float, fix: str) -> Finding:
    """Text of `size_pt` is under the file's variant's smallest size; `fix` says where to change it."""
    least = minimum(ctx.variant)
    version = "" if ctx.variant == STANDARD else f"{ctx.variant.replace('-', ' ')} "
    return error(RULE, ctx.label, where, f"Text is {size_pt:g}pt; {version}text must be at least {least:g}pt.",
                 f"Make it {least:g}pt or larger ({fix}).")
