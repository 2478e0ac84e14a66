"""A tiny city for the Django tests: one Stadt, two Stadtteile, four Sozialräume as
squares near 51.2°N 7.9°E, and helpers that write its files as a planner would have them."""

import json

STADT = [("05999000", "Kleinstadt", None, (7.90, 51.20, 7.94, 51.22))]
STADTTEILE = [
    ("01", "Altstadt", "05999000", (7.90, 51.20, 7.92, 51.22)),
    ("02", "Neustadt", "05999000", (7.92, 51.20, 7.94, 51.22)),
]
SOZIALRAEUME = [
    ("0101", "Markt", "01", (7.90, 51.20, 7.91, 51.22)),
    ("0102", "Mühlenweg", "01", (7.91, 51.20, 7.92, 51.22)),
    ("0201", "Bahnhof", "02", (7.92, 51.20, 7.93, 51.22)),
    ("0202", "Heide", "02", (7.93, 51.20, 7.94, 51.22)),
]


def square(box):
    x0, y0, x1, y1 = box
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def geojson(areas, geometry=square) -> bytes:
    features = [
        {
            "type": "Feature",
            "properties": {"key": key, "name": name, **({"parent_key": parent} if parent else {})},
            "geometry": geometry(box),
        }
        for key, name, parent, box in areas
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


# residents and counts per Sozialraum and year: the long format of a planning office
COUNTS = {
    # key: (ew, ew_u15, ew_15_65, ew_u65, arbeitslose, transfer_nicht_al, sgb2_u15)
    "0101": (1200, 180, 800, 1000, 40, 60, 20),
    "0102": (900, 120, 600, 760, 30, 30, 10),
    "0201": (1500, 300, 1000, 1300, 120, 200, 120),
    "0202": (250, 40, 170, 220, 2, 5, 1),
}
COUNT_CODES = (
    "ew", "ew_u15", "ew_15_65", "ew_u65", "arbeitslose", "transfer_nicht_al", "sgb2_u15",
)  # fmt: skip


PROBLEM_COUNTS = {"arbeitslose", "transfer_nicht_al", "sgb2_u15"}
# yearly change of the problem counts per area; residents grow by 1 % a year everywhere
PROBLEM_TREND = {"0101": -0.06, "0102": 0.02, "0201": 0.08, "0202": 0.0}


def count(key: str, code: str, year: int, first_year: int = 2023) -> int:
    base = COUNTS[key][COUNT_CODES.index(code)]
    rate = PROBLEM_TREND[key] if code in PROBLEM_COUNTS else 0.01
    return round(base * (1 + rate) ** (year - first_year))


def long_csv(years=(2023, 2024, 2025)) -> bytes:
    """German CSV: `;`, decimal comma, UTF-8 with BOM, header Gebiet;Jahr;Merkmal;Wert."""
    lines = ["Gebiet;Jahr;Merkmal;Wert"]
    for key in COUNTS:
        for year in years:
            for code in COUNT_CODES:
                lines.append(f"{key};{year};{code};{count(key, code, year)}")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
