"""The agenda's addresses under /agenda/ (activities' own pages live in Wagtail's tree, under their centre)."""

from django.urls import path

from agenda import feeds, programme, proposal_views, staff, views

urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("inscription/<int:occurrence_id>/", views.confirm_registration, name="agenda_confirm_registration"),
    path("dates/<int:occurrence_id>/inscription/", views.register, name="agenda_register"),
    path("inscriptions/<int:registration_id>/annuler/", views.cancel, name="agenda_cancel"),
    path("mes-inscriptions/", views.my_registrations, name="agenda_my_registrations"),
    path("mes-inscriptions/adresse/", views.renew_calendar_address, name="agenda_renew_calendar"),
    path("mes-inscriptions/adresse/supprimer/", views.forget_calendar_address, name="agenda_forget_calendar"),
    path("proposer/", proposal_views.propose_activity, name="agenda_propose"),
    path("calendrier.ics", feeds.network, name="agenda_feed"),
    path("centre/<int:centre_id>/calendrier.ics", feeds.centre, name="agenda_centre_feed"),
    path("categorie/<slug:slug>/calendrier.ics", feeds.category, name="agenda_category_feed"),
    path("activite/<int:event_id>/calendrier.ics", feeds.event, name="agenda_event_feed"),
    path("dates/<int:occurrence_id>/calendrier.ics", feeds.occurrence, name="agenda_occurrence_feed"),
    path("mon-agenda/<str:token>.ics", feeds.personal, name="agenda_personal_feed"),
    path("centre/<int:centre_id>/programme/", programme.programme, name="agenda_programme"),
    # The centre team's pages (agenda.staff).
    path("equipe/", staff.dashboard, name="agenda_staff"),
    path("equipe/dates/<int:occurrence_id>/", staff.occurrence, name="agenda_staff_occurrence"),
    path("equipe/inscriptions/<int:registration_id>/presence/", staff.attendance, name="agenda_attendance"),
    path("equipe/dates/<int:occurrence_id>/accueil/", staff.front_desk, name="agenda_front_desk"),
    path("equipe/dates/<int:occurrence_id>/annuler/", staff.cancel_occurrence, name="agenda_cancel_occurrence"),
    path("equipe/dates/<int:occurrence_id>/deplacer/", staff.move_occurrence, name="agenda_move_occurrence"),
    path("equipe/dates/<int:occurrence_id>/liste.<str:format>", staff.export, name="agenda_export"),
]
