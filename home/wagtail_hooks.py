"""What the whole Wagtail admin shares: date pickers that keep what the person typed."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def keep_typed_dates():
    # A plain script, not a module: it must run before the pickers' own set-up further down the page.
    return format_html('<script src="{}"></script>', static("js/admin-dates.js"))
