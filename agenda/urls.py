"""The agenda's addresses under /agenda/ (activities' own pages live in Wagtail's tree, under their centre)."""

from django.urls import path

from agenda.views import feeds, programme, proposals, public, registrations, team
from core.addresses import private

app_name = "agenda"

urlpatterns = [
    path("", public.agenda, name="listing"),
    path("inscription/<int:occurrence_id>/", registrations.confirm_registration, name="confirm_registration"),
    path("dates/<int:occurrence_id>/inscription/", registrations.register, name="register"),
    path("inscriptions/<int:registration_id>/annuler/", registrations.cancel, name="cancel"),
    private(path("mes-inscriptions/", registrations.my_registrations, name="my_registrations")),
    private(path("mes-inscriptions/adresse/", registrations.renew_calendar_address, name="renew_calendar")),
    private(
        path(
            "mes-inscriptions/adresse/supprimer/",
            registrations.forget_calendar_address,
            name="forget_calendar",
        )
    ),
    path("proposer/", proposals.propose_activity, name="propose"),
    path("calendrier.ics", feeds.network, name="feed"),
    path("centre/<int:centre_id>/calendrier.ics", feeds.centre, name="centre_feed"),
    path("categorie/<slug:slug>/calendrier.ics", feeds.category, name="category_feed"),
    path("activite/<int:event_id>/calendrier.ics", feeds.event, name="event_feed"),
    path("dates/<int:occurrence_id>/calendrier.ics", feeds.occurrence, name="occurrence_feed"),
    private(path("mon-agenda/<str:token>.ics", feeds.personal, name="personal_feed")),
    path("centre/<int:centre_id>/programme/", programme.programme, name="programme"),
    # The centre team's pages (agenda.views.team).
    private(path("equipe/", team.dashboard, name="team")),
    private(path("equipe/dates/<int:occurrence_id>/", team.occurrence, name="team_occurrence")),
    private(path("equipe/inscriptions/<int:registration_id>/presence/", team.attendance, name="attendance")),
    private(path("equipe/dates/<int:occurrence_id>/accueil/", team.front_desk, name="front_desk")),
    private(path("equipe/dates/<int:occurrence_id>/annuler/", team.cancel_occurrence, name="cancel_occurrence")),
    private(path("equipe/dates/<int:occurrence_id>/deplacer/", team.move_occurrence, name="move_occurrence")),
    private(path("equipe/dates/<int:occurrence_id>/liste.<str:format>", team.export, name="export")),
]
