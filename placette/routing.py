"""WebSocket routes under /ws/; each app that has sockets adds its consumers here."""

from django.urls import path

from notifications.consumers import NotificationConsumer

websocket_urlpatterns = [path("ws/notifications/", NotificationConsumer.as_asgi())]
