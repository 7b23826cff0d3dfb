"""Account addresses under /compte/, in French; allauth's own pages are included beside them."""

from allauth.account import views as allauth_views
from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.my_account, name="mon_compte"),
    path("vie-privee/", views.privacy, name="vie_privee"),
    path("mes-donnees/", views.my_data, name="mes_donnees"),
    path("mes-donnees.json", views.my_data_json, name="mes_donnees_json"),
    path("supprimer/", views.delete_account, name="supprimer_compte"),
    path("centres/<int:centre_id>/rejoindre/", views.join, name="rejoindre_centre"),
    path("centres/<int:centre_id>/quitter/", views.leave, name="quitter_centre"),
    path("accords/", views.consent_give, name="donner_accord"),
    path("accords/<int:consent_id>/retirer/", views.consent_withdraw, name="retirer_accord"),
    path("accompagnement/", views.accompaniment, name="accompagnement"),
    path("accompagnement/nouveau/", views.accompanied_create, name="compte_accompagne"),
    path("accompagnement/<int:user_id>/reprendre/", views.take_over, name="reprendre_compte"),
    path("accompagnement/<int:user_id>/agir/", views.act_for_start, name="agir_pour"),
    path("agir/arreter/", views.act_for_stop, name="arreter_agir"),
    # allauth's own addresses of its code pages, answered by Placette's views before allauth's patterns: a guesser
    # posting there would otherwise meet allauth's count of tries in the session instead of the database's.
    path("login/code/confirm/", views.ConfirmLoginCodeView.as_view()),
    path("phone/verify/", views.verify_phone),
]

# French addresses for allauth's main pages. They reuse allauth's URL names and come after its own
# patterns in placette.urls, so that every link allauth builds points here (reverse() takes the last).
french_aliases = [
    path("connexion/", allauth_views.request_login_code, name="account_request_login_code"),
    path("connexion/code/", views.ConfirmLoginCodeView.as_view(), name="account_confirm_login_code"),
    path("connexion/mot-de-passe/", allauth_views.login, name="account_login"),
    path("inscription/", views.SignupView.as_view(), name="account_signup"),
    path("deconnexion/", allauth_views.logout, name="account_logout"),
]
