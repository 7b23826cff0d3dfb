"""WebSocket routes under /ws/; each app that has sockets adds its consumers here."""

websocket_urlpatterns = []
