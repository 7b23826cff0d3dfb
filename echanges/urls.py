"""The exchange's addresses under /echanges/."""

from django.urls import path

from core.addresses import private
from echanges import conversation_views, report_views, staff_views, views

urlpatterns = [
    # Offers and requests (echanges.views).
    path("", views.echanges, name="echanges"),
    private(path("proposer/", views.post, name="echanges_post")),
    private(path("mes-echanges/", views.mine, name="echanges_mine")),
    path("annonces/<int:offer_id>/", views.offer, name="echanges_offer"),
    path("annonces/<int:offer_id>/modifier/", views.edit, name="echanges_edit"),
    path("annonces/<int:offer_id>/retirer/", views.withdraw, name="echanges_withdraw"),
    path("annonces/<int:offer_id>/remettre-en-ligne/", views.restore, name="echanges_restore"),
    path("annonces/<int:offer_id>/renouveler/", views.renew, name="echanges_renew"),
    # Talking and agreeing (echanges.conversation_views).
    path("annonces/<int:offer_id>/repondre/", conversation_views.answer, name="echanges_answer"),
    private(path("conversations/", conversation_views.my_conversations, name="echanges_conversations")),
    private(
        path("conversations/<int:conversation_id>/", conversation_views.conversation, name="echanges_conversation")
    ),
    private(
        path(
            "conversations/<int:conversation_id>/nouveaux/",
            conversation_views.new_messages,
            name="echanges_conversation_messages",
        )
    ),
    private(path("conversations/<int:conversation_id>/accord/", conversation_views.propose, name="echanges_propose")),
    private(path("accords/<int:agreement_id>/accepter/", conversation_views.accept, name="echanges_accept")),
    private(path("accords/<int:agreement_id>/annuler/", conversation_views.decline, name="echanges_decline")),
    private(path("accords/<int:agreement_id>/confirmer/", conversation_views.confirm, name="echanges_confirm")),
    private(path("personnes/<int:person_id>/bloquer/", conversation_views.block, name="echanges_block")),
    private(path("personnes/<int:person_id>/debloquer/", conversation_views.unblock, name="echanges_unblock")),
    private(path("mes-heures/", conversation_views.statement, name="echanges_statement")),
    # Reporting to the centre's team (echanges.report_views).
    path("annonces/<int:offer_id>/signaler/", report_views.report_offer, name="echanges_report_offer"),
    path("messages/<int:message_id>/signaler/", report_views.report_message, name="echanges_report_message"),
    private(path("personnes/<int:person_id>/signaler/", report_views.report_person, name="echanges_report_person")),
    # The centre team's reports, for whoever runs the centre, admin access or not (docs/adr/0008).
    private(path("equipe/signalements/", report_views.team_reports, name="echanges_team_reports")),
    private(path("equipe/signalements/<int:report_id>/", report_views.team_report, name="echanges_team_report")),
    # The centre team's pages (echanges.staff_views).
    private(path("equipe/chiffres/", staff_views.figures, name="echanges_figures")),
    private(path("equipe/heures/", staff_views.correction, name="echanges_correction")),
]
