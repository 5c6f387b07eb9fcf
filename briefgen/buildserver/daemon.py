"""The build server's loop: accept a command line, fork a child of this warm process to run it,
relay signals to the child and its exit status back; stop when idle, asked, or out of date.

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
from briefgen.buildserver.session import Request, parse_request, run_request

MAX_REQUEST = 4 * 1024 * 1024  # bytes: a command line and an environment, with room to spare
REQUEST_TIMEOUT = 2.0  # seconds for a client to send its request once connected (one loop: short)

log = logging.getLogger("briefgen.server")


@dataclass
class Child:
    pid: int
    pidfd: int
    report: int  # the pipe on which the child writes its exit status
    connection: socket.socket


@dataclass
class Server:
    """Serves `listener` until idle for `idle_seconds`, stopped, or `current()` changes."""

    listener: socket.socket
    key: str
    idle_seconds: float
    current: Callable[[], Any]  # the code's signature now; a change means the code was updated
    private_fds: list[int] = field(default_factory=list)  # e.g. the lock: never a child's
    record: Callable[[int], None] = lambda served: None  # told the count after each command
    served: int = 0
    signature: Any = None
    children: dict[int, Child] = field(default_factory=dict)
    stopping: bool = False

    def serve(self) -> None:
        self.signature = self.current()
        self.selector = selectors.DefaultSelector()
        wake_read, wake_write = socket.socketpair()
        wake_read.setblocking(False)
        wake_write.setblocking(False)
        signal.set_wakeup_fd(wake_write.fileno())
        self.private_fds.append(wake_write.fileno())
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, lambda *_: self.stop())
        self.selector.register(self.listener, selectors.EVENT_READ, self._accept)
        self.selector.register(wake_read, selectors.EVENT_READ, lambda s: s.recv(512))
        idle_since = time.monotonic()
        try:
            while not (self.stopping and not self.children):
                timeout = None
                if not self.children and not self.stopping:
                    timeout = max(0.0, idle_since + self.idle_seconds - time.monotonic())
                events = self.selector.select(timeout)
                if not events and not self.children and not self.stopping:
                    log.info("idle for %.0f s: stopping", self.idle_seconds)
                    break
                for key, _ in events:
                    try:
                        key.data(key.fileobj)
                    except Exception:  # one client's trouble never stops the server
                        log.error("serving a request failed:\n%s", traceback.format_exc())
                if not self.children:
                    idle_since = time.monotonic()
        finally:
            signal.set_wakeup_fd(-1)
            self._close_listener()
            wake_read.close()
            wake_write.close()

    def stop(self) -> None:
        """Take no more commands; the loop ends when the running ones have."""
        if not self.stopping:
            self.stopping = True
            self._close_listener()

    def _close_listener(self) -> None:
        if self.listener.fileno() >= 0:
            self.selector.unregister(self.listener)
            self.listener.close()

    def _accept(self, listener: socket.socket) -> None:
        connection, _ = listener.accept()
        try:
            request = self._receive(connection)
        except Exception:
            connection.close()
            raise
        if request is None:
            connection.close()
            return
        if self.current() != self.signature:
            log.info("briefgen's files changed since start: stopping")
            self.stop()
        if self.stopping or request.key != self.key:
            _close_fds(request.fds)
            connection.sendall(DECLINED)
            connection.close()
            return
        self._start(request, connection)

    def _receive(self, connection: socket.socket) -> Request | None:
        credentials = connection.getsockopt(
            socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")
        )
        if struct.unpack("3i", credentials)[1] != os.getuid():
            log.warning("refused a connection from another user")
            return None
        connection.settimeout(REQUEST_TIMEOUT)
        data, fds, _, _ = socket.recv_fds(connection, 65536, 3)
        if len(data) < 4 or len(fds) != 3:
            _close_fds(fds)
            return None
        size = struct.unpack(">I", data[:4])[0]
        if size > MAX_REQUEST:
            _close_fds(fds)
            return None
        body = data[4:]
        while len(body) < size:
            chunk = connection.recv(min(65536, size - len(body)))
            if not chunk:
                _close_fds(fds)
                return None
            body += chunk
        connection.settimeout(None)
        try:
            return parse_request(body, fds)
        except (ValueError, KeyError) as error:
            _close_fds(fds)
            log.warning("refused a malformed request: %s", error)
            return None

    def _start(self, request: Request, connection: socket.socket) -> None:
        inherited = [connection, *(k.fileobj for k in self.selector.get_map().values())]
        close = [f if isinstance(f, int) else f.fileno() for f in inherited] + self.private_fds
        # The child writes its exit status here as its last act, so the client is answered
        # without waiting for the kernel to take a large process apart.
        report_read, report_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(report_read)
            run_request(request, close=close, report=report_write)
        os.close(report_write)
        _close_fds(request.fds)
        with contextlib.suppress(OSError):  # the child does it too: whichever runs first
            os.setpgid(pid, pid)
        child = Child(pid, os.pidfd_open(pid), report_read, connection)
        self.children[pid] = child
        connection.sendall(ACCEPTED + struct.pack(">i", pid))
        self.served += 1
        self.record(self.served)
        self.selector.register(child.pidfd, selectors.EVENT_READ, lambda _: self._finished(child))
        self.selector.register(report_read, selectors.EVENT_READ, lambda _: self._reported(child))
        self.selector.register(connection, selectors.EVENT_READ, lambda _: self._message(child))

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
        self.selector.unregister(child.report)
        os.close(child.report)
        if len(data) == 4:
            self._answer(child, struct.unpack(">i", data)[0])

    def _finished(self, child: Child) -> None:
        _, status = os.waitpid(child.pid, 0)
        self.selector.unregister(child.pidfd)
        os.close(child.pidfd)
        if child.report in self._registered():
            self.selector.unregister(child.report)
            os.close(child.report)
        self._answer(child, os.waitstatus_to_exitcode(status))  # when it had not reported
        del self.children[child.pid]

    def _answer(self, child: Child, status: int | None) -> None:
        """Tell the client how its command ended (once), and stop listening to it."""
        if child.connection not in self._registered():
            return
        self.selector.unregister(child.connection)
        if status is not None:
            with contextlib.suppress(OSError):
                child.connection.sendall(EXITED + struct.pack(">i", status))
        child.connection.close()

    def _registered(self) -> set[Any]:
        return {key.fileobj for key in self.selector.get_map().values()}


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
