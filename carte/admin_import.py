"""The admin's import page: a network admin sends a standard file, sees the dry run, then imports exactly that.

The file waits in the person's session, under the hash of its bytes, between the dry run and "Importer"; the
dry run's fingerprint (carte/imports.py) travels with the form. Before writing, the file is planned again
against the places as they are then: if anything shown would differ (a place changed meanwhile), nothing is
written and the new dry run is shown instead.
"""

import base64
import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from carte import imports
from quartier.models import CentrePage

SESSION_KEY = "carte_import"
MAX_FILE_SIZE = 5 * 1024 * 1024  # 10 000 places of the standard weigh about 5 MB


def may_import(user):
    """Network admins: Django's model permissions on places, which a centre's team does not have."""
    return user.is_active and user.has_perms(["carte.add_usefulplace", "carte.change_usefulplace"])


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier CSV ou JSON"),
        help_text=gettext_lazy("Un fichier au format d'un standard national, en UTF-8, de 5 Mo au plus."),
    )
    standard = forms.ChoiceField(
        label=gettext_lazy("Standard du fichier"),
        choices=[
            (imports.MEDIATION, gettext_lazy("standard-mediation-num (lieux de médiation numérique)")),
            (imports.DATA_INCLUSION, gettext_lazy("data·inclusion (structures)")),
        ],
        initial=imports.MEDIATION,
        widget=forms.RadioSelect,
    )
    centre = forms.ModelChoiceField(
        CentrePage.objects.order_by("title"),
        required=False,
        label=gettext_lazy("Centre qui s'occupera des nouveaux lieux"),
        empty_label=gettext_lazy("Aucun : lieux du réseau"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("Ce fichier pèse %(size)s : 5 Mo au plus. Coupez-le en plusieurs fichiers.")
                % {"size": filesizeformat(upload.size)}
            )
        return upload


class ImportPlacesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "carte/admin/import.html"
    page_title = gettext_lazy("Importer des lieux")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not may_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=ImportForm()))

    def post(self, request, *args, **kwargs):
        if "apply" in request.POST:
            return self.apply()
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        content = form.cleaned_data["file"].read()
        standard, centre = form.cleaned_data["standard"], form.cleaned_data["centre"]
        try:
            plan = imports.plan_import(content, standard, centre=centre)
        except imports.ImportFileError as error:
            for line, message in error.errors:
                form.add_error("file", _("Ligne %(line)s : %(message)s") % {"line": line, "message": message})
            return self.render_to_response(self.get_context_data(form=form))
        request.session[SESSION_KEY] = {
            "digest": plan.digest,
            "content": base64.b64encode(content).decode("ascii"),
            "standard": standard,
            "centre": centre.pk if centre else None,
        }
        return self.render_to_response(self.get_context_data(plan=plan))

    def apply(self):
        request = self.request
        pending = request.session.get(SESSION_KEY)
        content = base64.b64decode(pending["content"]) if pending else b""
        if (
            not pending
            or pending["digest"] != request.POST.get("digest")
            or hashlib.sha256(content).hexdigest() != pending["digest"]
        ):
            messages.error(request, _("Cet aperçu n'est plus disponible : envoyez le fichier à nouveau."))
            return redirect("carte_import")
        centre = CentrePage.objects.filter(pk=pending["centre"]).first() if pending["centre"] else None
        plan = imports.plan_import(content, pending["standard"], centre=centre)
        if plan.fingerprint != request.POST.get("fingerprint"):
            messages.warning(
                request,
                _("Des lieux ont changé depuis l'aperçu. Rien n'a été importé : vérifiez le nouvel aperçu."),
            )
            return self.render_to_response(self.get_context_data(plan=plan))
        replace_lines = {int(line) for line in request.POST.getlist("replace_line") if line.isdigit()}
        counts = imports.apply_plan(
            plan, replace_checked=request.POST.get("replace_checked") == "on", replace_lines=replace_lines
        )
        del request.session[SESSION_KEY]
        messages.success(
            request,
            _(
                "Import terminé : %(created)s lieux créés, %(updated)s mis à jour, %(kept)s vérifiés par leur "
                "centre non remplacés, %(errors)s lignes en erreur non importées."
            )
            % {
                "created": counts[imports.CREATE],
                "updated": counts[imports.UPDATE],
                "kept": counts["kept"],
                "errors": len(plan.errors),
            },
        )
        return redirect(reverse("wagtailsnippets_carte_usefulplace:list"))
