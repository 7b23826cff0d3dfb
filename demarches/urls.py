"""The procedures' calendar under /demarches/, following procedures, the team's pages (front desk, call-backs,
mandates, SMS campaigns) and the resident's own."""

from django.urls import path

from core.addresses import private
from demarches import (
    callback_views,
    campaign_views,
    resident_views,
    team_views,
    views,
    views_following,
    views_front_desk,
)

app_name = "demarches"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("echeances.ics", views.feed, name="feed"),
    # Before the procedures' `<slug>/`: these addresses are never a procedure's.
    private(path("equipe/a-rappeler/", callback_views.callback_list, name="callbacks")),
    private(path("equipe/a-rappeler/<int:callback_id>/fait/", callback_views.callback_done, name="callback_done")),
    private(path("equipe/mandats/", team_views.mandates, name="team_mandates")),
    private(path("equipe/mandats/nouveau/", team_views.new_mandate, name="new_mandate")),
    private(path("equipe/mandats/<int:mandate_id>/", team_views.mandate, name="team_mandate")),
    private(path("equipe/mandats/<int:mandate_id>/arreter/", team_views.revoke, name="revoke_mandate")),
    private(path("equipe/mandats/<int:mandate_id>/imprimer/", team_views.printable, name="print_mandate")),
    private(path("equipe/mandats/<int:mandate_id>/papier-signe/", team_views.consent_scan, name="consent_scan")),
    private(path("mes-mandats/", resident_views.my_mandates, name="my_mandates")),
    private(path("mes-mandats/<int:mandate_id>/", resident_views.my_mandate, name="my_mandate")),
    private(path("mes-mandats/<int:mandate_id>/arreter/", resident_views.revoke_my_mandate, name="revoke_my_mandate")),
    private(path("mes-mandats/<int:mandate_id>/imprimer/", resident_views.print_my_mandate, name="print_my_mandate")),
    # Before the procedures' own addresses, which would take these words for a procedure's.
    private(path("mes-demarches/", views_following.my_follows, name="my_follows")),
    private(path("equipe/", views_front_desk.front_desk, name="front_desk")),
    private(path("equipe/centre/<int:centre_id>/", views_front_desk.contacts, name="contacts")),
    private(path("equipe/centre/<int:centre_id>/prevenir/", views_front_desk.new_contact, name="new_contact")),
    private(path("equipe/contacts/<int:contact_id>/", views_front_desk.edit_contact, name="edit_contact")),
    private(
        path("equipe/contacts/<int:contact_id>/supprimer/", views_front_desk.delete_contact, name="delete_contact")
    ),
    private(
        path(
            "equipe/contacts/<int:contact_id>/sms-de-nouveau/",
            views_front_desk.resume_contact_sms,
            name="resume_contact_sms",
        )
    ),
    path("d/<int:procedure_id>/", views_following.short_link, name="short"),
    # A centre team's SMS campaigns (demarches.campaign_views), before the procedures' slugs.
    private(path("equipe/campagnes/", campaign_views.campaign_list, name="campaigns")),
    private(
        path("equipe/campagnes/centre/<int:centre_id>/nouvelle/", campaign_views.new_campaign, name="new_campaign")
    ),
    private(path("equipe/campagnes/<int:campaign_id>/", campaign_views.campaign, name="campaign")),
    private(path("equipe/campagnes/<int:campaign_id>/message/", campaign_views.write, name="campaign_write")),
    private(path("equipe/campagnes/<int:campaign_id>/apercu/", campaign_views.preview, name="campaign_preview")),
    private(path("equipe/campagnes/<int:campaign_id>/envoyer/", campaign_views.confirm, name="campaign_confirm")),
    private(path("equipe/campagnes/<int:campaign_id>/annuler/", campaign_views.cancel, name="campaign_cancel")),
    path("<slug:slug>/", views.procedure, name="procedure"),
    path("<slug:slug>/echeances.ics", views.procedure_feed, name="procedure_feed"),
    # Not marked private (that would take all of /demarches/ out of the page cache): they answer a visitor without
    # cookies with a redirect, which the cache never keeps.
    path("<slug:slug>/suivre/", views_following.follow, name="follow"),
    path("<slug:slug>/ne-plus-suivre/", views_following.unfollow, name="unfollow"),
]
