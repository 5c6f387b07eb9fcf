"""The child the build server forks ahead of the next command, waiting for its request: the
fork of a warm process (a few milliseconds for 100 MB and more) is then no part of the time a
command takes. The server forks the next spare once it has answered a command.

The spare is forked from the same warm, frozen state a child forked on demand would be, and
takes on nothing of the server's until its request comes (session.wait_and_run).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
from collections.abc import Iterable
from dataclasses import dataclass

from briefgen.buildserver.session import wait_and_run

# Seconds for a spare to read its request: a waiting one reads it at once.
HAND_OVER_TIMEOUT = 2.0


@dataclass
class Spare:
    pid: int
    pidfd: int  # readable when it ends
    report: int  # the pipe on which it writes its command's exit status
    channel: socket.socket  # the request and the client's three streams go down this


def fork_spare(close: list[int], blocked: Iterable[signal.Signals]) -> Spare:
    """A new spare; `close`: the server's descriptors (the spare closes them at once),
    `blocked`: the server's own signals, held back across the fork so none reaches the copy
    of the server's handlers in the child."""
    channel, far_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        report_read, report_write = os.pipe()
    except OSError:
        channel.close()
        far_end.close()
        raise
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    server = os.getpid()
    try:
        pid = os.fork()
    except OSError:  # out of processes: the server carries on as it was, stoppable
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        for fd in (report_read, report_write):
            os.close(fd)
        channel.close()
        far_end.close()
        raise
    if pid == 0:  # the spare: never returns
        channel.close()
        os.close(report_read)
        wait_and_run(far_end.detach(), close, report_write, mask, server)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    far_end.close()
    os.close(report_write)
    with contextlib.suppress(OSError):  # the spare does it too: whichever runs first
        os.setpgid(pid, pid)
    try:
        pidfd = os.pidfd_open(pid)
    except OSError:  # out of descriptors: a spare that cannot be watched must not wait
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(report_read)
        channel.close()
        raise
    return Spare(pid, pidfd, report_read, channel)


def hand_over(spare: Spare, request: bytes, streams: list[int]) -> None:
    """Give the spare its request (with its 4-byte length) and the client's standard streams;
    OSError when the spare is gone."""
    # A spare stopped (SIGSTOP) while it waits reads nothing: more than its socket holds would
    # otherwise block the server's one thread for good. Ended by the caller, another takes it.
    spare.channel.settimeout(HAND_OVER_TIMEOUT)
    try:
        sent = socket.send_fds(spare.channel, [request], streams)
        if sent < len(request):
            spare.channel.sendall(request[sent:])
    finally:
        spare.channel.close()


def dispose(spare: Spare) -> None:
    """End a spare that took no command, and reap it."""
    with contextlib.suppress(OSError):
        os.kill(spare.pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(spare.pid, 0)
    for fd in (spare.pidfd, spare.report):
        with contextlib.suppress(OSError):
            os.close(fd)
    spare.channel.close()
