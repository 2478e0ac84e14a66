"""CSV files as planning offices export them: separator, encoding and header are detected.

Polars parses the records (quoted fields, embedded line breaks); numpy scans the bytes once
to know the physical line where each record starts and how many fields it has, so every
message can name its line and rows with a different field count reveal a wrong separator.
"""

import csv
import io
from collections import Counter

import numpy as np
import polars as pl

from gemeinsinn.formats.encoding import to_utf8
from gemeinsinn.formats.grid import HEADER_SEARCH_ROWS, Grid, empty_file, header_row_index
from gemeinsinn.formats.problems import MAX_LISTED, InputError, Problem, with_overflow

SEPARATORS = (";", "\t", ",", "|")
SEPARATOR_NAMES = {";": "Semikolon", "\t": "Tabulator", ",": "Komma", "|": "senkrechter Strich"}
SAMPLE_BYTES = 64 * 1024

_NEWLINE, _QUOTE = ord("\n"), ord('"')


def read_csv_grid(data: bytes, filename: str) -> Grid:
    """The cells of a CSV file from its header row on; raises InputError without a table."""
    text, encoding = to_utf8(data)
    if b"\n" not in text:  # classic Mac line breaks ("CSV (Macintosh)" from Excel)
        text = text.replace(b"\r", b"\n")
    if not text.strip():
        raise InputError([empty_file(filename)])
    sample = _sample_rows(text)
    separator = _detect_separator(sample)
    rows = list(_rows_with_lines(sample, separator))
    if not rows:
        raise InputError([empty_file(filename)])
    header = header_row_index([cells for _, cells in rows])
    header_line, header_cells = rows[header]
    offset = _offset_of_line(text, header_line)
    try:
        cells = pl.read_csv(
            text[offset:],
            has_header=False,
            separator=separator,
            infer_schema=False,
            truncate_ragged_lines=True,
            quote_char='"',
        )
    except pl.exceptions.PolarsError:
        raise InputError([_malformed_quotes(text, offset, header_line, filename)]) from None
    starts, field_counts = _scan_records(text, offset, separator)
    lines = header_line + starts
    problems: list[Problem] = []
    if len(lines) != cells.height:  # cannot happen for files polars accepts; stay honest
        lines = header_line + np.arange(cells.height)
        problems.append(_uncertain_lines(filename))
        field_counts = np.full(cells.height, cells.width)
    named_width = max(i + 1 for i, cell in enumerate(header_cells) if cell.strip())
    problems += _ragged_rows(
        lines, field_counts, cells, len(header_cells), named_width, separator, filename
    )
    return Grid(
        cells=cells,
        lines=lines,
        file_format="csv",
        encoding=encoding,
        separator=separator,
        problems=problems,
    )


def _sample_rows(text: bytes) -> str:
    """The first lines of the file as text (the last, possibly cut, line dropped)."""
    if len(text) <= SAMPLE_BYTES:
        return text.decode("utf-8")
    head = text[:SAMPLE_BYTES]
    cut = head.rfind(b"\n")
    if cut < 0:  # a first line longer than the sample
        return text.decode("utf-8")
    return head[: cut + 1].decode("utf-8", errors="ignore")


def _rows_with_lines(sample: str, separator: str):
    """(start line, cells) of the first non-blank rows of the sample."""
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=separator)
    start = 1
    found = 0
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield start, cells
                found += 1
                if found == HEADER_SEARCH_ROWS:
                    return
            start = reader.line_num + 1
    except csv.Error:
        return  # the full parser reports the broken line


def _detect_separator(sample: str) -> str:
    """The candidate that splits the largest share of sample rows into the same number
    (≥ 2) of fields; ties go to more fields, then to the order of SEPARATORS."""

    def score(index_and_separator):
        index, separator = index_and_separator
        widths = Counter(len(cells) for _, cells in _rows_with_lines(sample, separator))
        width, rows = widths.most_common(1)[0] if widths else (0, 0)
        if width < 2:
            return (0.0, 0, -index)
        return (rows / widths.total(), width, -index)

    return max(enumerate(SEPARATORS), key=score)[1]


def _offset_of_line(text: bytes, line: int) -> int:
    offset = 0
    for _ in range(line - 1):
        offset = text.index(b"\n", offset) + 1
    return offset


