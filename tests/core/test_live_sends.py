"""Live messages sent from synchronous code (a view, a service, the worker) reach the group's sockets."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

from core import topics


def test_sends_from_synchronous_code_arrive_in_order():
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)("essai-envois", channel)
    try:
        for number in range(3):
            topics.group_send("essai-envois", {"type": "essai.message", "number": number})

        async def receive_three():
            return [(await layer.receive(channel))["number"] for _ in range(3)]

        assert async_to_sync(receive_three)() == [0, 1, 2]
    finally:
        async_to_sync(layer.group_discard)("essai-envois", channel)


def test_redis_sends_share_one_loop_and_its_connections():
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        pytest.skip("Sans REDIS_URL, la couche en mémoire passe par la boucle du serveur.")
    topics.group_send("essai-boucle", {"type": "essai.message"})
    loop = topics._sending_loop()
    connections = layer._layers[loop]
    topics.group_send("essai-boucle", {"type": "essai.message"})
    # channels-redis keeps its connections per event loop: the same loop for every send keeps the same ones.
    assert topics._sending_loop() is loop
    assert layer._layers[loop] is connections
