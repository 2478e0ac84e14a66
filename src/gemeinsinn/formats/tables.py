"""Public API for German statistics tables.

- ``read_table(data, filename)``: any CSV or spreadsheet as a frame of text columns, with
  detected encoding, separator and decimal mark and the line of every row.
- ``parse_observations(data, filename, ...)``: a statistics table (long or wide layout)
  as validated observations, with every problem in German.
"""

from gemeinsinn.formats.numbers import CellMarkers, cell_flag, detect_decimal_mark, number
from gemeinsinn.formats.observations import (
    OBSERVATION_SCHEMA,
    ObservationSummary,
    ParsedObservations,
    parse_observations,
)
from gemeinsinn.formats.reader import Table, TableInfo, read_table

__all__ = [
    "OBSERVATION_SCHEMA",
    "CellMarkers",
    "ObservationSummary",
    "ParsedObservations",
    "Table",
    "TableInfo",
    "cell_flag",
    "detect_decimal_mark",
    "number",
    "parse_observations",
    "read_table",
]
