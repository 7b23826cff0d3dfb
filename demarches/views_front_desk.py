"""The front desk's pages, made for a phone: people without an account the centre reminds of procedures by SMS.

A contact is recorded with the person's consent (who took it, when); each id is looked up among the contacts of
the centres the user runs, so another centre's contact is a 404; every write goes through `demarches.services`,
which checks the same right again.
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.confirmation import ask, confirmed
from accounts.middleware import team_page
from core.listing import paginate
from core.views import attempt
from demarches import services
from demarches.forms import ContactForm
from demarches.models import Contact, Follow
from notifications.models import SmsNumber
from quartier.models import CentrePage


def _run_centre(request, centre_id):
    return get_object_or_404(CentrePage.objects.run_by(request.user), pk=centre_id)


def _run_contact(request, contact_id):
    return get_object_or_404(
        Contact.objects.filter(centre__in=CentrePage.objects.run_by(request.user)).select_related("centre"),
        pk=contact_id,
    )


def _contacts_url(centre):
    return reverse("demarches:contacts", args=[centre.pk])


@team_page
@require_safe
def front_desk(request):
    """The centres I run: straight to the contacts of the only one, else a choice."""
    centres = list(CentrePage.objects.run_by(request.user).order_by("title").only("pk", "title"))
    if len(centres) == 1:
        return redirect(_contacts_url(centres[0]))
    return render(request, "demarches/staff/front_desk.html", {"centres": centres})


@team_page
@require_safe
def contacts(request, centre_id):
    """The centre's contacts: who, which number, what they follow, their consent; a STOP shown plainly."""
    centre = _run_centre(request, centre_id)
    rows = (
        Contact.objects.filter(centre=centre)
        .select_related("consent_taken_by")
        .prefetch_related(
            Prefetch("follows", queryset=Follow.objects.select_related("procedure").order_by("procedure__name"))
        )
        .order_by("name", "pk")
    )
    page = paginate(request, rows)
    people = list(page.object_list)
    stops = dict(
        SmsNumber.objects.filter(
            phone__in=[contact.phone for contact in people], stopped_at__isnull=False
        ).values_list("phone", "stopped_at")
    )
    for contact in people:
        contact.stopped_at = stops.get(contact.phone)
    return render(
        request,
        "demarches/staff/contacts.html",
        {"centre": centre, "contacts": people, "page_obj": page},
    )


def _saved_message(request, contact, created):
    text = _("%(name)s est enregistré : les rappels partiront par SMS.") if created else _("%(name)s est mis à jour.")
    messages.success(request, text % {"name": contact.name})


@team_page
def new_contact(request, centre_id):
    """ "Prévenir quelqu'un sans compte": name, mobile, procedures, when, and the person's consent."""
    centre = _run_centre(request, centre_id)
    form = ContactForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        saved = attempt(form, services.save_contact, centre, by=request.user, **_values(form))
        if saved is not None:
            _saved_message(request, *saved)
            return redirect(_contacts_url(centre))
    return render(
        request,
        "demarches/staff/contact_form.html",
        {"centre": centre, "form": form, "contact": None, "back_url": _contacts_url(centre)},
        status=400 if form.errors else 200,
    )


@team_page
def edit_contact(request, contact_id):
    """Change what a contact follows (their consent is asked again, as it covers these procedures)."""
    contact = _run_contact(request, contact_id)
    initial = {
        "name": contact.name,
        "phone": contact.phone,
        "procedures": list(contact.follows.values_list("procedure_id", flat=True)),
        "days_before": contact.follows.values_list("days_before", flat=True).first() or Follow.DaysBefore.SEVEN,
        "accepts_campaigns": contact.accepts_campaigns,
    }
    form = ContactForm(request.POST or None, centre=contact.centre, contact=contact, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = attempt(form, services.save_contact, contact.centre, by=request.user, contact=contact, **_values(form))
        if saved is not None:
            _saved_message(request, *saved)
            return redirect(_contacts_url(contact.centre))
    return render(
        request,
        "demarches/staff/contact_form.html",
        {"centre": contact.centre, "form": form, "contact": contact, "back_url": _contacts_url(contact.centre)},
        status=400 if form.errors else 200,
    )


def _values(form):
    data = form.cleaned_data
    return {
        "name": data["name"],
        "phone": data["phone"],
        "procedures": data["procedures"],
        "days_before": data["days_before"],
        "accepts_campaigns": data["accepts_campaigns"],
    }


@team_page
def resume_contact_sms(request, contact_id):
    """After a STOP, the person says at the desk that they want SMS again: asked first, then recorded with who."""
    contact = _run_contact(request, contact_id)
    back = _contacts_url(contact.centre)
    if confirmed(request):
        if services.resume_contact_sms(contact, by=request.user):
            messages.success(request, _("C'est noté : %(name)s recevra de nouveau des SMS.") % {"name": contact.name})
        return redirect(back)
    return ask(
        request,
        question=_("%(name)s veut de nouveau des SMS ?") % {"name": contact.name},
        explanation=[
            _("La personne a répondu STOP. Ne changez ce choix que si elle vous le demande elle-même."),
            _("Votre nom et la date sont gardés avec ce changement."),
        ],
        yes=_("Oui, elle veut de nouveau des SMS"),
        no=_("Non, ne rien changer"),
        back=back,
    )


@team_page
def delete_contact(request, contact_id):
    """ "Supprimer ce contact": the person and what they follow are erased; a STOP they said is kept."""
    contact = _run_contact(request, contact_id)
    back = _contacts_url(contact.centre)
    if confirmed(request):
        services.delete_contact(contact, by=request.user)
        messages.success(request, _("%(name)s est supprimé, avec ses rappels.") % {"name": contact.name})
        return redirect(back)
    return ask(
        request,
        question=_("Supprimer %(name)s ?") % {"name": contact.name},
        explanation=[
            _("Son nom, son numéro et les démarches suivies sont effacés. Plus aucun rappel ne part."),
            _("Si la personne a répondu STOP, ce choix est gardé : elle ne recevra plus de SMS de Placette."),
        ],
        yes=_("Oui, supprimer ce contact"),
        no=_("Non, garder ce contact"),
        back=back,
    )
