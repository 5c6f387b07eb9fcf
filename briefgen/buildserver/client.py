"""Hand this process's command line to a running build server, or say there is none.

The command's terminal goes with it: its standard input, output and error are passed over the
socket as open files, so the server's child writes where this process would have written, sees
the same terminal and prompts on it. Signals this process receives (Ctrl-C, hang-up, TERM) are
passed on to the child; the child's exit status becomes this process's. Standard library only.

It uses the C modules under `socket` and `signal`: the Python wrappers build enums (and
`socket` imports `selectors`) for names this module does not need, a fifth of what a command
handed to the server imports.
"""

from __future__ import annotations

import _signal
import _socket
import os
import struct
import sys

from briefgen.buildserver.address import (
    MAX_SOCKET_PATH,
    enabled,
    identity,
    server_folder,
    server_paths,
)
from briefgen.buildserver.wire import encode

TYPE_CHECKING = False  # not from typing: see briefgen/__init__.py
if TYPE_CHECKING:
    from types import FrameType

# One request: 4-byte big-endian length, then wire.encode's fields. Answers: b"A" + the child's
# process id (4 bytes), or b"N" not served (stale or stopping: run here); then b"X" + the
# 4-byte signed exit status. Integers big-endian.
ACCEPTED, DECLINED, EXITED, SIGNAL = b"A", b"N", b"X", b"S"
FORWARDED_SIGNALS = (_signal.SIGINT, _signal.SIGTERM, _signal.SIGHUP, _signal.SIGQUIT)
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
    connection = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        connection.connect(path)
        # The server must be ours too: a socket of another user's could record what we send.
        accepted = _peer_uid(connection) == os.getuid()
        if accepted:
            _send(connection, request)
            answer = _read(connection, 5)  # ACCEPTED and the child's process id
            accepted = len(answer) == 5 and answer[:1] == ACCEPTED
    except OSError:
        accepted = False
    if not accepted:
        connection.close()
        return None
    return _wait(connection, int(struct.unpack(">i", answer[1:])[0]))


def _request(argv: list[str], prog_name: str | None, key: str) -> bytes:
    for fd in (0, 1, 2):
        os.fstat(fd)  # raises for a closed stream: the child needs all three
    mask = os.umask(0o077)
    os.umask(mask)
    scalars = {"key": key, "prog": prog_name or "", "cwd": os.getcwd(), "umask": str(mask)}
    for name in ("stdin", "stdout", "stderr"):
        stream = getattr(sys, name)
        encoding = getattr(stream, "encoding", None) or "utf-8"
        scalars[name] = f"{encoding} {getattr(stream, 'errors', None) or 'strict'}"
    data = encode(scalars, list(argv), dict(os.environ))
    return struct.pack(">I", len(data)) + data


def _peer_uid(connection: _socket.socket) -> int:
    credentials = connection.getsockopt(
        _socket.SOL_SOCKET, _socket.SO_PEERCRED, struct.calcsize("3i")
    )
    return int(struct.unpack("3i", credentials)[1])


def _send(connection: _socket.socket, request: bytes) -> None:
    # What socket.send_fds does: the three descriptors as SCM_RIGHTS ancillary data.
    rights = (_socket.SOL_SOCKET, _socket.SCM_RIGHTS, struct.pack("3i", 0, 1, 2))
    sent = connection.sendmsg([request], [rights])
    if sent < len(request):
        connection.sendall(request[sent:])


def _read(connection: _socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def _wait(connection: _socket.socket, child: int) -> int:
    def forward(signum: int, frame: FrameType | None) -> None:
        try:  # noqa: SIM105 (contextlib's import would cost more than this whole module)
            connection.sendall(SIGNAL + bytes([signum]))
        except OSError:
            pass

    for signum in FORWARDED_SIGNALS:
        _signal.signal(signum, forward)
    try:
        answer = _read(connection, 5)
    except OSError:
        answer = b""
    finally:
        connection.close()
    if len(answer) != 5 or answer[:1] != EXITED:
        # Nobody is left to stop the command if it still runs: it has failed, so it ends here.
        try:  # noqa: SIM105
            os.killpg(child, _signal.SIGKILL)
        except OSError:
            pass
        print(LOST, file=sys.stderr)
        return 1
    status = int(struct.unpack(">i", answer[1:])[0])
    if status < 0:  # killed by a signal: end by it too, as the command run here would have
        _signal.signal(-status, _signal.SIG_DFL)
        os.kill(os.getpid(), -status)
    return 128 - status if status < 0 else status  # a signal that does not end a process
