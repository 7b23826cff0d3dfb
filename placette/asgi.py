"""ASGI entry point: HTTP and WebSockets (under /ws/), served by daphne."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placette.settings")

# Django must be set up before the routing imports consumers and models.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from placette.routing import websocket_urlpatterns  # noqa: E402

# A broadcast to 1 000 sockets makes short-lived objects by the thousand: with the default thresholds
# the collector ran a full pass over Django's and Wagtail's ~175 000 start-up objects at almost every
# one (250–650 ms each). Those objects leave its scans, and the young generation grows (docs/performance.md).
gc.freeze()
gc.set_threshold(50_000, 20, 20)

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
