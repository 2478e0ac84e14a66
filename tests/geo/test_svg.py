"""SVG choropleth: structure, accessibility, hatched no-data areas, determinism, size."""

import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from shapely.geometry import Polygon, box

from gemeinsinn.geo.boundaries import parse_boundaries
from gemeinsinn.geo.palette import dynamics_palette, status_palette
from gemeinsinn.geo.svg import (
    LegendEntry,
    MapArea,
    legend_entries,
    render_choropleth,
    render_legend_svg,
)

NS = {"svg": "http://www.w3.org/2000/svg"}


def grid_areas():
    # 3 × 2 blocks of 0.01°, two parents; block "c" has no data
    areas = []
    for i, (key, cls) in enumerate(zip("abcdef", [1, 2, None, 4, 3, 1], strict=True)):
        col, row = i % 3, i // 3
        geometry = box(13.3 + 0.01 * col, 52.5 + 0.01 * row, 13.31 + 0.01 * col, 52.51 + 0.01 * row)
        areas.append(MapArea(key, f"Gebiet {key.upper()}", geometry, cls, parent_key=str(row)))
    return areas


def parse(svg):
    return ET.fromstring(svg)


def test_paths_titles_and_fills():
    palette = status_palette()
    svg = render_choropleth(grid_areas(), palette, title="Status 2021")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "karte-title karte-desc"
    assert root.find("svg:title", NS).text == "Status 2021"
    assert "6 Gebieten" in root.find("svg:desc", NS).text
    paths = root.findall("svg:g/svg:path", NS)
    assert len(paths) == 6
    by_key = {p.get("data-key"): p for p in paths}
    assert by_key["a"].find("svg:title", NS).text == "Gebiet A: hoch"
    assert by_key["d"].get("fill") == palette.color(4)
    assert by_key["d"].get("data-class") == "4"
    # the no-data area uses the hatch pattern, never a class colour
    no_data = by_key["c"]
    assert no_data.get("fill") == "url(#karte-nd)"
    assert no_data.get("data-class") == ""
    assert no_data.find("svg:title", NS).text.startswith("Gebiet C: keine Angabe")
    pattern = root.find("svg:defs/svg:pattern", NS)
    assert pattern.get("id") == "karte-nd"
    assert {p.get("fill") for p in paths} - {"url(#karte-nd)"} <= set(palette.colors)


def test_for_print_no_titles_and_one_hatched_path():
    two_without = [*grid_areas(), MapArea("g", "Gebiet G", box(13.3, 52.52, 13.31, 52.53), None)]
    root = parse(render_choropleth(two_without, status_palette(), title="T", for_print=True))
    paths = root.findall("svg:g/svg:path", NS)
    assert [p.get("data-key") for p in paths] == ["a", "b", "d", "e", "f", None]
    assert all(p.find("svg:title", NS) is None for p in paths)
    hatched = paths[-1]
    assert hatched.get("fill") == "url(#karte-nd)" and hatched.get("d").count("M") == 2
    assert root.find("svg:title", NS).text == "T"  # the map keeps its accessible name


def test_caller_value_text_and_id_prefix():
    areas = [MapArea("x", "Nord", box(13, 52, 13.1, 52.1), 2, value_text="stabil (+0,1)")]
    root = parse(render_choropleth(areas, dynamics_palette(), title="T", id_prefix="dyn"))
    assert root.find(".//svg:title", NS).text == "T"
    assert root.find("svg:g/svg:path/svg:title", NS).text == "Nord: stabil (+0,1)"
    assert root.get("aria-labelledby") == "dyn-title dyn-desc"


def test_links_make_areas_keyboard_reachable():
    svg = render_choropleth(
        grid_areas(), status_palette(), title="T", url_template="/gebiete/{key}/"
    )
    root = parse(svg)
    assert root.get("role") == "group"
    links = root.findall("svg:g/svg:a", NS)
    assert [a.get("href") for a in links] == [f"/gebiete/{k}/" for k in "abcdef"]
    assert links[0].get("aria-label") == "Gebiet A: hoch"
    assert links[0].find("svg:title", NS).text == "Gebiet A: hoch"
    assert len(root.findall("svg:g/svg:a/svg:path", NS)) == 6
    assert "a:focus path" in root.find("svg:style", NS).text


def test_keys_and_names_are_escaped():
    areas = [MapArea('a&"b', "<Süd> & Co", box(13, 52, 13.1, 52.1), 1)]
    svg = render_choropleth(areas, status_palette(), title="A & B", url_template="/g/{key}")
    root = parse(svg)  # well-formed
    link = root.find("svg:g/svg:a", NS)
    assert link.get("href") == "/g/a%26%22b"
    assert link.find("svg:title", NS).text == "<Süd> & Co: hoch"


