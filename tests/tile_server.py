"""A map tile server on 127.0.0.1 for the tests: the same 256×256 PNG for any /{z}/{x}/{y}.png, each request kept."""

import re
import struct
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TILE_PATH = re.compile(r"^/(\d+)/(\d+)/(\d+)\.png$")


def solid_png(width, height, rgb):
    """A PNG of one colour, written by hand: the format's signature, a header, the pixels, the end."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width  # each row starts with its filter type, 0: none
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits a channel, RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


TILE = solid_png(256, 256, (0xE8, 0xE4, 0xD8))


class TileHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        stub = self.server.stub
        with stub.lock:
            stub.requests.append(self.path)
        if not TILE_PATH.match(self.path):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(TILE)))
        self.end_headers()
        self.wfile.write(TILE)

    def log_message(self, format, *args):
        """Quiet: the test reads `requests` instead."""


class StubTileServer:
    """Started and stopped as a context manager; `url_template` is what CARTE_TILE_URL is set to."""

    def __init__(self):
        self.requests = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), TileHandler)
        self.server.daemon_threads = True
        self.server.stub = self
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.url_template = self.origin + "/{z}/{x}/{y}.png"

    def tiles(self):
        """The tiles asked for so far, as (z, x, y)."""
        with self.lock:
            return [tuple(map(int, match.groups())) for path in self.requests if (match := TILE_PATH.match(path))]

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()
