#!/usr/bin/env python3
"""Plays systemd's side of sd_notify for one command.

Runs COMMAND with NOTIFY_SOCKET pointing at a datagram socket of ours and
WATCHDOG_USEC set, prints every notification line it receives until it has seen
READY=1 and WATCHDOG=1, then sends SIGTERM, keeps printing what arrives, and
prints "exit STATUS". Exits 1 when READY/WATCHDOG did not come in time.
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

TIMEOUT = float(os.environ.get("VT_NOTIFY_TIMEOUT", "10"))


def receive_lines(sock, deadline):
    sock.settimeout(max(deadline - time.monotonic(), 0.01))
    try:
        data = sock.recv(65536)
    except socket.timeout:
        return None
    return data.decode("utf-8", "replace").splitlines()


def main(command):
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "notify")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(path)
        env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC="200000")
        child = subprocess.Popen(command, env=env)
        wanted = {"READY=1", "WATCHDOG=1"}
        deadline = time.monotonic() + TIMEOUT
        while wanted and time.monotonic() < deadline:
            for line in receive_lines(sock, deadline) or []:
                print(line)
                wanted.discard(line)
        child.send_signal(signal.SIGTERM)
        status = child.wait(timeout=TIMEOUT * 3)
        # Whatever the daemon said while stopping (STOPPING=1) is queued by now.
        while True:
            lines = receive_lines(sock, time.monotonic() + 0.01)
            if not lines:
                break
            for line in lines:
                print(line)
        print(f"exit {status}")
        return 1 if wanted else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
