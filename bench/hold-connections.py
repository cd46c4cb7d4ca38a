#!/usr/bin/env python3
"""Opens COUNT idle TCP connections to 127.0.0.1:PORT, prints 'ready' once all are open, and holds them until stdin
closes or the time limit passes."""
import select
import socket
import sys
import time

port, count = int(sys.argv[1]), int(sys.argv[2])
limit = float(sys.argv[3]) if len(sys.argv) > 3 else 120.0
sockets = []
for _ in range(count):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    sockets.append(s)
print("ready", flush=True)
select.select([sys.stdin], [], [], limit)
for s in sockets:
    s.close()
