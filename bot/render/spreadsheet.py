"""The export's tables written as an .xlsx workbook and as a zip of CSV files.

Both are written from the same cells: headers and labels in the community's language, times
in its time zone. In the workbook numbers are numbers and times are dates with a format, the
header row is frozen and bold, and columns are as wide as their content (within limits).

The CSV files are UTF-8 with a byte-order mark, so Excel reads Latvian and Russian letters
correctly; for Latvian and Russian they use `;` between fields and a decimal comma, as
spreadsheet programs set up for those languages expect (English: `,` and a decimal point).
A text that a spreadsheet would take for a formula (one that starts with `=`, `+`, `-`, `@`, a
tab or a carriage return, "- a list item" too) is written as text with a quote prefix (in the
workbook) or with a leading apostrophe (in the CSV files), so a resident's text never runs as
one; numbers, negative ones too, stay numbers.
"""

from __future__ import annotations

import csv
import enum
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.models import (
    Answer,
    BudgetRule,
    DecisionSource,
    IdeaArea,
    IdeaStatus,
    Quadrant,
    Repeat,
    VictoryStatus,
)
from bot.render.budget import RULE_NAMES
from bot.render.ideas import AREA_LABELS, STATUS_LABELS
from bot.render.swot import QUADRANT_NAMES
from bot.services.export import Cell, Column, Kind, Table
from bot.services.people import Label

ANSWER_LABELS: Mapping[Answer, str] = {
    Answer.GOING: N_("Going"),
    Answer.MAYBE: N_("Maybe"),
    Answer.NO: N_("Can't"),
}
REPEAT_LABELS: Mapping[Repeat, str] = {
    Repeat.ONCE: N_("Once"),
    Repeat.WEEKLY: N_("Every week"),
    Repeat.BIWEEKLY: N_("Every two weeks"),
    Repeat.MONTHLY: N_("Every month"),
}
VICTORY_LABELS: Mapping[VictoryStatus, str] = {
    VictoryStatus.PENDING: N_("Waiting for approval"),
    VictoryStatus.APPROVED: N_("Announced"),
    VictoryStatus.REJECTED: N_("Not announced"),
}
SOURCE_LABELS: Mapping[DecisionSource, str] = {
    DecisionSource.POLL: N_("Poll"),
    DecisionSource.LEADER: N_("Working group"),
    DecisionSource.BUDGET: N_("Participatory budget"),
}
ENUM_LABELS: Mapping[type[enum.StrEnum], Mapping[Any, str]] = {
    IdeaArea: AREA_LABELS,
    IdeaStatus: STATUS_LABELS,
    Quadrant: QUADRANT_NAMES,
    Answer: ANSWER_LABELS,
    Repeat: REPEAT_LABELS,
    VictoryStatus: VICTORY_LABELS,
    DecisionSource: SOURCE_LABELS,
    BudgetRule: RULE_NAMES,
}

SHEET_TITLE_LIMIT = 31  # Excel's
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
WIDTH_MIN, WIDTH_MAX = 8, 60
KIND_WIDTHS: Mapping[Kind, int] = {"datetime": 17, "date": 12, "long": 40}
DATETIME_FORMATS = {"en": "yyyy-mm-dd hh:mm"}
DATE_FORMATS = {"en": "yyyy-mm-dd"}
LOCAL_DATETIME = "dd.mm.yyyy hh:mm"
LOCAL_DATE = "dd.mm.yyyy"


def formula_like(text: str) -> bool:
    """Whether a spreadsheet program would read the text as a formula (or the start of one)."""
    return text.startswith(_FORMULA_START)


def printable(text: str) -> str:
    """Without the control characters that XML (so .xlsx and .docx) can't hold."""
    return _ILLEGAL.sub("", text)


def label(t: Translator, value: enum.StrEnum) -> str:
    labels = ENUM_LABELS.get(type(value))
    return t.plain(labels[value]) if labels and value in labels else value.value


def flag(t: Translator, value: bool) -> str:
    return t.plain(N_("Yes")) if value else t.plain(N_("No"))


def sheet_title(t: Translator, table: Table) -> str:
    return _SHEET_FORBIDDEN.sub(" ", t.plain(table.title))[:SHEET_TITLE_LIMIT].strip()


