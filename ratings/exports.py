"""The rating table as CSV and XLSX, with the same rows and columns as the page."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook


def columns():
    return [
        _("Rank"),
        _("Deputy"),
        _("Body"),
        _("Appeals"),
        _("Matured"),
        _("On time, %"),
        _("Interval of 95 percent, %"),
        _("Median days to answer"),
        _("Average feedback"),
        _("Solved, %"),
        _("Score"),
        _("Change"),
    ]


def _pct(value):
    return None if value is None else round(100 * value, 1)


def table_rows(snapshots) -> list[list]:
    rows = []
    for s in snapshots:
        on_time = s.on_time_share
        interval = (
            f"{_pct(s.on_time_low)}–{_pct(s.on_time_high)}" if s.on_time_low is not None else ""
        )
        rows.append(
            [
                s.rank_region if s.enough_data else _("not enough data"),
                s.deputy.full_name,
                s.body.display_name,
                s.appeals_count,
                s.matured_count,
                _pct(on_time),
                interval,
                s.median_days,
                None if s.average_feedback is None else round(s.average_feedback, 2),
                _pct(s.solved_share),
                round(s.score, 2) if s.enough_data else None,
                s.change,
            ]
        )
    return rows


# A cell starting with one of these is a formula to a spreadsheet program (OWASP, "CSV
# injection"): a deputy's name like =HYPERLINK(...) would run on the analyst's machine.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # shown as text; the quote is the spreadsheet's own escape
    return value


def to_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns())
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    # A BOM so that spreadsheet programs read the Cyrillic as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows, *, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(columns())
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            # openpyxl stores a string starting with "=" as a formula; every text is a string.
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
