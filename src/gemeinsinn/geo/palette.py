"""Colour palettes for choropleth maps that stay readable with colour-vision deficiency.

Colours are built in OKLab/OKLCH (Björn Ottosson's perceptual colour space):

- sequential palettes step evenly in lightness from light to dark, so the classes are
  ordered by lightness alone and remain distinguishable in greyscale print and for
  every kind of colour blindness;
- diverging palettes run blue → light grey → orange, a pair that protanopes,
  deuteranopes and tritanopes all tell apart, with lightness symmetric around the
  light middle class.

The darkest class is kept light enough that the dark outline colour has a contrast
ratio of at least 3:1 against every fill (WCAG 2.1, 1.4.11 non-text contrast).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

OUTLINE = "#1f1f1f"
NO_DATA_BACKGROUND = "#ffffff"
NO_DATA_HATCH = "#707070"
NO_DATA_LABEL = "keine Angabe (keine Daten oder geheim gehalten)"

_LIGHTEST = 0.95  # OKLab lightness of the lightest class
_DARKEST = 0.55  # darkest class: keeps ≥ 3:1 contrast against OUTLINE

HUES = {  # (start hue, end hue) in degrees, light end first
    "purple": (85.0, -30.0),  # pale yellow → orange → red → purple
    "blue": (110.0, 255.0),  # pale yellow-green → blue
    "green": (105.0, 160.0),
    "orange": (95.0, 40.0),
}


@dataclass(frozen=True)
class Palette:
    """Fill colour and label per class; classes are ``first_class``, ``first_class + 1`` …

    ``None`` (no data, suppressed) never gets a colour: maps draw it hatched.
    """

    colors: tuple[str, ...]
    labels: tuple[str, ...]
    first_class: int = 1
    outline: str = OUTLINE
    no_data_label: str = NO_DATA_LABEL
    no_data_background: str = NO_DATA_BACKGROUND
    no_data_hatch: str = NO_DATA_HATCH

    def __post_init__(self) -> None:
        if len(self.colors) != len(self.labels):
            raise ValueError("one label per colour")

    @property
    def classes(self) -> range:
        return range(self.first_class, self.first_class + len(self.colors))

    def color(self, map_class: int | None) -> str | None:
        """The fill of a class; ``None`` for no data. Unknown classes raise ``ValueError``."""
        if map_class is None:
            return None
        if map_class not in self.classes:
            raise ValueError(f"class {map_class} not in {self.classes}")
        return self.colors[map_class - self.first_class]

    def label(self, map_class: int | None) -> str:
        if map_class is None:
            return self.no_data_label
        if map_class not in self.classes:
            raise ValueError(f"class {map_class} not in {self.classes}")
        return self.labels[map_class - self.first_class]


def sequential_palette(
    n: int, labels: tuple[str, ...] | None = None, *, hue: str = "purple", first_class: int = 1
) -> Palette:
    """``n`` classes (2–7) from light to dark."""
    if not 2 <= n <= 7:
        raise ValueError("sequential palettes have 2 to 7 classes")
    start, end = HUES[hue]
    colors = []
    for i in range(n):
        t = i / (n - 1)
        lightness = _LIGHTEST + (_DARKEST - _LIGHTEST) * t
        chroma = 0.05 + 0.10 * t
        colors.append(oklch_to_hex(lightness, chroma, start + (end - start) * t))
    return Palette(tuple(colors), _labels(labels, n), first_class)


def diverging_palette(
    n: int, labels: tuple[str, ...] | None = None, *, first_class: int = 1
) -> Palette:
    """``n`` classes (3–7, odd counts have a neutral middle): blue → light grey → orange."""
    if not 3 <= n <= 7:
        raise ValueError("diverging palettes have 3 to 7 classes")
    colors = []
    half = (n - 1) / 2
    for i in range(n):
        side = i - half  # negative: blue side, 0: neutral middle, positive: orange side
        # even counts have no neutral class: their middle pair starts a step away from grey
        strength = abs(side) / half if n % 2 else (abs(side) + 0.5) / (half + 0.5)
        lightness = _LIGHTEST + (_DARKEST + 0.04 - _LIGHTEST) * strength
        chroma = 0.0 if side == 0 else 0.04 + 0.09 * strength
        colors.append(oklch_to_hex(lightness, chroma, 250.0 if side < 0 else 55.0))
    return Palette(tuple(colors), _labels(labels, n), first_class)


def status_palette() -> Palette:
    """MSS social status index, classes 1 (hoch) … 4 (sehr niedrig), light to dark."""
    return sequential_palette(4, ("hoch", "mittel", "niedrig", "sehr niedrig"))


def dynamics_palette() -> Palette:
    """MSS dynamics index, classes 1 (positiv), 2 (stabil), 3 (negativ)."""
    return diverging_palette(3, ("positiv", "stabil", "negativ"))


def _labels(labels: tuple[str, ...] | None, n: int) -> tuple[str, ...]:
    if labels is None:
        return tuple(f"Klasse {i + 1}" for i in range(n))
    if len(labels) != n:
        raise ValueError(f"{len(labels)} labels for {n} classes")
    return tuple(labels)


# ------------------------------------------------------------------ colour maths


def _linear_to_srgb(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.0031308, 12.92 * c, 1.055 * np.power(np.abs(c), 1 / 2.4) - 0.055)


def _srgb_to_linear(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, np.power((c + 0.055) / 1.055, 2.4))


def oklab_to_linear_rgb(lightness: float, a: float, b: float) -> np.ndarray:
    l_ = lightness + 0.3963377774 * a + 0.2158037573 * b
    m_ = lightness - 0.1055613458 * a - 0.0638541728 * b
    s_ = lightness - 0.0894841775 * a - 1.2914855480 * b
    lms = np.array([l_, m_, s_]) ** 3
    return (
        np.array(
            [
                [4.0767416621, -3.3077115913, 0.2309699292],
                [-1.2684380046, 2.6097574011, -0.3413193965],
                [-0.0041960863, -0.7034186147, 1.7076147010],
            ]
        )
        @ lms
    )


def linear_rgb_to_oklab(rgb: np.ndarray) -> np.ndarray:
    lms = (
        np.array(
            [
                [0.4122214708, 0.5363325363, 0.0514459929],
                [0.2119034982, 0.6806995451, 0.1073969566],
                [0.0883024619, 0.2817188376, 0.6299787005],
            ]
        )
        @ rgb
    )
    l_, m_, s_ = np.cbrt(lms)
    return np.array(
        [
            0.2104542553 * l_ + 0.7936177850 * m_ - 0.0040720468 * s_,
            1.9779984951 * l_ - 2.4285922050 * m_ + 0.4505937099 * s_,
            0.0259040371 * l_ + 0.7827717662 * m_ - 0.8086757660 * s_,
        ]
    )


def oklch_to_hex(lightness: float, chroma: float, hue_deg: float) -> str:
    """An sRGB hex colour; chroma is reduced until the colour fits the sRGB gamut."""
    h = math.radians(hue_deg)

    def fits(rgb: np.ndarray) -> bool:
        return bool((rgb >= -1e-9).all() and (rgb <= 1 + 1e-9).all())

    rgb = oklab_to_linear_rgb(lightness, chroma * math.cos(h), chroma * math.sin(h))
    if not fits(rgb):
        low, high = 0.0, chroma
        rgb = oklab_to_linear_rgb(lightness, 0.0, 0.0)
        for _ in range(30):  # binary search for the largest chroma inside the gamut
            mid = (low + high) / 2
            candidate = oklab_to_linear_rgb(lightness, mid * math.cos(h), mid * math.sin(h))
            if fits(candidate):
                low, rgb = mid, candidate
            else:
                high = mid
    srgb = np.clip(_linear_to_srgb(np.clip(rgb, 0, 1)), 0, 1)
    return "#" + "".join(f"{int(round(v * 255)):02x}" for v in srgb)


def hex_to_linear_rgb(color: str) -> np.ndarray:
    text = color.lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    srgb = np.array([int(text[i : i + 2], 16) for i in (0, 2, 4)], dtype=float) / 255
    return _srgb_to_linear(srgb)


def relative_luminance(color: str) -> float:
    """WCAG relative luminance of an sRGB hex colour."""
    r, g, b = hex_to_linear_rgb(color)
    return float(0.2126 * r + 0.7152 * g + 0.0722 * b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio (1 … 21) of two hex colours."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB
_CVD = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}


def color_difference(first: str, second: str, vision: str = "normal") -> float:
    """Euclidean distance in OKLab (≈ 0.02 is just noticeable) as seen with ``vision``:
    "normal", "protanopia", "deuteranopia" or "tritanopia"."""
    a, b = hex_to_linear_rgb(first), hex_to_linear_rgb(second)
    if vision != "normal":
        a, b = np.clip(_CVD[vision] @ a, 0, 1), np.clip(_CVD[vision] @ b, 0, 1)
    return float(np.linalg.norm(linear_rgb_to_oklab(a) - linear_rgb_to_oklab(b)))
