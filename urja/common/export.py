"""Tables leave Urja as CSV or XLSX through here, and only through here.

A cell a spreadsheet would read as a formula (text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return; OWASP "CSV injection") is written with a leading apostrophe, so ``=HYPERLINK(...)`` in a
consumer's name shows as text and runs nothing. Numbers (int, Decimal) and dates are written as numbers
and dates, never neutralised: a negative amount stays a number. Money is never a float: XLSX cells get
the Decimal's exact value and a number format with two decimals.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: Any) -> Any:
    """`value` made safe for a spreadsheet cell: text that would start a formula gets a leading
    apostrophe; numbers, dates and None pass unchanged."""
    if value is None or isinstance(value, (bool, int, Decimal, datetime.date)):
        return value
    if isinstance(value, float):  # never money; counts and ratios only
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _cell_text(value: Any) -> str:
    value = neutralise(value)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _safe_name(filename: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_." else "-" for c in filename)
    return keep.strip(".-") or "export"


def csv_bytes(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads Hindi correctly), CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_cell_text(h) for h in headers])
    for row in rows:
        writer.writerow([_cell_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _write_sheet(book, title: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    from openpyxl.styles import Font

    # a sheet title may hold anything but []:*?/\\ (Excel's rule), at most 31 characters
    ws = book.create_sheet("".join("-" if c in "[]:*?/\\" else c for c in str(title))[:31] or "Sheet")
    ws.append([_cell_text(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values = []
        for value in row:
            value = neutralise(value)
            if isinstance(value, datetime.datetime) and value.tzinfo is not None:
                value = value.replace(tzinfo=None)
            values.append(value)
        ws.append(values)
        for cell, value in zip(ws[ws.max_row], values, strict=False):
            if isinstance(value, Decimal):
                cell.number_format = "0.00" if value.as_tuple().exponent == -2 else "General"
            elif isinstance(value, str):
                cell.data_type = "s"  # never a formula, even if openpyxl would guess one
    ws.freeze_panes = "A2"


Sheet = tuple[str, Sequence[Any], Iterable[Sequence[Any]]]


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    """Several tables as one XLSX workbook, one sheet per ``(title, headers, rows)``: formulas
    neutralised, Decimals exact, text cells always text."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, headers, rows in sheets:
        _write_sheet(book, title, headers, rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_bytes(headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, sheet: str = "Report") -> bytes:
    return workbook_bytes([(_safe_name(sheet), headers, rows)])


def table_response(
    fmt: str, filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A download of the table as ``fmt`` ("csv" or "xlsx"); ValueError for any other format."""
    name = _safe_name(filename)
    if fmt == "csv":
        response = HttpResponse(csv_bytes(headers, rows), content_type=CSV_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    elif fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(headers, rows, sheet=name), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        raise ValueError(fmt)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def workbook_response(filename: str, sheets: Iterable[Sheet]) -> HttpResponse:
    """A download of several tables as one XLSX workbook (``workbook_bytes``)."""
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_safe_name(filename)}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
