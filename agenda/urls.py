"""The agenda's addresses under /agenda/ (activities' own pages live in Wagtail's tree, under their centre)."""

from django.urls import path

from agenda.views import feeds, programme, proposals, public, registrations, team
from core.addresses import private

urlpatterns = [
    path("", public.agenda, name="agenda"),
    path("inscription/<int:occurrence_id>/", registrations.confirm_registration, name="agenda_confirm_registration"),
    path("dates/<int:occurrence_id>/inscription/", registrations.register, name="agenda_register"),
    path("inscriptions/<int:registration_id>/annuler/", registrations.cancel, name="agenda_cancel"),
    private(path("mes-inscriptions/", registrations.my_registrations, name="agenda_my_registrations")),
    private(path("mes-inscriptions/adresse/", registrations.renew_calendar_address, name="agenda_renew_calendar")),
    private(
        path(
            "mes-inscriptions/adresse/supprimer/",
            registrations.forget_calendar_address,
            name="agenda_forget_calendar",
        )
    ),
    path("proposer/", proposals.propose_activity, name="agenda_propose"),
    path("calendrier.ics", feeds.network, name="agenda_feed"),
    path("centre/<int:centre_id>/calendrier.ics", feeds.centre, name="agenda_centre_feed"),
    path("categorie/<slug:slug>/calendrier.ics", feeds.category, name="agenda_category_feed"),
    path("activite/<int:event_id>/calendrier.ics", feeds.event, name="agenda_event_feed"),
    path("dates/<int:occurrence_id>/calendrier.ics", feeds.occurrence, name="agenda_occurrence_feed"),
    private(path("mon-agenda/<str:token>.ics", feeds.personal, name="agenda_personal_feed")),
    path("centre/<int:centre_id>/programme/", programme.programme, name="agenda_programme"),
    # The centre team's pages (agenda.views.team).
    private(path("equipe/", team.dashboard, name="agenda_staff")),
    private(path("equipe/dates/<int:occurrence_id>/", team.occurrence, name="agenda_staff_occurrence")),
    private(path("equipe/inscriptions/<int:registration_id>/presence/", team.attendance, name="agenda_attendance")),
    private(path("equipe/dates/<int:occurrence_id>/accueil/", team.front_desk, name="agenda_front_desk")),
    private(
        path("equipe/dates/<int:occurrence_id>/annuler/", team.cancel_occurrence, name="agenda_cancel_occurrence")
    ),
    private(path("equipe/dates/<int:occurrence_id>/deplacer/", team.move_occurrence, name="agenda_move_occurrence")),
    private(path("equipe/dates/<int:occurrence_id>/liste.<str:format>", team.export, name="agenda_export")),
]
