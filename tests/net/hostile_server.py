#!/usr/bin/env python3
"""A hostile `weft serve` stand-in for tests: answers every request on loopback
the way MODE says, prints its port, and exits after 60 s whatever happens.

  big      200 with a 17 MiB body
  garbage  200 with bytes that are not a sync message
  health   /v1/health with a document of a newer Release (99)
  old      /v1/health with a document of Release 1
Usage: hostile_server.py MODE
"""
import http.server
import json
import sys
import threading

MODE = sys.argv[1]
RELEASE = b"\x02"  # ours: the first byte of a sync message


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if MODE == "big":
            body = RELEASE + b"\x00" * (17 * 1024 * 1024)
        elif MODE == "garbage":
            body = RELEASE + b"not a sync message at all"
        elif MODE == "old":
            body = json.dumps({"release": 1, "instance": "past"}).encode()
        else:
            body = json.dumps({"release": 99, "instance": "future"}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = answer
    do_POST = answer


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
threading.Timer(60, server.shutdown).start()
server.serve_forever()
