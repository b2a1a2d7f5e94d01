"""WCAG 2 contrast, as both the theme and `packgen check` measure it."""

from __future__ import annotations

import pytest

from packgen.contrast import contrast_ratio, luminance, parse_hex


@pytest.mark.parametrize("foreground, background, ratio", [
    ("000000", "FFFFFF", 21.0),
    ("#FFF", "#000", 21.0),
    ("767676", "FFFFFF", 4.54),
    ("777777", "ffffff", 4.48),
    ("1B3A6B", "FFFFFF", 11.27),
    ("FFFFFF", "FFFFFF", 1.0),
])
def test_the_ratio_of_two_colours_either_way_round(foreground, background, ratio):
    assert round(contrast_ratio(foreground, background), 2) == ratio
    assert contrast_ratio(background, foreground) == contrast_ratio(foreground, background)


@pytest.mark.parametrize("value", ["", "auto", "12345", "GGGGGG", "#1234567"])
def test_something_that_is_not_a_colour_has_no_ratio(value):
    assert parse_hex(value) is None
    assert contrast_ratio(value, "FFFFFF") is None


def test_wcag_and_iec_srgb_thresholds_agree_on_every_8_bit_colour():
    # WCAG 2 prints 0.03928 where IEC 61966-2-1 has 0.04045; no channel value c/255 lies between them
    def wcag_channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    for c in range(256):
        assert luminance((c, c, c)) == pytest.approx(wcag_channel(c), abs=1e-12)
