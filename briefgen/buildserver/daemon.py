"""The build server's loop: accept a command line, hand it to a child of this warm process
forked ahead for it (spare.py), relay signals to the child and its exit status back; stop when
idle, asked, or out of date.

One thread only (children are forked from it), driven by a selector over the listening socket,
each client's connection and each child's pidfd. A child is its own process group, so a client
that disappears (killed, its terminal closed) takes the child and anything it started with it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import selectors
import signal
import socket
import struct
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from briefgen.buildserver.client import ACCEPTED, DECLINED, EXITED, FORWARDED_SIGNALS, SIGNAL
from briefgen.buildserver.session import Request, parse_request
from briefgen.buildserver.spare import Spare, dispose, fork_spare, hand_over

MAX_REQUEST = 4 * 1024 * 1024  # bytes: a command line and an environment, with room to spare
REQUEST_TIMEOUT = 5.0  # seconds for a client to send its whole request once connected
# Linux's number (asm-generic), not in Python's socket module: the peer's supplementary groups.
SERVER_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)  # each one: stop
SO_PEERGROUPS = getattr(socket, "SO_PEERGROUPS", 59)

log = logging.getLogger("briefgen.server")


@dataclass
class Child:
    pid: int
    pidfd: int
    report: int  # the pipe on which the child writes its exit status (-1 once closed)
    connection: socket.socket


@dataclass
class Pending:
    """A connection whose request has not all arrived: read as it comes, never waited for."""

    connection: socket.socket
    deadline: float
    data: bytes = b""
    fds: list[int] = field(default_factory=list)


@dataclass
class Server:
    """Serves `listener` until idle for `idle_seconds`, stopped, or `current()` changes."""

    listener: socket.socket
    key: str
    idle_seconds: float
    current: Callable[[], Any]  # the code's signature now; a change means the code was updated
    private_fds: list[int] = field(default_factory=list)  # e.g. the lock: never a child's
    # Told the count after each command, and when the server stops taking commands.
    record: Callable[[int, bool], None] = lambda served, stopping: None
    served: int = 0
    signature: Any = None
    children: dict[int, Child] = field(default_factory=dict)
    pending: dict[socket.socket, Pending] = field(default_factory=dict)
    stopping: bool = False
    asked_to_stop: bool = False  # by a signal
    spare: Spare | None = None  # forked ahead, waiting for the next command

    def serve(self) -> None:
        if self.signature is None:  # else as `start` found the code, before the warm-up
            self.signature = self.current()
        self.selector = selectors.DefaultSelector()
        wake_read, wake_write = socket.socketpair()
        wake_read.setblocking(False)
        wake_write.setblocking(False)
        signal.set_wakeup_fd(wake_write.fileno())
        self.private_fds.append(wake_write.fileno())
        for signum in SERVER_SIGNALS:
            # Only noted here: the loop stops (select wakes on the wake-up descriptor), never
            # a handler run halfway through the loop's own handling of a spare or a child.
            signal.signal(signum, lambda *_: setattr(self, "asked_to_stop", True))
        self.selector.register(self.listener, selectors.EVENT_READ, self._accept)
        self.selector.register(wake_read, selectors.EVENT_READ, lambda s: s.recv(512))
        self._renew_spare()
        idle_since = time.monotonic()
        try:
            while not (self.stopping and not self.children and not self.pending):
                idle = not (self.children or self.pending or self.stopping)
                deadlines = [p.deadline for p in self.pending.values()]
                if idle:
                    deadlines.append(idle_since + self.idle_seconds)
                timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
                events = self.selector.select(timeout)
                if idle and not events:
                    log.info("idle for %.0f s: stopping", self.idle_seconds)
                    break
                self.dispatch(events)
                if self.asked_to_stop:
                    self.stop()
                self._expire()
                if events and not self.children:
                    idle_since = time.monotonic()
        finally:
            signal.set_wakeup_fd(-1)
            self._drop_spare()
            self._close_listener()
            wake_read.close()
            wake_write.close()

    def dispatch(self, events: list[tuple[selectors.SelectorKey, int]]) -> None:
        """Run each ready descriptor's handler, unless an earlier one has closed it (its number
        may already be a new connection's)."""
        for key, _ in events:
            if self.selector.get_map().get(key.fd) is not key:
                continue
            try:
                key.data(key.fileobj)
            except Exception:  # one client's trouble never stops the server
                log.error("serving a request failed:\n%s", traceback.format_exc())

    def stop(self) -> None:
        """Take no more commands; the loop ends when the running ones have."""
        if not self.stopping:
            self.stopping = True
            self._drop_spare()
            self._close_listener()
            self.record(self.served, True)  # a `start` meanwhile waits, then starts a new one

    def _close_listener(self) -> None:
        if self.listener.fileno() >= 0:
            self.selector.unregister(self.listener)
            self.listener.close()

    def _accept(self, listener: socket.socket) -> None:
        connection, _ = listener.accept()
        if not _same_user(connection):
            log.warning("refused a connection from another user or groups")
            connection.close()
            return
        # Read as it arrives: the one loop serves everyone, and must never wait on one client.
        connection.setblocking(False)
        pending = Pending(connection, time.monotonic() + REQUEST_TIMEOUT)
        self.pending[connection] = pending
        self.selector.register(connection, selectors.EVENT_READ, lambda _: self._receive(pending))

    def _drop(self, pending: Pending) -> None:
        del self.pending[pending.connection]
        self.selector.unregister(pending.connection)
        _close_fds(pending.fds)
        pending.connection.close()

    def _expire(self) -> None:
        now = time.monotonic()
        for pending in [p for p in self.pending.values() if p.deadline <= now]:
            log.warning("a client did not send its request in time")
            self._drop(pending)

    def _receive(self, pending: Pending) -> None:
        try:
            data, fds, _, _ = socket.recv_fds(pending.connection, 65536, 3)
        except BlockingIOError:
            return
        except OSError:
            data, fds = b"", []
        pending.fds += fds
        pending.data += data
        size = struct.unpack(">I", pending.data[:4])[0] if len(pending.data) >= 4 else 0
        if not data or len(pending.fds) > 3 or size > MAX_REQUEST:
            self._drop(pending)  # closed early, or not a request of ours
            return
        if len(pending.data) < 4 or len(pending.data) - 4 < size:
            return
        del self.pending[pending.connection]
        self.selector.unregister(pending.connection)
        connection = pending.connection
        connection.setblocking(True)
        try:
            if len(pending.fds) != 3:
                raise ValueError("the standard streams did not come")
            request = parse_request(pending.data[4 : 4 + size], pending.fds)
        except (ValueError, KeyError) as error:
            _close_fds(pending.fds)
            connection.close()
            log.warning("refused a malformed request: %s", error)
            return
        if self.current() != self.signature:
            log.info("briefgen's files changed since start: stopping")
            self.stop()
        if self.stopping or request.key != self.key:
            _close_fds(request.fds)
            with contextlib.suppress(OSError):
                connection.sendall(DECLINED)
            connection.close()
            return
        self._start(request, pending.data[: 4 + size], connection)

    def _start(self, request: Request, raw: bytes, connection: socket.socket) -> None:
        try:
            spare = self._handed(raw, request.fds, connection)
        except OSError:
            connection.close()  # the client runs its command itself
            raise
        finally:
            _close_fds(request.fds)
        # Watched before anything else can fail: a child left out would never be reaped, and
        # the server, waiting for it, would never stop.
        child = Child(spare.pid, spare.pidfd, spare.report, connection)
        self.children[child.pid] = child
        self.selector.register(child.pidfd, selectors.EVENT_READ, lambda _: self._finished(child))
        self.selector.register(child.report, selectors.EVENT_READ, lambda _: self._reported(child))
        self.selector.register(connection, selectors.EVENT_READ, lambda _: self._message(child))
        self.served += 1
        self.record(self.served, False)
        try:
            connection.sendall(ACCEPTED + struct.pack(">i", child.pid))
        except OSError:  # the client went away after asking: its command goes with it
            _kill_group(child.pid, signal.SIGKILL)
            self._answer(child, None)

    def _handed(self, raw: bytes, streams: list[int], connection: socket.socket) -> Spare:
        """The spare that took the request; a second one when the first has ended (killed?)
        since it was forked. OSError when neither could."""
        for attempt in range(2):
            spare = self._take_spare([connection, *streams])
            try:
                hand_over(spare, raw, streams)
            except OSError:
                dispose(spare)
                if attempt:
                    raise
            else:
                return spare
        raise AssertionError("unreachable")

    def _take_spare(self, extra: list[Any]) -> Spare:
        """The waiting spare, or one forked now (`extra`: descriptors it must not keep)."""
        spare, self.spare = self.spare, None
        if spare is not None:
            self.selector.unregister(spare.pidfd)
            return spare
        return fork_spare(self._descriptors(extra), SERVER_SIGNALS)

    def _renew_spare(self) -> None:
        if self.stopping or self.spare is not None:
            return
        try:
            spare = fork_spare(self._descriptors([]), SERVER_SIGNALS)
        except OSError:  # out of processes or descriptors: the next command forks its own
            log.warning("could not fork a spare:\n%s", traceback.format_exc())
            return
        self.spare = spare
        self.selector.register(spare.pidfd, selectors.EVENT_READ, lambda _: self._spare_ended())

    def _spare_ended(self) -> None:
        """The waiting spare ended (a signal, out of memory): reap it, fork another."""
        if self.spare is not None:
            self.selector.unregister(self.spare.pidfd)
            dispose(self.spare)
            self.spare = None
        self._renew_spare()

    def _drop_spare(self) -> None:
        if self.spare is not None:
            self.selector.unregister(self.spare.pidfd)
            dispose(self.spare)
            self.spare = None

    def _descriptors(self, extra: list[Any]) -> list[int]:
        """Every descriptor of the server's a child must close: the listener, the selector's
        own, the wake-up pipe, the lock and log, the other commands' pidfds, pipes and clients,
        the streams of requests still arriving."""
        ours = [*extra, *(k.fileobj for k in self.selector.get_map().values())]
        close = [f if isinstance(f, int) else f.fileno() for f in ours] + self.private_fds
        close.append(self.selector.fileno())  # epoll's own
        return close + [fd for pending in self.pending.values() for fd in pending.fds]

    def _message(self, child: Child) -> None:
        try:
            data = child.connection.recv(64)
        except OSError:
            data = b""
        if not data:  # the client is gone: so is its command, as if it had run there
            _kill_group(child.pid, signal.SIGKILL)
            self._answer(child, None)
            return
        for index in range(0, len(data) - 1, 2):
            if data[index : index + 1] == SIGNAL and data[index + 1] in FORWARDED_SIGNALS:
                _kill_group(child.pid, data[index + 1])

    def _reported(self, child: Child) -> None:
        data = os.read(child.report, 4)
        self._close_report(child)
        if len(data) == 4:
            self._answer(child, struct.unpack(">i", data)[0])

    def _finished(self, child: Child) -> None:
        _, status = os.waitpid(child.pid, 0)
        self.selector.unregister(child.pidfd)
        os.close(child.pidfd)
        self._close_report(child)
        self._answer(child, os.waitstatus_to_exitcode(status))  # when it had not reported
        del self.children[child.pid]

    def _close_report(self, child: Child) -> None:
        """Once: by its number, a closed pipe's descriptor may be a new spare's or child's by
        now, which must stay open and watched."""
        if child.report >= 0:
            self.selector.unregister(child.report)
            os.close(child.report)
            child.report = -1

    def _answer(self, child: Child, status: int | None) -> None:
        """Tell the client how its command ended (once), and stop listening to it."""
        if child.connection not in self._registered():
            return
        self.selector.unregister(child.connection)
        if status is not None:
            with contextlib.suppress(OSError):
                child.connection.sendall(EXITED + struct.pack(">i", status))
        child.connection.close()
        # Now, not as the command starts: a command as short as --help would otherwise wait
        # for this fork to hear it had ended.
        self._renew_spare()

    def _registered(self) -> set[Any]:
        return {key.fileobj for key in self.selector.get_map().values()}


def _same_user(connection: socket.socket) -> bool:
    """Whether the peer is this user with these groups (who else could be handed our files)."""
    credentials = connection.getsockopt(
        socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")
    )
    _, uid, gid = struct.unpack("3i", credentials)
    if uid != os.geteuid() or gid != os.getegid():
        return False
    groups = os.getgroups()
    try:  # ERANGE when the peer has more groups than fit: more than ours
        raw = connection.getsockopt(socket.SOL_SOCKET, SO_PEERGROUPS, 4 * max(1, len(groups)))
    except OSError:
        return False
    return set(struct.unpack(f"{len(raw) // 4}I", raw)) == set(groups)


def _kill_group(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)
    except OSError:
        with contextlib.suppress(OSError):
            os.kill(pid, signum)


def _close_fds(fds: list[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)
