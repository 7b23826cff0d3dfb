"""My notifications under /notifications/: the inbox, opening one, all read, how to be told."""

from django.urls import path

from notifications import views

urlpatterns = [
    path("", views.inbox, name="notifications"),
    path("tout-lu/", views.mark_all_as_read, name="notifications_all_read"),
    path("<int:notification_id>/", views.open_notification, name="notification_open"),
    path("comment-etre-prevenu/", views.preferences, name="notification_preferences"),
]
