"""`bench/signed_in_http.py` and the pieces of `bench/agenda_http.py` it shares: what can be checked without a load.

The benches import their siblings by name, as they do when run as scripts from bench/, so bench/ is put on the
path for these imports only.
"""

import argparse
import http.server
import importlib
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def benches():
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(BENCH))
        return importlib.import_module("agenda_http"), importlib.import_module("signed_in_http")


def result(rps, from_cache=0.0):
    return {"rps": rps, "from_cache": {"toutes": from_cache}}


def test_a_request_carries_the_cookie_header_only_when_given(benches):
    agenda_http, _signed_in = benches

    signed_in = agenda_http.request_bytes(8000, "/agenda/", "csrftoken=c; sessionid=s")
    visitor = agenda_http.request_bytes(8000, "/agenda/")

    assert signed_in.startswith(b"GET /agenda/ HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n")
    assert b"\r\nCookie: csrftoken=c; sessionid=s\r\n" in signed_in
    assert signed_in.endswith(b"\r\n\r\n") and signed_in.count(b"\r\n\r\n") == 1
    assert b"Cookie" not in visitor
    assert visitor == signed_in.replace(b"Cookie: csrftoken=c; sessionid=s\r\n", b"")


def test_the_cookie_header_is_what_a_browser_holding_the_cookies_sends(benches):
    _agenda_http, signed_in = benches
    cookies = SimpleCookie()
    cookies["sessionid"] = "abc"
    cookies["csrftoken"] = "xyz"
    cookies["messages"] = ""  # deleted by a response: a browser no longer sends it

    assert signed_in.cookie_header(cookies) == "csrftoken=xyz; sessionid=abc"


def test_the_clients_send_the_cookie_with_every_request(benches):
    agenda_http, _signed_in = benches
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            received.append(self.headers["Cookie"])
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"Bonjour")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        latencies, errors, _cpu, served = agenda_http.client_process(
            server.server_address[1], "/", 2, time.time(), 0.3, cookie="sessionid=abc"
        )
    finally:
        server.shutdown()
        server.server_close()

    assert not errors
    assert latencies and served["page"][0] == len(latencies)
    assert set(received) == {"sessionid=abc"}


def test_options_refuse_the_tests_redis_and_a_bakerydemo_that_is_not_there(benches, monkeypatch, capsys):
    _agenda_http, signed_in = benches
    monkeypatch.setattr(signed_in, "bakerydemo", None)

    args = signed_in.parse_args(["--database", "sqlite", "--no-bakerydemo"])
    assert (args.offers, args.workers, args.clients, args.growth, args.bakerydemo) == (50_000, 2, 16, True, False)
    assert args.sqlite_path == "/tmp/placette-bench-signed-in.sqlite3"
    for refused in (["--bakerydemo"], ["--redis-url", "redis://127.0.0.1:6379/1"]):
        with pytest.raises(SystemExit):
            signed_in.parse_args(refused)
    assert "bench/bakerydemo.py est absent" in capsys.readouterr().err


def test_budgets_say_met_or_missed_with_the_figure_and_never_guess_bakerydemo(benches, monkeypatch):
    _agenda_http, signed_in = benches
    monkeypatch.setattr(signed_in, "bakerydemo", None)
    args = argparse.Namespace(only=None)
    rows = [("/agenda/", "/agenda/", result(700), 2000), ("une conversation", "/c/", result(400), 2000)]
    growth = (
        {"/agenda/": 20.0, "/echanges/": 10.0},
        {"/agenda/": 21.0, "/echanges/": 14.0},
        "100 puis 200 centres",
        "",
    )

    lines = signed_in.budgets(args, rows, 3000, [], growth, 10)

    assert lines[0].startswith("- pages d'une personne connectée ≥ ⅙ de Django nu (3000 req/s, soit 500) : manqué (")
    assert "1 page(s) sur 2 (--only" not in lines[0] and "la plus lente : une conversation, 400 req/s" in lines[0]
    assert "non mesuré (bakerydemo n'a pas tourné dans ce passage : bench/bakerydemo.py absent" in lines[1]
    assert ": manqué (" in lines[2] and "/echanges/ 10 ms puis 14 ms (+40%)" in lines[2]

    listings = [("bakerydemo : le blog", "/blog/", result(30)), ("bakerydemo : les pains", "/breads/", result(38))]
    lines = signed_in.budgets(args, rows, 2000, listings, None, 10)

    assert lines[0].endswith(
        "tenu (2 page(s) sur 2 ; la plus lente : une conversation, 400 req/s, 20.0% de Django nu)"
    )
    assert "(la meilleure, bakerydemo : les pains : 38 req/s, soit > 380) : tenu (2 page(s) sur 2" in lines[1]
    assert lines[2].endswith(": non mesuré (--no-growth)")


def test_the_writes_budgets_say_each_rate_and_whether_a_write_staled_the_whole_site(benches):
    agenda_http, _signed_in = benches
    rows = [
        (0, result(1200, 1.0), None),
        (5, result(300, 0.8), {"scopes": {"centre": 50, "centres": 50}}),
    ]

    lines = agenda_http.writes_budgets(rows, 3000, 1)

    assert lines[0] == (
        "- pages des visiteurs sous 0 inscription(s)/s ≥ ⅓ de Django nu (1000 req/s) : tenu "
        "(1200 req/s, 40% de Django nu, 100% servies par le cache)"
    )
    assert (
        lines[1].startswith("- pages des visiteurs sous 5 inscription(s)/s et 1 message(s)/s ≥ ⅓")
        and "manqué" in lines[1]
    )
    assert lines[2].endswith("en cache : tenu (jetons remplacés : 50 d'un centre, 50 des listes, 0 du site entier)")
