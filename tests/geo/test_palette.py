"""Palettes: ordered by lightness, distinguishable with colour-vision deficiency, outlines
with at least 3:1 contrast."""

import pytest

from gemeinsinn.geo.palette import (
    OUTLINE,
    color_difference,
    contrast_ratio,
    diverging_palette,
    dynamics_palette,
    hex_to_linear_rgb,
    linear_rgb_to_oklab,
    oklch_to_hex,
    relative_luminance,
    sequential_palette,
    status_palette,
)

VISIONS = ("normal", "protanopia", "deuteranopia", "tritanopia")


def lightness(color):
    return float(linear_rgb_to_oklab(hex_to_linear_rgb(color))[0])


def test_wcag_contrast_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert relative_luminance("#fff") == pytest.approx(1.0)


def test_oklch_round_trip_of_a_grey():
    grey = oklch_to_hex(0.6, 0.0, 0.0)
    assert grey[1:3] == grey[3:5] == grey[5:7]
    assert lightness(grey) == pytest.approx(0.6, abs=0.003)


def test_out_of_gamut_chroma_is_reduced_not_clipped_into_another_hue():
    vivid = oklch_to_hex(0.9, 0.4, 30.0)  # far outside sRGB
    assert lightness(vivid) == pytest.approx(0.9, abs=0.005)


def test_status_palette_four_classes_light_to_dark():
    palette = status_palette()
    assert list(palette.classes) == [1, 2, 3, 4]
    assert palette.labels == ("hoch", "mittel", "niedrig", "sehr niedrig")
    values = [lightness(c) for c in palette.colors]
    assert values == sorted(values, reverse=True)
    assert palette.color(1) == palette.colors[0] and palette.color(None) is None
    assert palette.label(None).startswith("keine Angabe")
    with pytest.raises(ValueError):
        palette.color(5)


@pytest.mark.parametrize("n", range(2, 8))
@pytest.mark.parametrize("hue", ["purple", "blue", "green", "orange"])
def test_sequential_palettes_are_ordered_and_distinguishable(n, hue):
    palette = sequential_palette(n, hue=hue)
    values = [lightness(c) for c in palette.colors]
    steps = [a - b for a, b in zip(values, values[1:], strict=False)]
    assert min(steps) > 0.05  # evenly darker: readable by lightness alone (greyscale too)
    for vision in VISIONS:
        for a, b in zip(palette.colors, palette.colors[1:], strict=False):
            assert color_difference(a, b, vision) > 0.04, (vision, a, b)


@pytest.mark.parametrize("n", range(3, 8))
def test_diverging_palettes_have_distinguishable_ends(n):
    palette = diverging_palette(n)
    for vision in VISIONS:
        assert color_difference(palette.colors[0], palette.colors[-1], vision) > 0.15
        for a, b in zip(palette.colors, palette.colors[1:], strict=False):
            assert color_difference(a, b, vision) > 0.08, (vision, a, b)
    values = [lightness(c) for c in palette.colors]
    assert values[0] == pytest.approx(values[-1], abs=0.02)  # symmetric
    if n % 2:
        assert max(values) == values[n // 2]  # light neutral middle


def test_dynamics_palette():
    palette = dynamics_palette()
    assert palette.labels == ("positiv", "stabil", "negativ")
    assert len(set(palette.colors)) == 3


@pytest.mark.parametrize(
    "palette",
    [status_palette(), dynamics_palette(), sequential_palette(7), diverging_palette(7)],
)
def test_outline_has_3_to_1_contrast_against_every_fill_and_the_no_data_background(palette):
    for color in (*palette.colors, palette.no_data_background):
        assert contrast_ratio(OUTLINE, color) >= 3.0, color
    assert contrast_ratio(palette.no_data_hatch, palette.no_data_background) >= 3.0


def test_wrong_label_count():
    with pytest.raises(ValueError):
        sequential_palette(3, ("a", "b"))
    with pytest.raises(ValueError):
        sequential_palette(9)
