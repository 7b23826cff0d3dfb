"""The mediation records under /suivi/: the team's pages (all under equipe/) and the resident's erasure."""

from django.urls import path

from suivi import appointment_views, record_views, views
from suivi import dashboard_views as figures

app_name = "suivi"

urlpatterns = [
    path("equipe/", views.team_home, name="team_home"),
    path("equipe/centre/<int:centre_id>/noter/", views.new_record, name="new_record"),
    path("equipe/centre/<int:centre_id>/personnes/", views.people, name="people"),
    path("equipe/personnes/<int:person_id>/", views.person, name="person"),
    path("equipe/personnes/<int:person_id>/informations/", views.bands, name="bands"),
    path("equipe/centre/<int:centre_id>/export/", record_views.export_centre, name="export_centre"),
    path("equipe/reseau/export/", record_views.export_network, name="export_network"),
    path("equipe/accompagnements/<int:record_id>/", record_views.edit_record, name="edit_record"),
    path("equipe/accompagnements/<int:record_id>/supprimer/", record_views.delete_record, name="delete_record"),
    path("equipe/a-suivre/", views.follow_ups, name="follow_ups"),
    path("equipe/accompagnements/<int:record_id>/suivi-fait/", views.followed_up, name="followed_up"),
    path("equipe/centre/<int:centre_id>/chiffres/", figures.dashboard, name="figures"),
    path("equipe/centre/<int:centre_id>/chiffres/<slug:table>/<slug:format>/", figures.export, name="figures_export"),
    path("equipe/centre/<int:centre_id>/rapport/<int:year>/", figures.report, name="report"),
    path("equipe/reseau/chiffres/", figures.dashboard, name="network_figures"),
    path("equipe/reseau/chiffres/<slug:table>/<slug:format>/", figures.export, name="network_figures_export"),
    path("equipe/reseau/rapport/<int:year>/", figures.report, name="network_report"),
    path("mes-donnees/<int:person_id>/effacer/", views.erase_my_bands, name="erase_my_bands"),
    # Appointments (suivi/appointment_views.py); the resident's pages are under /rendez-vous/.
    path("equipe/rendez-vous/", appointment_views.day, name="day"),
    path("equipe/rendez-vous/mes-rendez-vous.ics", appointment_views.calendar, name="calendar"),
    path("equipe/rendez-vous/<int:appointment_id>/honore/", appointment_views.mark, name="mark_appointment"),
    path("equipe/rendez-vous/<int:appointment_id>/annuler/", appointment_views.team_cancel, name="team_cancel"),
    path("equipe/centre/<int:centre_id>/rendez-vous/", appointment_views.open_hours, name="open_hours"),
    path("equipe/centre/<int:centre_id>/rendez-vous/prendre/", appointment_views.book_for, name="book_for"),
]
