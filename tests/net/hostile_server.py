#!/usr/bin/env python3
"""A hostile `weft serve` stand-in for tests: answers every request on loopback
the way MODE says, prints its port, and exits after 60 s whatever happens.

  big      200 with a 17 MiB body
  garbage  200 with bytes that are not a sync message
  health   /v1/health with a document of another Release
Usage: hostile_server.py MODE
"""
import http.server
import json
import sys
import threading

MODE = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if MODE == "big":
            body = b"\x01" + b"\x00" * (17 * 1024 * 1024)
        elif MODE == "garbage":
            body = b"\x01not a sync message at all"
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
