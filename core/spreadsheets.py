"""Tables as spreadsheets a centre opens in French Excel or LibreOffice: CSV (BOM, semicolons) or XLSX.

Whatever a cell holds stays text when it is text: a name typed at the desk that starts with "=" or "+" would
otherwise be run as a formula by the spreadsheet (CSV injection), so it is written as text in both formats.
"""

import csv
import io
from datetime import date, datetime

from django.utils.formats import date_format
from openpyxl import Workbook

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A cell starting with one of these is a formula to a spreadsheet: a name typed at the desk must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value):
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def csv_bytes(headings, rows):
    """CSV for French Excel: a byte order mark (UTF-8 only after it), ";" between cells, dates as 31/12/2026 14:00."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headings)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def _csv_cell(value):
    if isinstance(value, datetime):
        return date_format(value, "d/m/Y H:i")
    if isinstance(value, str):
        return as_text(value)
    if isinstance(value, float):
        # French Excel reads "1,5" as a number and "1.5" as text.
        return f"{value:g}".replace(".", ",")
    return value


def xlsx_bytes(headings, rows, *, title, widths=()):
    """An XLSX workbook of one sheet named `title`."""
    return workbook_bytes([(title, headings, rows)], widths=widths)


def workbook_bytes(sheets, *, widths=()):
    """An XLSX workbook of one sheet per (title, headings, rows); a title keeps Excel's 31 characters at most."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headings, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(headings)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    # openpyxl reads a string starting with "=" as a formula; a typed name is text.
                    cell.data_type = "s"
                elif isinstance(cell.value, datetime):
                    cell.number_format = "DD/MM/YYYY HH:MM"
                elif isinstance(cell.value, date):
                    cell.number_format = "DD/MM/YYYY"
        # The headings stay in sight while scrolling a long list.
        sheet.freeze_panes = "A2"
        for index, width in enumerate(widths):
            sheet.column_dimensions[chr(ord("A") + index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
