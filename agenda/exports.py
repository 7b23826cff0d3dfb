"""Who registered to a date, as the team reads it: the number to call, who registered whom, and the list as a
spreadsheet (CSV for French Excel, or XLSX) that stays text whatever a name typed at the desk starts with.
"""

import csv
import io
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A cell starting with one of these is a formula to a spreadsheet: a name typed at the desk must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def registration_list(occurrence, format):
    """The file's bytes and name: who registered to `occurrence`, as CSV for French Excel (BOM, semicolons) or XLSX."""
    registrations = occurrence.registrations.select_related("person", "registered_by").order_by("created_at", "pk")
    headings = [_("Nom"), _("Téléphone"), _("État"), _("Inscription le"), _("Inscription faite par")]
    rows = [_export_row(registration) for registration in registrations]
    filename = f"{occurrence.event.slug}-{timezone.localtime(occurrence.start):%Y-%m-%d}.{format}"
    body = _csv(headings, rows) if format == "csv" else _xlsx(headings, rows, occurrence)
    return body, filename


def contact_phone(registration):
    """The number to call: the one typed at the desk, or the person's own."""
    return registration.phone or (registration.person.phone if registration.person_id else None) or None


def phone_text(phone):
    """ "06 12 34 56 78" for a French number, "+44 20 …" for another."""
    if not phone:
        return ""
    return phone.as_national if phone.country_code == 33 else phone.as_international


def registered_by_text(registration):
    by = registration.registered_by
    if registration.person_id is None:
        return _("À l'accueil (%(name)s)") % {"name": by} if by else _("À l'accueil")
    if by is not None and by.pk != registration.person_id:
        return _("Par %(name)s") % {"name": by}
    return _("En ligne")


def _export_row(registration):
    return [
        registration.display_name,
        phone_text(contact_phone(registration)),
        str(registration.get_status_display()),
        timezone.localtime(registration.created_at).replace(tzinfo=None, microsecond=0),
        registered_by_text(registration),
    ]


def _csv(headings, rows):
    buffer = io.StringIO()
    # Excel set to French reads ";" as the separator, and UTF-8 only after a byte order mark.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headings)
    for row in rows:
        writer.writerow(
            [date_format(value, "d/m/Y H:i") if isinstance(value, datetime) else _as_text(value) for value in row]
        )
    return buffer.getvalue().encode("utf-8")


def _as_text(value):
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _xlsx(headings, rows, occurrence):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = timezone.localtime(occurrence.start).strftime("%d-%m-%Y")
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # openpyxl reads a string starting with "=" as a formula; a typed name is text.
                cell.data_type = "s"
            elif isinstance(cell.value, datetime):
                cell.number_format = "DD/MM/YYYY HH:MM"
    for column, width in zip("ABCDE", (30, 18, 20, 18, 30), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
