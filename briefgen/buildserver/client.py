"""Hand this process's command line to a running build server, or say there is none.

The command's terminal goes with it: its standard input, output and error are passed over the
socket as open files, so the server's child writes where this process would have written, sees
the same terminal and prompts on it. Signals this process receives (Ctrl-C, hang-up, TERM) are
passed on to the child; the child's exit status becomes this process's. Standard library only.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import sys
from types import FrameType

from briefgen.buildserver.address import (
    MAX_SOCKET_PATH,
    enabled,
    identity,
    server_folder,
    server_paths,
)

# One request: 4-byte big-endian length, then JSON. Answers: b"A" accepted, b"N" not served
# (stale or stopping: run here), then b"X" + 4-byte signed exit status when the command ends.
ACCEPTED, DECLINED, EXITED, SIGNAL = b"A", b"N", b"X", b"S"
FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
LOST = "briefgen: error: the build server stopped before the command finished"


def run_on_server(argv: list[str], prog_name: str | None) -> int | None:
    """The exit status of `argv` run by a server; None when no server takes it (run it here)."""
    if not enabled():
        return None
    folder = server_folder()
    if folder is None:
        return None
    key = identity()
    path, _ = server_paths(folder, key)
    if len(os.fsencode(path)) > MAX_SOCKET_PATH or not os.path.exists(path):
        return None
    try:
        request = _request(argv, prog_name, key)
    except (OSError, ValueError):  # a closed standard stream, a deleted working folder
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(path)
        # The server must be ours too: a socket of another user's could record what we send.
        accepted = _peer_uid(connection) == os.getuid()
        if accepted:
            _send(connection, request)
            accepted = _read(connection, 1) == ACCEPTED
    except OSError:
        accepted = False
    if not accepted:
        connection.close()
        return None
    return _wait(connection)


def _request(argv: list[str], prog_name: str | None, key: str) -> bytes:
    for fd in (0, 1, 2):
        os.fstat(fd)  # raises for a closed stream: the child needs all three
    mask = os.umask(0o077)
    os.umask(mask)
    streams = [
        [getattr(s, "encoding", None) or "utf-8", getattr(s, "errors", None) or "strict"]
        for s in (sys.stdin, sys.stdout, sys.stderr)
    ]
    body = {
        "key": key,
        "argv": list(argv),
        "prog": prog_name,
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "umask": mask,
        "streams": streams,
    }
    data = json.dumps(body).encode("ascii")
    return struct.pack(">I", len(data)) + data


def _peer_uid(connection: socket.socket) -> int:
    credentials = connection.getsockopt(
        socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")
    )
    return int(struct.unpack("3i", credentials)[1])


def _send(connection: socket.socket, request: bytes) -> None:
    sent = socket.send_fds(connection, [request], [0, 1, 2])
    if sent < len(request):
        connection.sendall(request[sent:])


def _read(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def _wait(connection: socket.socket) -> int:
    def forward(signum: int, frame: FrameType | None) -> None:
        with contextlib.suppress(OSError):
            connection.sendall(SIGNAL + bytes([signum]))

    for signum in FORWARDED_SIGNALS:
        signal.signal(signum, forward)
    try:
        answer = _read(connection, 5)
    except OSError:
        answer = b""
    finally:
        connection.close()
    if len(answer) != 5 or answer[:1] != EXITED:
        print(LOST, file=sys.stderr)
        return 1
    status = int(struct.unpack(">i", answer[1:])[0])
    return 128 - status if status < 0 else status
