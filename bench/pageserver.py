"""A loopback server that answers like the vendor, as fast as it can, for client benchmarks.

Every contender (the generated client, raw httpx + json, httpx + TypeAdapter) talks to
the same server, so its cost is common to both sides of each ratio. Pages are
pre-encoded bytes: ``POST /n<records>/machines`` with ``page``/``size`` headers answers
with records shaped like v2.1's ``Machine`` (taken from the mock once at start-up) and
the paging headers; ``/authenticate`` issues a token; ``/token-test`` is the small
request (plain text). Any other path gets the gateway's 403.

    python bench/pageserver.py [--port PORT]

Serves on 127.0.0.1 (a free port unless ``--port``) until killed, and prints the port
on the first line of stdout once it listens. Clients use ``http://127.0.0.1:PORT``
as the root ``bench/clientcase.py --url`` takes.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KEY, USER, PASSWORD = "bench-key", "bench@example.com", "bench-password"
TOKEN = b""  # the mock's own authenticate answer, captured by sample_machine()


def sample_machine() -> dict[str, object]:
    """One machine record as the mock serves it (so every field has a realistic value)."""
    import httpx

    import generator
    from generator.mock import MockConfig, MockServer, create_app

    sys.path.insert(0, str(ROOT / "generated" / "vendnovation_v2_1"))
    import vendnovation_v2_1 as pkg

    stage = generator.build(ROOT / "spec/vendnovation.yaml").stage("v2.1")
    config = MockConfig(api_key=KEY, username=USER, password=PASSWORD, records=3)
    bodies: list[httpx.Response] = []
    with MockServer(create_app(stage, config)) as server:
        http = httpx.Client(event_hooks={"response": [lambda r: bodies.append(r)]})
        with pkg.Client(
            base_url=server.url("v2.1"),
            api_key=KEY,
            username=USER,
            password=PASSWORD,
            http_client=http,
            limiter=False,
        ) as client:
            page = client.machines.page(size=1)
        http.close()
    global TOKEN
    TOKEN = bodies[0].read()
    record: dict[str, object] = page.response.json()[0]
    return record


RECORD = sample_machine()


@lru_cache(maxsize=64)
def page_bytes(first_id: int, count: int) -> bytes:
    """``count`` records with ids from ``first_id``, encoded once."""
    return json.dumps([{**RECORD, "id": first_id + i} for i in range(count)]).encode()


class Handler(BaseHTTPRequestHandler):
    """Answers the three routes; keeps connections alive (HTTP/1.1)."""

    protocol_version = "HTTP/1.1"
    # Without TCP_NODELAY every small answer waits out the client's delayed ACK (~40 ms):
    # that stall, not either client, would be what the per-request row measures.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the benchmark prints its own figures

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        path = self.path
        if path.endswith("/authenticate"):
            self._send(TOKEN, "application/json")
        elif path.endswith("/token-test"):
            self._send(b"Access token was valid", "text/plain")
        elif path.endswith("/machines"):
            total = int(path.split("/")[1][1:])
            page, size = int(self.headers["page"]), int(self.headers["size"])
            pages = -(-total // size)
            start = (page - 1) * size
            count = max(0, min(size, total - start))
            extra = {"page": str(page), "size": str(size), "total-pages": str(pages)}
            self._send(page_bytes(start + 1, count), "application/json", extra)
        else:
            self._send(
                b'{"message": "Missing Authentication Token"}', "application/json", status=403
            )

    def _send(
        self, body: bytes, ctype: str, extra: dict[str, str] | None = None, status: int = 200
    ) -> None:
        self.send_response(status)
        self.send_header("content-type", ctype)
        self.send_header("content-length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def main() -> None:
    """Serve on a loopback port until killed."""
    parser = argparse.ArgumentParser(description="loopback page server for client benchmarks")
    parser.add_argument("--port", type=int, default=0)
    server = ThreadingHTTPServer(("127.0.0.1", parser.parse_args().port), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
