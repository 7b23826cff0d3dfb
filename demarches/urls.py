"""The procedures' calendar under /demarches/, following procedures, and the front desk's contacts."""

from django.urls import path

from core.addresses import private
from demarches import views, views_following, views_front_desk

app_name = "demarches"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("echeances.ics", views.feed, name="feed"),
    # Before the procedures' own addresses, which would take these words for a procedure's.
    private(path("mes-demarches/", views_following.my_follows, name="my_follows")),
    private(path("equipe/", views_front_desk.front_desk, name="front_desk")),
    private(path("equipe/centre/<int:centre_id>/", views_front_desk.contacts, name="contacts")),
    private(path("equipe/centre/<int:centre_id>/prevenir/", views_front_desk.new_contact, name="new_contact")),
    private(path("equipe/contacts/<int:contact_id>/", views_front_desk.edit_contact, name="edit_contact")),
    private(
        path("equipe/contacts/<int:contact_id>/supprimer/", views_front_desk.delete_contact, name="delete_contact")
    ),
    path("d/<int:procedure_id>/", views_following.short_link, name="short"),
    path("<slug:slug>/", views.procedure, name="procedure"),
    path("<slug:slug>/echeances.ics", views.procedure_feed, name="procedure_feed"),
    # Not marked private (that would take all of /demarches/ out of the page cache): they answer a visitor without
    # cookies with a redirect, which the cache never keeps.
    path("<slug:slug>/suivre/", views_following.follow, name="follow"),
    path("<slug:slug>/ne-plus-suivre/", views_following.unfollow, name="unfollow"),
]
