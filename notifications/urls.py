"""My notifications under /notifications/: the inbox, opening one, all read, how to be told; the SMS provider's
webhook."""

from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("tout-lu/", views.mark_all_as_read, name="all_read"),
    path("<int:notification_id>/", views.open_notification, name="open"),
    path("comment-etre-prevenu/", views.preferences, name="preferences"),
    path("comment-etre-prevenu/plus-de-sms/", views.stop_my_sms, name="stop_sms"),
    path("comment-etre-prevenu/recevoir-des-sms/", views.resume_my_sms, name="resume_sms"),
    # The SMS provider's delivery reports and replies (a machine's address, authenticated by a secret).
    path("sms/webhook/", views.sms_webhook, name="sms_webhook"),
]