def _scan_records(text: bytes, offset: int, separator: str) -> tuple[np.ndarray, np.ndarray]:
    """(0-based line of each record relative to the header line, fields per record)."""
    buffer = np.frombuffer(text, dtype=np.uint8)[offset:]
    newlines = np.flatnonzero(buffer == _NEWLINE)
    quotes = np.flatnonzero(buffer == _QUOTE)
    record_ends = _outside_quotes(newlines, quotes, buffer.size)
    separators = _outside_quotes(np.flatnonzero(buffer == ord(separator)), quotes, buffer.size)
    if record_ends.size == 0 or record_ends[-1] < buffer.size - 1:
        record_ends = np.append(record_ends, buffer.size)  # last record without line break
    if record_ends.size - 1 == newlines.size:  # no line break inside a quoted field
        start_lines = np.arange(record_ends.size)
    else:
        start_lines = np.searchsorted(newlines, np.concatenate(([0], record_ends[:-1] + 1)))
    field_counts = np.diff(np.searchsorted(separators, record_ends), prepend=0) + 1
    return start_lines, field_counts


def _outside_quotes(positions: np.ndarray, quotes: np.ndarray, size: int) -> np.ndarray:
    """The positions that are not inside a quoted field.

    Quotes pair up into quoted regions (an escaped quote "" is an empty region of its own);
    an unclosed quote runs to the end of the file.
    """
    if quotes.size == 0:
        return positions
    starts = quotes[0::2]
    ends = np.append(quotes[1::2], size) if quotes.size % 2 else quotes[1::2]
    first, stop = np.searchsorted(positions, starts), np.searchsorted(positions, ends)
    regions = first != stop
    if not regions.any():
        return positions
    depth = np.zeros(positions.size + 1, dtype=np.int64)
    np.add.at(depth, first[regions], 1)
    np.add.at(depth, stop[regions], -1)
    return positions[np.cumsum(depth[:-1]) == 0]


def _ragged_rows(
    lines: np.ndarray,
    field_counts: np.ndarray,
    cells: pl.DataFrame,
    header_width: int,
    named_width: int,
    separator: str,
    filename: str,
) -> list[Problem]:
    """Rows with more fields than the header (error: values would be lost), or fewer fields
    than the header has named columns (warning: the values at the end count as empty)."""
    longer = np.flatnonzero(field_counts > header_width)
    shorter = np.flatnonzero(field_counts < named_width)
    shorter = shorter[shorter > 0]
    single = shorter[field_counts[shorter] == 1]  # a blank line is one empty field
    blank = (cells[single, 0].str.strip_chars().fill_null("") == "").to_numpy()
    shorter = np.setdiff1d(shorter, single[blank])
    name = SEPARATOR_NAMES[separator]
    hint = (
        f"Erkannt wurde als Trennzeichen: {name} („{separator}“). Steht dieses Zeichen in einem "
        "Wert, bitte den Wert in Anführungszeichen setzen; verwendet die Datei ein anderes "
        "Trennzeichen, bitte durchgehend mit Semikolon, Komma oder Tabulator speichern."
    )

    def listed(rows: np.ndarray, message, severity: str) -> list[Problem]:
        problems = [
            Problem(message(row), filename, int(lines[row]), hint=hint, severity=severity)
            for row in rows[:MAX_LISTED]
        ]
        return with_overflow(problems, len(rows), file=filename, hint=hint, severity=severity)

    return listed(
        longer,
        lambda row: f"Die Zeile hat {field_counts[row]} Felder, die Kopfzeile nur {header_width}.",
        "error",
    ) + listed(
        shorter,
        lambda row: (
            f"Die Zeile hat nur {field_counts[row]} Felder, die Kopfzeile {named_width}; "
            "die fehlenden Werte am Zeilenende gelten als leer."
        ),
        "warning",
    )


def _malformed_quotes(text: bytes, offset: int, header_line: int, filename: str) -> Problem:
    """A problem naming the line of the first quote that cannot be read."""
    buffer = np.frombuffer(text, dtype=np.uint8)[offset:]
    quotes = np.flatnonzero(buffer == _QUOTE)
    newlines = np.flatnonzero(buffer == _NEWLINE)
    line = None
    if quotes.size % 2:
        line = header_line + int(np.searchsorted(newlines, quotes[-1]))
    return Problem(
        'Die CSV-Datei kann nicht gelesen werden: ein Anführungszeichen (") ist nicht '
        "geschlossen oder steht mitten in einem Wert.",
        file=filename,
        line=line,
        hint="Anführungszeichen nur um ganze Werte setzen und jedes wieder schließen; "
        'ein Anführungszeichen innerhalb eines Wertes verdoppeln ("").',
    )


def _uncertain_lines(filename: str) -> Problem:
    return Problem(
        "Die Zeilennummern in den folgenden Meldungen können abweichen: die Datei enthält "
        "Zeilenumbrüche, die nicht eindeutig zugeordnet werden konnten.",
        file=filename,
        hint="Zeilenumbrüche innerhalb von Werten entfernen.",
        severity="warning",
    )