def headers(t: Translator, table: Table) -> list[str]:
    return [t.plain(column.header) for column in table.columns]


def value(t: Translator, cell: Cell, column: Column, zone: ZoneInfo) -> object:
    """A cell as the workbook stores it: numbers, naive local times, translated words."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        return flag(t, cell)
    if isinstance(cell, Label):
        return t.plain(cell)
    if isinstance(cell, enum.StrEnum):
        return label(t, cell)
    if isinstance(cell, datetime):
        return cell.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
    if column.kind == "euros" and isinstance(cell, int):
        return cell / 100
    if isinstance(cell, str):
        return printable(cell)
    return cell


# --- the workbook ---------------------------------------------------------------------------


def _width(t: Translator, table: Table, index: int, cells: Sequence[object]) -> float:
    column = table.columns[index]
    longest = max(
        [len(t.plain(column.header)) + 2]
        + [len(_csv_text(c, ".")) + 1 for c in cells if c is not None]
    )
    return max(WIDTH_MIN, min(longest, KIND_WIDTHS.get(column.kind, WIDTH_MAX)))


def xlsx(t: Translator, tables: Sequence[Table], zone: ZoneInfo, title: str) -> bytes:
    """The workbook; blocking work, so callers run it in a thread.

    Written in openpyxl's write-only mode: rows stream to the file instead of living as cell
    objects (the scale benchmark's peak with /export of 5,000 ideas: 188 MB, 212 MB the other
    way). Widths, the frozen header and the filter must then be set before the first row."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    formats: Mapping[Kind, str] = {
        "datetime": DATETIME_FORMATS.get(t.language, LOCAL_DATETIME),
        "date": DATE_FORMATS.get(t.language, LOCAL_DATE),
        "euros": "#,##0.00",
    }
    book = Workbook(write_only=True)
    book.properties.title = title
    book.properties.language = t.language
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    for table in tables:
        sheet = book.create_sheet(sheet_title(t, table))
        rows = [
            [value(t, raw, column, zone) for raw, column in zip(row, table.columns, strict=True)]
            for row in table.rows
        ]
        for index in range(len(table.columns)):
            width = _width(t, table, index, [row[index] for row in rows])
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        sheet.freeze_panes = "A2"
        if rows:
            last = get_column_letter(len(table.columns))
            sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
        header = []
        for text in headers(t, table):
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in rows:
            cells = []
            for stored, column in zip(row, table.columns, strict=True):
                cell = WriteOnlyCell(sheet, value=cast(Any, stored))  # value() gives cell types
                if isinstance(stored, str):
                    cell.data_type = "s"  # a resident's "=…" stays text, never a formula
                    if formula_like(stored):
                        cell.quotePrefix = True  # and stays text when someone edits the cell
                if column.kind in formats:
                    cell.number_format = formats[column.kind]
                elif column.kind == "long":
                    cell.alignment = wrapped
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- the CSV files --------------------------------------------------------------------------


def _csv_text(stored: object, decimal: str) -> str:
    if stored is None:
        return ""
    if isinstance(stored, datetime):
        return f"{stored:%Y-%m-%d %H:%M}"
    if isinstance(stored, date):
        return stored.isoformat()
    if isinstance(stored, float):
        return f"{stored:.2f}".replace(".", decimal)
    if isinstance(stored, str):
        return "'" + stored if formula_like(stored) else stored
    return str(stored)


def csv_name(t: Translator, index: int, table: Table) -> str:
    return f"{index:02d} {sheet_title(t, table)}.csv"


def csv_zip(t: Translator, tables: Sequence[Table], zone: ZoneInfo) -> bytes:
    """A zip of one UTF-8 CSV file (with BOM) per table; blocking work, run it in a thread."""
    delimiter, decimal = (",", ".") if t.language == "en" else (";", ",")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, table in enumerate(tables, start=1):
            text = io.StringIO()
            writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
            writer.writerow(headers(t, table))
            for row in table.rows:
                writer.writerow(
                    _csv_text(value(t, raw, column, zone), decimal)
                    for raw, column in zip(row, table.columns, strict=True)
                )
            archive.writestr(csv_name(t, index, table), text.getvalue().encode("utf-8-sig"))
    return buffer.getvalue()
