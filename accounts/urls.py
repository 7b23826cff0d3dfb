"""Account addresses under /compte/, in French; allauth's own pages are included beside them."""

from allauth.account import views as allauth_views
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.my_account, name="my_account"),
    path("vie-privee/", views.privacy, name="privacy"),
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees.json", views.my_data_json, name="my_data_json"),
    path("supprimer/", views.delete_account, name="delete_account"),
    path("centres/<int:centre_id>/rejoindre/", views.join, name="join_centre"),
    path("centres/<int:centre_id>/quitter/", views.leave, name="leave_centre"),
    path("accords/", views.consent_give, name="give_consent"),
    path("accords/<int:consent_id>/retirer/", views.consent_withdraw, name="withdraw_consent"),
    path("accompagnement/", views.accompaniment, name="accompaniment"),
    path("accompagnement/nouveau/", views.accompanied_create, name="create_accompanied"),
    path("accompagnement/<int:user_id>/reprendre/", views.take_over, name="take_over"),
    path("accompagnement/<int:user_id>/agir/", views.act_for_start, name="act_for"),
    path("agir/arreter/", views.act_for_stop, name="stop_acting"),
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
