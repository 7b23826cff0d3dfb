"""The ASGI application daphne serves: pages over HTTP, sockets only under known /ws/ routes."""

import pytest
from channels.testing import HttpCommunicator, WebsocketCommunicator


@pytest.fixture
def application():
    # Imported once the test settings apply: the ASGI handler builds its middleware on import.
    from placette.asgi import application

    return application


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_asgi_serves_the_home_page(application, home):
    communicator = HttpCommunicator(application, "GET", "/", headers=[(b"host", b"localhost")])
    response = await communicator.get_response()
    assert response["status"] == 200
    assert b"Placette" in response["body"]


@pytest.mark.asyncio
# The stack's auth middleware may close an old database connection left by an earlier test.
@pytest.mark.django_db
async def test_a_socket_from_a_foreign_origin_is_refused(application):
    communicator = WebsocketCommunicator(
        application, "/ws/notifications/", headers=[(b"origin", b"https://ailleurs.example"), (b"host", b"localhost")]
    )
    connected, _ = await communicator.connect()
    assert not connected
    await communicator.disconnect()
