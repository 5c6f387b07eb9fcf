"""One command line in a forked child of the build server: wait for it, take on the client's
terminal, folder, environment and umask, run the command as `briefgen` would, and exit with its
status.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import struct
import sys
import time
import traceback
from dataclasses import dataclass
from typing import NoReturn

from briefgen.buildserver.wire import decode

PR_SET_PDEATHSIG, PR_SET_NAME, PR_GET_NAME = 1, 15, 16  # linux/prctl.h
SPARE_NAME = b"briefgen-spare"  # a process's name is at most 15 bytes
LIBC = ctypes.CDLL(None, use_errno=True)  # loaded once, in the server
# Sent to the child when the server ends: a real-time signal no command uses, whose default
# action (should a command take it over) still ends the child itself.
SERVER_GONE = signal.SIGRTMIN + 3


@dataclass(frozen=True)
class Request:
    key: str
    argv: list[str]
    prog: str | None
    cwd: str
    env: dict[str, str]
    umask: int
    streams: list[tuple[str, str]]  # (encoding, errors) of stdin, stdout, stderr
    fds: list[int]  # the client's stdin, stdout and stderr, received over the socket


def parse_request(data: bytes, fds: list[int]) -> Request:
    """The request a client sent (wire.encode); ValueError when it is not one."""
    scalars, argv, env = decode(data)
    umask = int(scalars["umask"])
    if not 0 <= umask <= 0o777:
        raise ValueError("umask")
    streams = []
    for name in ("stdin", "stdout", "stderr"):
        encoding, _, errors = scalars[name].partition(" ")
        streams.append((encoding, errors or "strict"))
    return Request(
        key=scalars["key"],
        argv=argv,
        prog=scalars["prog"] or None,
        cwd=scalars["cwd"],
        env=env,
        umask=umask,
        streams=streams,
        fds=list(fds),
    )


def wait_and_run(
    channel: int, close: list[int], report: int, mask: set[int | signal.Signals], server: int
) -> NoReturn:
    """In a child forked ahead of its command (spare.py): become the command's process, wait
    for the request on `channel`, run it, write its status to `report`; never returns.
    `close`: the server's descriptors, none of the command's business; `mask`: the signal mask
    from before the fork; `server`: the server's process id."""
    status = 1
    try:
        _restore_signals()  # first: the server's wake-up descriptor is about to be closed
        # The server blocked its signals across the fork; a signal sent to this waiting child
        # now ends it as it would a fresh interpreter (the server then forks another).
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        for fd in close:
            with contextlib.suppress(OSError):
                os.close(fd)
        os.setpgid(0, 0)
        # Ended with the server, and its workers with it: if its client is gone too, no one
        # else is left to end them.
        signal.signal(SERVER_GONE, lambda *_: os.killpg(0, signal.SIGKILL))
        LIBC.prctl(PR_SET_PDEATHSIG, SERVER_GONE, 0, 0, 0)
        if os.getppid() != server:  # the server ended before the line above
            os._exit(1)
        name = ctypes.create_string_buffer(16)
        LIBC.prctl(PR_GET_NAME, name, 0, 0, 0)
        LIBC.prctl(PR_SET_NAME, SPARE_NAME, 0, 0, 0)  # what `ps` shows while it waits
        received = _receive(channel)
        if received is None:  # the server let it go (stopping) or is gone
            os._exit(0)
        request = parse_request(*received)
        LIBC.prctl(PR_SET_NAME, name.value, 0, 0, 0)
        _take_on(request)
        status = _run_command(request)
    except BaseException:  # a fault of the server itself: say so where the user looks
        with contextlib.suppress(BaseException):
            traceback.print_exc()
        status = 1
    _flush()
    with contextlib.suppress(OSError):
        os.write(report, struct.pack(">i", status))
    os._exit(status)


def _receive(channel: int) -> tuple[bytes, list[int]] | None:
    """The request (after its 4-byte length) and the client's three streams, as the server
    passed them on; None when the channel closed first."""
    with socket.socket(fileno=channel) as connection:
        data, fds, _, _ = socket.recv_fds(connection, 65536, 3)
        if len(data) < 4 or len(fds) != 3:
            return None
        size = struct.unpack(">I", data[:4])[0]
        while len(data) - 4 < size:
            chunk = connection.recv(size + 4 - len(data))
            if not chunk:
                return None
            data += chunk
    return data[4:], fds


def _take_on(request: Request) -> None:
    """Become the client's process: its standard streams, folder, umask, environment, argv."""
    for target, fd in enumerate(request.fds):
        os.dup2(fd, target)
    for fd in request.fds:
        if fd > 2:
            os.close(fd)
    _open_streams(request.streams)
    os.chdir(request.cwd)
    os.umask(request.umask)
    os.environ.clear()
    os.environ.update(request.env)
    time.tzset()  # TZ is read when set, not when used
    sys.argv = list(request.argv)


def _restore_signals() -> None:
    # As a fresh interpreter has them: Ctrl-C raises KeyboardInterrupt, the rest their default.
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, signal.SIG_DFL)


def _open_streams(streams: list[tuple[str, str]]) -> None:
    (in_enc, in_err), (out_enc, out_err), (err_enc, err_err) = streams
    sys.stdin = open(0, encoding=in_enc, errors=in_err, closefd=False)  # noqa: SIM115
    # Line buffered on a terminal, else in blocks; stderr always by line (as Python does).
    sys.stdout = open(  # noqa: SIM115
        1, "w", encoding=out_enc, errors=out_err, closefd=False, buffering=1 if os.isatty(1) else -1
    )
    sys.stderr = open(2, "w", encoding=err_enc, errors=err_err, closefd=False, buffering=1)  # noqa: SIM115
    # sys.__stdout__ (which shutil.get_terminal_size asks for click's help width) is still the
    # server's stream object, but on descriptor 1, which is now the client's: the same width.


def _run_command(request: Request) -> int:
    from briefgen.cli import main

    prog = request.prog or os.path.basename(request.argv[0])
    try:
        main(args=request.argv[1:], prog_name=prog)
    except SystemExit as stop:
        code = stop.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        print(code, file=sys.stderr)
        return 1
    return 0


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
