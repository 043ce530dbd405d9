"""The rating table as CSV and XLSX, with the same rows as the page, for a spreadsheet
in Russia: the analysts' Excel and LibreOffice use the Russian locale whatever language
the site is read in, so the CSV is the one that program opens into columns (semicolons,
decimal comma, dates as dd.mm.yyyy, UTF-8 with a BOM), and the XLSX holds numbers as
numbers, each with its display format."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook


@dataclass(frozen=True)
class Column:
    title: str
    decimals: int | None = None  # a number with this many decimals; None: as it is
    is_date: bool = False
    width: int = 12


def columns() -> list[Column]:
    return [
        Column(_("Rank"), width=10),
        Column(_("Deputy"), width=36),
        Column(_("Body"), width=36),
        Column(_("Appeals"), 0),
        Column(_("Open now"), 0),
        Column(_("Appeals a month"), 1),
        Column(_("Matured"), 0),
        Column(_("On time, %"), 1),
        Column(_("On time, lower bound of the 95 percent interval, %"), 1, width=16),
        Column(_("On time, upper bound of the 95 percent interval, %"), 1, width=16),
        Column(_("Median days to answer"), 1),
        Column(_("Average feedback"), 2),
        Column(_("Solved, %"), 1),
        Column(_("Score"), 2),
        Column(_("Score, lower bound of the 95 percent interval"), 2, width=16),
        Column(_("Score, upper bound of the 95 percent interval"), 2, width=16),
        Column(_("Places the interval allows"), width=12),
        Column(_("Change"), 2),
        Column(_("Computed on"), is_date=True),
    ]


def _pct(value):
    return None if value is None else round(100 * value, 1)


def table_rows(snapshots) -> list[list]:
    """Typed values: numbers as numbers, a date as a date, None where the page shows "—".
    The band and the load are read off each row when set (selectors.with_bands_and_load)."""
    rows = []
    for s in snapshots:
        band = getattr(s, "band", None)
        per_month = getattr(s, "per_month", None)
        rows.append(
            [
                s.rank_region if s.enough_data else _("not enough data"),
                s.deputy.full_name,
                s.body.display_name,
                s.appeals_count,
                s.deputy.open_appeals,
                None if per_month is None else round(per_month, 1),
                s.matured_count,
                _pct(s.on_time_share),
                _pct(s.on_time_low),
                _pct(s.on_time_high),
                s.median_days,
                None if s.average_feedback is None else round(s.average_feedback, 2),
                _pct(s.solved_share),
                round(s.score, 2) if s.enough_data else None,
                round(band.score_low, 2) if band else None,
                round(band.score_high, 2) if band else None,
                band.label if band else None,
                s.change,
                timezone.localdate(s.computed_at),
            ]
        )
    return rows


def regions_columns() -> list[Column]:
    """The comparison of regions, as on the page: the rating's figures, then the
    committees' own figures of their unassigned queues."""
    return [
        Column(_("Region code"), width=8),
        Column(_("Region"), width=36),
        Column(_("Deputies"), 0),
        Column(_("Rated"), 0),
        Column(_("On time, %"), 1),
        Column(_("Average feedback"), 2),
        Column(_("Average score"), 2),
        Column(_("Median days in the queue"), 1, width=16),
        Column(_("Waited past 7 days"), 0, width=16),
        Column(_("Waiting now"), 0),
        Column(_("Waiting now past 7 days"), 0, width=16),
        Column(_("Computed on"), is_date=True),
    ]


def regions_rows(rows, *, computed_on: date | None) -> list[list]:
    """`rows`: ratings.tables.regions_table_rows, in the page's order."""
    return [
        [
            row["code"],
            row["name"],
            row["deputies"],
            row["rated"],
            _pct(row["on_time"]),
            None if row["feedback"] is None else round(row["feedback"], 2),
            None if row["score"] is None else round(row["score"], 2),
            None if row["queue_median"] is None else float(row["queue_median"]),
            row["queue_past_due"],
            row["queue_waiting"],
            row["queue_waiting_past_due"],
            computed_on,
        ]
        for row in rows
    ]


# A cell starting with one of these is a formula to a spreadsheet program (OWASP, "CSV
# injection"): a deputy's name like =HYPERLINK(...) would run on the analyst's machine.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        if value.startswith(FORMULA_STARTS):
            return "'" + value  # shown as text; the quote is the spreadsheet's own escape
        return value
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float) and column.decimals is not None:
        # Made from a number, so a leading minus is a negative number, never a formula.
        return f"{value:.{column.decimals}f}".replace(".", ",")
    return str(value).replace(".", ",")


def to_csv(rows, *, header: list[Column] | None = None) -> bytes:
    """`header`: the columns of `rows`, the rating table's by default."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    header = header or columns()
    writer.writerow([_csv_cell(c.title, c) for c in header])
    writer.writerows([_csv_cell(v, c) for v, c in zip(row, header, strict=True)] for row in rows)
    # A BOM so that spreadsheet programs read the Cyrillic as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _number_format(column: Column) -> str | None:
    if column.is_date:
        return "DD.MM.YYYY"
    if column.decimals:
        return "0." + "0" * column.decimals
    if column.decimals == 0:
        return "0"
    return None


def to_xlsx(rows, *, title: str, header: list[Column] | None = None) -> bytes:
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    header = header or columns()
    sheet.append([c.title for c in header])
    formats = [_number_format(c) for c in header]
    for row in rows:
        sheet.append(row)
        for cell, number_format in zip(sheet[sheet.max_row], formats, strict=True):
            # openpyxl stores a string starting with "=" as a formula; every text is a string.
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif cell.value is not None and number_format:
                cell.number_format = number_format
    for index, column in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
