"""The public, verifiable draw.

Procedure (version 1), which anyone can recompute by hand or with
`gemeinsinn assembly draw`:

1. The distribution is published as a CSV file `panel,weight,id` (one row per member,
   panels in canonical order, weights as decimals with 12 places, UTF-8, "\\n" line
   ends). Its SHA-256 is the *digest*.
2. The seed text is announced in advance and taken from a public source later (e.g.
   the lottery numbers of a given date).
3. x = SHA-256( "gemeinsinn-losverfahren-v1\\n" + seed + "\\n" + digest ) read as a
   256-bit big-endian integer (the seed is used in Unicode NFC form).
4. With integer weights w_1 … w_P (the decimals times 10^12) and W = Σ w_j, the
   drawn panel is the first j with w_1 + … + w_j > ⌊x · W / 2^256⌋.

Only integer arithmetic is involved, so every machine draws the same panel from the
same file and seed. For m equally likely panels (a public lottery over m published
panels) the weights are all equal and the rule picks panel ⌊x · m / 2^256⌋ + 1.
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from gemeinsinn.formats.problems import InputError, Problem

VERSION_TAG = "gemeinsinn-losverfahren-v1"
UNITS = 10**12  # weights are published with 12 decimal places


def weight_units(weights: Sequence[float]) -> list[int]:
    """Weights as integers in units of 10^-12 (as printed in the file)."""
    return [int(Decimal(f"{w:.12f}").scaleb(12)) for w in weights]


def distribution_csv(
    panels: Sequence[Sequence[int]], units: Sequence[int], ids: Sequence[str]
) -> str:
    """The canonical published text of a distribution (see the module docstring)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["panel", "weight", "id"])
    for j, (panel, weight) in enumerate(zip(panels, units, strict=True)):
        text = f"{Decimal(weight).scaleb(-12):.12f}"
        for i in panel:
            writer.writerow([j + 1, text, ids[i]])
    return out.getvalue()


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def random_integer(seed: str, distribution_digest: str) -> int:
    seed = unicodedata.normalize("NFC", seed)
    material = f"{VERSION_TAG}\n{seed}\n{distribution_digest}".encode()
    return int.from_bytes(hashlib.sha256(material).digest(), "big")


def pick(units: Sequence[int], x: int) -> int:
    """Index of the drawn panel for weights `units` and the 256-bit number x."""
    total = sum(units)
    if total <= 0:
        raise ValueError("Die Gewichte sind alle null.")
    target = (x * total) >> 256
    cumulative = 0
    for j, w in enumerate(units):
        cumulative += w
        if cumulative > target:
            return j
    raise AssertionError("unreachable")


def draw(text: str, seed: str, name: str = "") -> tuple[int, list[str], str]:
    """Draw from a published distribution text: (panel number 1-based, member ids, digest)."""
    panels, units = parse_distribution(text, name)
    sha = digest(text)
    j = pick(units, random_integer(seed, sha))
    return j + 1, panels[j], sha


def parse_distribution(text: str, name: str = "") -> tuple[list[list[str]], list[int]]:
    """Read a published distribution; raise `InputError` with every problem."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header] != ["panel", "weight", "id"]:
        raise InputError(
            [
                Problem(
                    "Kopfzeile der Verteilungsdatei muss panel,weight,id lauten.",
                    file=name,
                    line=1,
                    hint="Bitte die von gemeinsinn veröffentlichte Datei unverändert verwenden.",
                )
            ]
        )
    panels: dict[int, list[str]] = {}
    weights: dict[int, int] = {}
    order: list[int] = []
    for line, row in enumerate(reader, start=2):
        if len(row) != 3:
            problems.append(Problem("Zeile braucht genau drei Felder.", file=name, line=line))
            continue
        try:
            number = int(row[0])
            units = int(Decimal(row[1]).scaleb(12))
        except (ValueError, InvalidOperation):
            problems.append(
                Problem(
                    "Gremiennummer oder Gewicht ist keine Zahl.",
                    file=name,
                    line=line,
                    hint="Bitte die Datei unverändert verwenden.",
                )
            )
            continue
        if number not in panels:
            panels[number] = []
            weights[number] = units
            order.append(number)
        elif weights[number] != units:
            problems.append(
                Problem(f"Gremium {number} hat zwei verschiedene Gewichte.", file=name, line=line)
            )
        panels[number].append(row[2])
    if order != list(range(1, len(order) + 1)):
        problems.append(Problem("Die Gremien sind nicht fortlaufend ab 1 nummeriert.", file=name))
    if problems:
        raise InputError(problems)
    return [panels[j] for j in order], [weights[j] for j in order]
