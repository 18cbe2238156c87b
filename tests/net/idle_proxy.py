#!/usr/bin/env python3
"""A TCP proxy that closes a connection once it has been idle for IDLE seconds
after the server last sent something, as a server's keep-alive timeout does: the
client's next request finds the connection gone. It does so once: over TLS it
cannot see where an answer ends, so on a slow machine (a sanitizer build) a pause
inside a long answer looks idle too, and cutting every such pause would test the
machine's speed, not the client. One cut is what the regression needs.
Usage: idle_proxy.py LISTEN_PORT_FILE UPSTREAM_PORT IDLE
(it writes the port it listens on to LISTEN_PORT_FILE)."""
import select
import socket
import sys
import threading

cut_once = threading.Event()


def pump(client, upstream, idle):
    pair = {client: upstream, upstream: client}
    last_from = None
    try:
        while True:
            ready, _, _ = select.select(list(pair), [], [], idle)
            if not ready:
                # Idle after the server spoke: the client owes the next request,
                # as on a kept-alive connection. (Idle while the server works on
                # a request is left alone.)
                if last_from is upstream and not cut_once.is_set():
                    cut_once.set()
                    return
                continue
            for s in ready:
                data = s.recv(65536)
                if not data:
                    return
                pair[s].sendall(data)
                last_from = s
    except OSError:
        pass
    finally:
        for s in pair:
            try:
                s.close()
            except OSError:
                pass


def main():
    port_file, upstream_port, idle = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    with open(port_file, "w") as f:
        f.write(str(srv.getsockname()[1]))
    while True:
        c, _ = srv.accept()
        u = socket.create_connection(("127.0.0.1", upstream_port))
        threading.Thread(target=pump, args=(c, u, idle), daemon=True).start()


if __name__ == "__main__":
    main()
