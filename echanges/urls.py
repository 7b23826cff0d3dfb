"""The exchange's addresses under /echanges/."""

from django.urls import path

from core.addresses import private
from echanges.views import conversations, offers, reports, team

urlpatterns = [
    # Offers and requests (echanges.views.offers).
    path("", offers.echanges, name="echanges"),
    private(path("proposer/", offers.post, name="echanges_post")),
    private(path("mes-echanges/", offers.mine, name="echanges_mine")),
    path("annonces/<int:offer_id>/", offers.offer, name="echanges_offer"),
    path("annonces/<int:offer_id>/modifier/", offers.edit, name="echanges_edit"),
    path("annonces/<int:offer_id>/retirer/", offers.withdraw, name="echanges_withdraw"),
    path("annonces/<int:offer_id>/remettre-en-ligne/", offers.restore, name="echanges_restore"),
    path("annonces/<int:offer_id>/renouveler/", offers.renew, name="echanges_renew"),
    # Talking and agreeing (echanges.views.conversations).
    path("annonces/<int:offer_id>/repondre/", conversations.answer, name="echanges_answer"),
    private(path("conversations/", conversations.my_conversations, name="echanges_conversations")),
    private(path("conversations/<int:conversation_id>/", conversations.conversation, name="echanges_conversation")),
    private(
        path(
            "conversations/<int:conversation_id>/nouveaux/",
            conversations.new_messages,
            name="echanges_conversation_messages",
        )
    ),
    private(path("conversations/<int:conversation_id>/accord/", conversations.propose, name="echanges_propose")),
    private(path("accords/<int:agreement_id>/accepter/", conversations.accept, name="echanges_accept")),
    private(path("accords/<int:agreement_id>/annuler/", conversations.decline, name="echanges_decline")),
    private(path("accords/<int:agreement_id>/confirmer/", conversations.confirm, name="echanges_confirm")),
    private(path("personnes/<int:person_id>/bloquer/", conversations.block, name="echanges_block")),
    private(path("personnes/<int:person_id>/debloquer/", conversations.unblock, name="echanges_unblock")),
    private(path("mes-heures/", conversations.statement, name="echanges_statement")),
    # Reporting to the centre's team (echanges.views.reports).
    path("annonces/<int:offer_id>/signaler/", reports.report_offer, name="echanges_report_offer"),
    path("messages/<int:message_id>/signaler/", reports.report_message, name="echanges_report_message"),
    private(path("personnes/<int:person_id>/signaler/", reports.report_person, name="echanges_report_person")),
    # The centre team's reports, for whoever runs the centre, admin access or not (docs/adr/0008).
    private(path("equipe/signalements/", reports.team_reports, name="echanges_team_reports")),
    private(path("equipe/signalements/<int:report_id>/", reports.team_report, name="echanges_team_report")),
    # The centre team's pages (echanges.views.team).
    private(path("equipe/chiffres/", team.figures, name="echanges_figures")),
    private(path("equipe/heures/", team.correction, name="echanges_correction")),
]
