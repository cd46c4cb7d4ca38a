#!/usr/bin/env python3
"""Opens COUNT TCP connections to 127.0.0.1:PORT, prints 'ready' once all are open, and holds them idle until stdin
closes or the time limit passes. With PATH, each connection first sends one HTTP/1.1 GET of it and reads the answer,
so that what is held is a kept-alive connection after a request."""
import select
import socket
import sys

port, count = int(sys.argv[1]), int(sys.argv[2])
limit = float(sys.argv[3]) if len(sys.argv) > 3 else 120.0
path = sys.argv[4] if len(sys.argv) > 4 else None


def answered(s):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise SystemExit("closed before answering")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = s.recv(65536)
        if not chunk:
            raise SystemExit("closed in the body")
        body += chunk


sockets = []
for _ in range(count):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    if path:
        s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % path).encode())
        answered(s)
    sockets.append(s)
print("ready", flush=True)
select.select([sys.stdin], [], [], limit)
for s in sockets:
    s.close()
