"""Brevo's transactional SMS API on 127.0.0.1, for tests: it takes SMS and reports their events by tag.

Only what Placette uses: `POST …/transactionalSMS/sms` (answers `status` and `body`, and when it accepts,
keeps a "sent" event under the message's tag) and `GET …/transactionalSMS/statistics/events` filtered by
`tags` (a JSON array, URL-encoded) and `phoneNumber`. A separate process (the worker) can reach it too.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class FakeBrevo:
    """Records each request (`requests` for sendings, `lookups` for reports); `events` holds one per SMS it took."""

    def __init__(self):
        self.requests = []
        self.lookups = []
        self.events = []
        self.status = 201
        self.body = None
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                payload = json.loads(self.rfile.read(length))
                fake.requests.append(
                    {
                        "path": self.path,
                        "headers": {name.lower(): value for name, value in self.headers.items()},
                        "json": payload,
                    }
                )
                body = fake.body
                if fake.status < 300:
                    message_id = 1_000_000 + len(fake.events)
                    fake.events.append(
                        {
                            "date": "2026-03-10T11:00:00.000Z",
                            "event": "sent",
                            "messageId": str(message_id),
                            "phoneNumber": payload["recipient"],
                            "tag": payload.get("tag", ""),
                        }
                    )
                    body = body or json.dumps({"reference": f"ref{message_id}", "messageId": message_id}).encode()
                self.answer(fake.status, body or b"{}")

            def do_GET(self):
                url = urlsplit(self.path)
                query = {name: values[0] for name, values in parse_qs(url.query).items()}
                headers = {name.lower(): value for name, value in self.headers.items()}
                fake.lookups.append({"path": url.path, "query": query, "headers": headers})
                if fake.status >= 300:
                    self.answer(fake.status, fake.body or b"{}")
                    return
                tags = json.loads(query.get("tags", "[]"))
                events = [
                    event
                    for event in fake.events
                    if (not tags or event["tag"] in tags)
                    and query.get("phoneNumber", event["phoneNumber"]) == event["phoneNumber"]
                ]
                self.answer(200, json.dumps({"events": events[: int(query.get("limit", 50))]}).encode())

            def answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v3/transactionalSMS/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
