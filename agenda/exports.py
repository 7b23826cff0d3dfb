"""Who registered to a date, as the team reads it: the number to call, who registered whom, and the list as a
spreadsheet (CSV for French Excel, or XLSX) that stays text whatever a name typed at the desk starts with.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import FORMATS, csv_bytes, xlsx_bytes

EXPORT_FORMATS = FORMATS


def registration_list(occurrence, format):
    """The file's bytes and name: who registered to `occurrence`, as CSV for French Excel (BOM, semicolons) or XLSX."""
    registrations = occurrence.registrations.select_related("person", "registered_by").order_by("created_at", "pk")
    headings = [_("Nom"), _("Téléphone"), _("État"), _("Inscription le"), _("Inscription faite par")]
    rows = [_export_row(registration) for registration in registrations]
    filename = f"{occurrence.event.slug}-{timezone.localtime(occurrence.start):%Y-%m-%d}.{format}"
    body = csv_bytes(headings, rows) if format == "csv" else _xlsx(headings, rows, occurrence)
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


def _xlsx(headings, rows, occurrence):
    title = timezone.localtime(occurrence.start).strftime("%d-%m-%Y")
    return xlsx_bytes(headings, rows, title=title, widths=(30, 18, 20, 18, 30))