def test_parent_outlines_are_drawn_thicker_and_ignore_pointer_events():
    root = parse(render_choropleth(grid_areas(), status_palette(), title="T", outline_parents=True))
    groups = root.findall("svg:g", NS)
    assert len(groups) == 2
    outlines = groups[1]
    assert outlines.get("fill") == "none" and outlines.get("pointer-events") == "none"
    assert float(outlines.get("stroke-width")) > float(groups[0].get("stroke-width"))
    assert [p.get("data-parent") for p in outlines.findall("svg:path", NS)] == ["0", "1"]


def test_holes_are_kept():
    ring = Polygon(
        [(13, 52), (13.1, 52), (13.1, 52.1), (13, 52.1)],
        [[(13.03, 52.03), (13.07, 52.03), (13.07, 52.07), (13.03, 52.07)]],
    )
    root = parse(render_choropleth([MapArea("r", "R", ring, 1)], status_palette(), title="T"))
    d = root.find("svg:g/svg:path", NS).get("d")
    assert d.count("M") == 2 and d.count("z") == 2


def test_tiny_areas_do_not_vanish():
    areas = [
        MapArea("big", "Groß", box(13, 52, 13.5, 52.3), 1),
        MapArea("tiny", "Klein", box(13.6, 52.1, 13.6001, 52.1001), 2),
    ]
    root = parse(render_choropleth(areas, status_palette(), title="T"))
    tiny = root.findall("svg:g/svg:path", NS)[1]
    assert tiny.get("d").startswith("M")


def test_legend_entries_count_classes_and_no_data():
    entries = legend_entries(grid_areas(), status_palette())
    assert [(e.map_class, e.label, e.count) for e in entries] == [
        (1, "hoch", 2),
        (2, "mittel", 1),
        (3, "niedrig", 1),
        (4, "sehr niedrig", 1),
        (None, "keine Angabe (keine Daten oder geheim gehalten)", 1),
    ]
    assert entries[-1].color is None
    compact = legend_entries(grid_areas()[:2], status_palette(), include_empty_classes=False)
    assert [e.map_class for e in compact] == [1, 2]


def test_legend_svg():
    palette = status_palette()
    entries = legend_entries(grid_areas(), palette)
    root = parse(render_legend_svg(entries, palette, title="Status-Index"))
    assert root.get("role") == "img"
    rects = root.findall(".//svg:rect", NS)
    swatches = [r for r in rects if r.get("stroke")]
    assert [r.get("fill") for r in swatches] == [*palette.colors, "url(#legende-nd)"]
    texts = [t.text for t in root.findall(".//svg:text", NS)]
    assert texts[0] == "Status-Index" and texts[1] == "hoch (2)"
    assert isinstance(entries[0], LegendEntry)


def test_output_is_byte_identical_across_processes():
    code = (
        "import sys;"
        "from shapely.geometry import box;"
        "from gemeinsinn.geo.svg import MapArea, render_choropleth;"
        "from gemeinsinn.geo.palette import status_palette;"
        "areas=[MapArea(str(i), f'G{i}', box(13+0.01*i, 52, 13.01+0.01*i, 52.013), i % 4 + 1)"
        " for i in range(20)];"
        "sys.stdout.write(render_choropleth(areas, status_palette(), title='T', "
        "outline_parents=True))"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            check=True,
            env={"PYTHONHASHSEED": str(seed), "PATH": ""},
        ).stdout
        for seed in (1, 2)
    ]
    assert runs[0] == runs[1] and runs[0].startswith(b"<svg")


@pytest.mark.shared_data
def test_berlin_448_areas_stay_small_and_deterministic(shared_data):
    path = shared_data / "berlin-mss/geometry/lor_planungsraeume_pre2021.geojson"
    features = parse_boundaries(path.read_bytes(), path.name, parent_key_length=2).features
    areas = [
        MapArea(f.key, f.name, f.geometry, None if i % 20 == 0 else i % 4 + 1, "", f.parent_key)
        for i, f in enumerate(features)
    ]
    kwargs = dict(title="Status-Index", url_template="/gebiete/{key}/", outline_parents=True)
    first = render_choropleth(areas, status_palette(), **kwargs)
    assert render_choropleth(areas, status_palette(), **kwargs) == first
    size = len(first.encode())
    assert size < 200_000, size
    root = parse(first)
    assert len(root.findall("svg:g/svg:a/svg:path", NS)) == 448
    assert len(root.findall("svg:g/svg:path", NS)) == 12  # the Bezirke outlines
    hatched = root.findall("svg:g/svg:a/svg:path[@fill='url(#karte-nd)']", NS)
    assert len(hatched) == sum(a.map_class is None for a in areas)
    width, height = (int(v) for v in root.get("viewBox").split()[2:])
    assert width == 800 and 600 < height < 720  # Berlin: 38 km N–S, 45 km W–E
