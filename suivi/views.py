"""The centre team's pages, made for a phone after a session: note it in a few taps, the people helped and their
history, the follow-ups due; and the resident's own erasure of their bands, reached from "Mes données".

Every id is looked up among the rows of the centres the user runs (`for_centre_team`), so another centre's person
or record is a 404; every write goes through `suivi.services`, which checks the same right again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.confirmation import ask, confirmed
from accounts.middleware import team_page
from core.listing import paginate
from core.views import attempt, refusals_as_messages
from quartier.models import CentrePage
from suivi import appointment_views, lists, services
from suivi.forms import BandsForm, RecordForm
from suivi.models import MediationRecord, Person


def _team_centre(request, centre_id):
    return get_object_or_404(CentrePage.objects.run_by(request.user), pk=centre_id)


def _team_person(request, person_id):
    return get_object_or_404(
        Person.objects.for_centre_team(request.user).select_related("centre", "user"), pk=person_id
    )


@team_page
@require_GET
def team_home(request):
    """The centres I run, each with its two doors; and how many follow-ups are due."""
    centres = list(CentrePage.objects.run_by(request.user).order_by("title"))
    return render(
        request,
        "suivi/team_home.html",
        {"centres": centres, "due": MediationRecord.objects.follow_ups_due(request.user).count()},
    )


@team_page
def new_record(request, centre_id):
    """ "Noter un accompagnement"; `q` searches the centre's people by name or label, `personne` picks one."""
    centre = _team_centre(request, centre_id)
    initial = {}
    if request.GET.get("personne", "").isdigit():
        initial["person"] = request.GET["personne"]
    initial.update(appointment_views.record_initial(request, centre))
    form = RecordForm(
        request.POST or None, centre=centre, mediator=request.user, search=request.GET.get("q", ""), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = [data["person"]] if data["person"] else []
        if data["member"]:
            people = [services.person_for_account(centre, data["member"])]
        elif data["new_label"]:
            people = [services.add_person(centre, label=data["new_label"], by=request.user)]
        record = attempt(
            form,
            services.record_session,
            centre,
            request.user,
            people=people,
            occurrence=data["occurrence"],
            **form.record_fields(),
        )
        if record is not None:
            messages.success(request, _("C'est noté."))
            if len(people) == 1 and record.kind != lists.Kind.WORKSHOP:
                return redirect("suivi:person", people[0].pk)
            return redirect("suivi:team_home")
    return render(
        request, "suivi/new_record.html", {"form": form, "centre": centre}, status=400 if form.errors else 200
    )


@team_page
@require_GET
def people(request, centre_id):
    """The people the centre helps, the last helped first."""
    centre = _team_centre(request, centre_id)
    page = paginate(
        request, Person.objects.filter(centre=centre).select_related("user").order_by("-created_at", "-pk")
    )
    return render(request, "suivi/people.html", {"centre": centre, "page_obj": page, "people": page.object_list})


@team_page
def person(request, person_id):
    """One person's history in the centre: who helped, when, on what, what remains; and their bands."""
    person = _team_person(request, person_id)
    records = (
        MediationRecord.objects.filter(participants__person=person)
        .select_related("recorded_by", "updated_by")
        .prefetch_related("themes", "mediators")
        .order_by("-date", "-pk")
    )
    return render(
        request,
        "suivi/person.html",
        {"person": person, "records": records, "today": timezone.localdate()},
    )


@team_page
def bands(request, person_id):
    """The person's bands, noted with their consent; unticking the consent erases them."""
    person = _team_person(request, person_id)
    initial = {name: getattr(person, name) for name in ("gender", "age_band", "commune", "situation")}
    initial["first_visit"] = {True: "oui", False: "non"}.get(person.first_visit, "")
    initial["consent"] = person.consent_given_at is not None
    form = BandsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["consent"]:
            services.set_bands(person, request.user, consent=True, **form.bands())
            messages.success(request, _("C'est noté."))
        else:
            services.erase_bands(person)
            messages.success(request, _("Rien n'est noté sur la personne."))
        return redirect("suivi:person", person.pk)
    return render(request, "suivi/bands.html", {"person": person, "form": form}, status=400 if form.errors else 200)


@team_page
@require_GET
def follow_ups(request):
    """ "À suivre": the follow-up dates due on the records I took part in, the oldest first."""
    records = (
        MediationRecord.objects.follow_ups_due(request.user)
        .select_related("centre")
        .prefetch_related("themes", Prefetch("participants__person__user"))
    )
    page = paginate(request, records)
    return render(request, "suivi/follow_ups.html", {"page_obj": page, "records": page.object_list})


@team_page
@require_POST
@refusals_as_messages(back=lambda request, **kwargs: reverse("suivi:follow_ups"))
def followed_up(request, record_id):
    get_object_or_404(MediationRecord.objects.for_centre_team(request.user), pk=record_id)
    services.mark_followed_up(record_id, request.user)
    messages.success(request, _("Suivi fait : il sort de la liste."))
    return redirect("suivi:follow_ups")


@login_required
def erase_my_bands(request, person_id):
    """From "Mes données": the resident erases what a centre noted about them, after one confirmation."""
    person = get_object_or_404(Person.objects.filter(user=request.user).select_related("centre"), pk=person_id)
    back = reverse("accounts:my_data")
    if not confirmed(request):
        return ask(
            request,
            question=_("Effacer ce que %s a noté sur vous ?") % person.centre.title,
            explanation=[
                _("Votre genre, votre âge, votre commune et votre situation sont effacés."),
                _("Le centre garde les dates et les thèmes des fois où il vous a aidé, sans ces informations."),
            ],
            yes=_("Oui, effacer"),
            no=_("Non, garder"),
            back=back,
        )
    services.erase_bands(person)
    messages.success(request, _("C'est effacé."))
    return redirect(back)
