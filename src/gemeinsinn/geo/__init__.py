"""Pure geometry core (no Django): CRS transforms (``crs``), boundary import and export
(``boundaries``, ``geojson``), point-in-area assignment (``pointinarea``), SVG
choropleths and palettes (``svg``, ``palette``) and small helpers (``shapes``)."""
