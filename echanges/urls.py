"""The exchange's addresses under /echanges/."""

from django.urls import path

from core.addresses import private
from echanges.views import conversations, offers, reports, team

app_name = "echanges"

urlpatterns = [
    # Offers and requests (echanges.views.offers).
    path("", offers.echanges, name="listing"),
    private(path("proposer/", offers.post, name="post")),
    private(path("mes-echanges/", offers.mine, name="mine")),
    path("annonces/<int:offer_id>/", offers.offer, name="offer"),
    path("annonces/<int:offer_id>/modifier/", offers.edit, name="edit"),
    path("annonces/<int:offer_id>/retirer/", offers.withdraw, name="withdraw"),
    path("annonces/<int:offer_id>/remettre-en-ligne/", offers.restore, name="restore"),
    path("annonces/<int:offer_id>/renouveler/", offers.renew, name="renew"),
    # Talking and agreeing (echanges.views.conversations).
    path("annonces/<int:offer_id>/repondre/", conversations.answer, name="answer"),
    private(path("conversations/", conversations.my_conversations, name="conversations")),
    private(path("conversations/<int:conversation_id>/", conversations.conversation, name="conversation")),
    private(
        path(
            "conversations/<int:conversation_id>/nouveaux/",
            conversations.new_messages,
            name="conversation_messages",
        )
    ),
    private(path("conversations/<int:conversation_id>/accord/", conversations.propose, name="propose")),
    private(path("accords/<int:agreement_id>/accepter/", conversations.accept, name="accept")),
    private(path("accords/<int:agreement_id>/annuler/", conversations.decline, name="decline")),
    private(path("accords/<int:agreement_id>/confirmer/", conversations.confirm, name="confirm")),
    private(path("personnes/<int:person_id>/bloquer/", conversations.block, name="block")),
    private(path("personnes/<int:person_id>/debloquer/", conversations.unblock, name="unblock")),
    private(path("mes-heures/", conversations.statement, name="statement")),
    # Reporting to the centre's team (echanges.views.reports).
    path("annonces/<int:offer_id>/signaler/", reports.report_offer, name="report_offer"),
    path("messages/<int:message_id>/signaler/", reports.report_message, name="report_message"),
    private(path("personnes/<int:person_id>/signaler/", reports.report_person, name="report_person")),
    # The centre team's reports, for whoever runs the centre, admin access or not (docs/adr/0008).
    private(path("equipe/signalements/", reports.team_reports, name="team_reports")),
    private(path("equipe/signalements/<int:report_id>/", reports.team_report, name="team_report")),
    # The centre team's pages (echanges.views.team).
    private(path("equipe/chiffres/", team.figures, name="figures")),
    private(path("equipe/heures/", team.correction, name="correction")),
]
