"""`briefgen server start|stop|status`: run a build server in the background, one per
interpreter and briefgen (see address.py), and stop it.

The server holds an exclusive lock on its lock file (with its process id in it) for as long as it
runs, so two starts never give two servers and a stale socket is told from a live one.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.machinery
import logging
import os
import signal
import site
import socket
import sys
import sysconfig
import time
from dataclasses import dataclass

from briefgen.buildserver.address import (
    MAX_SOCKET_PATH,
    SUPPORTED,
    enabled,
    identity,
    server_folder,
    server_paths,
)
from briefgen.errors import UsageError

STOP_WAIT = 30.0  # seconds `stop` waits for running commands to finish
# What on the import path can be imported (or says what is installed): other files there, such
# as the briefs a command writes into the folder `python -m` put first on the path, are not code.
IMPORTABLE = (*importlib.machinery.all_suffixes(), ".pth", ".egg-link", ".dist-info", ".egg-info")


@dataclass(frozen=True)
class Status:
    running: bool
    pid: int | None
    socket: str
    served: int = 0  # commands run since the server started
    stopping: bool = False  # takes no more commands, and ends once its running ones have


def _paths() -> tuple[str, str]:
    if not SUPPORTED:
        raise UsageError("the build server needs Linux; commands run without it elsewhere")
    folder = server_folder(create=True)
    if folder is None:
        raise UsageError(
            "no private cache folder for the build server's socket",
            hint="set BRIEFGEN_CACHE_DIR to a folder only you can read (mode 0700)",
        )
    sock, lock = server_paths(folder)
    if len(os.fsencode(sock)) > MAX_SOCKET_PATH:
        raise UsageError(
            f"the socket path {sock} is too long for a Unix socket",
            hint="set BRIEFGEN_CACHE_DIR to a shorter folder",
        )
    return sock, lock


def status() -> Status:
    sock, lock = _paths()
    pid, served, stopping = _holder(lock)
    return Status(pid is not None, pid, sock, served, stopping)


def _holder(lock: str) -> tuple[int | None, int, bool]:
    """The running server's process id (None when no server holds the lock), how many
    commands it has run and whether it is stopping, as it writes them in its lock file."""
    try:
        handle = os.open(lock, os.O_RDONLY)
    except OSError:
        return None, 0, False
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:  # held: a server runs
        with contextlib.suppress(ValueError, OSError):
            pid, served, *stopping = os.pread(handle, 64, 0).decode().split()
            return int(pid), int(served), bool(stopping)
        return -1, 0, False  # one is starting and has not written its id yet
    else:
        return None, 0, False
    finally:
        os.close(handle)


def _write_state(lock_fd: int, served: int, stopping: bool = False) -> None:
    # Padded to one length, so a reader never sees the end of a longer earlier line.
    state = f"{os.getpid()} {served}{' stopping' if stopping else ''}"
    os.pwrite(lock_fd, state.ljust(40).encode(), 0)


def start(idle_minutes: float) -> Status:
    """Start a server in the background and return when it serves (or one already does)."""
    sock, lock = _paths()
    answer = ""
    # The code as it is before the server imports the rest of it in its warm-up: anything
    # installed or edited from now on may not be what it has in memory.
    signature = _code_signature()
    # A second try covers a lost race: another start's server, or one still stopping, held the
    # lock when ours tried to take it.
    for _ in range(2):
        state = _settled(lock)
        if state.running and not state.stopping:
            return state
        if state.running:
            break  # still finishing its commands after STOP_WAIT
        answer = _spawn(sock, lock, idle_minutes, signature)
        if answer.startswith("ready"):
            return status()
    state = _settled(lock)
    if state.running and not state.stopping:
        return state
    if state.running:
        raise UsageError(
            "the build server is stopping and still runs commands",
            hint="start it again once `briefgen server status` says it is not running",
        )
    raise UsageError(f"the build server did not start: {answer.strip() or 'no answer'}")


AUTO_START_NOTICE = (
    "briefgen: starting a build server in the background, so the next commands start at once "
    "(`briefgen server stop` ends it; BRIEFGEN_SERVER=off never starts one)"
)


def start_for_next_commands() -> None:
    """After a command ran here on an interactive terminal: start a server in the background
    (as Gradle starts its daemon), unless one runs, servers are off, or this is a script."""
    if not (enabled() and sys.stdin.isatty() and sys.stderr.isatty()):
        return
    if os.environ.get("BRIEFGEN_SERVER", "").strip().lower() == "manual":
        return  # use one started with `briefgen server start`, never start one
    try:
        _, lock = _paths()
    except UsageError:
        return
    if _holder(lock)[0] is not None:
        return
    import subprocess

    print(AUTO_START_NOTICE, file=sys.stderr)
    # A fresh interpreter, not a fork of this one (which may hold other threads' locks), with
    # this one's options (part of the server's identity), started in the private folder so
    # `-m` finds no `briefgen` folder of the working directory.
    flags = subprocess._args_from_interpreter_flags()  # type: ignore[attr-defined]
    subprocess.Popen(
        [sys.executable, *flags, "-m", "briefgen", "server", "start"],
        cwd=os.path.dirname(lock),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _spawn(sock: str, lock: str, idle_minutes: float, signature: Signature) -> str:
    """Fork the server (detached: its own session, not our child); what it answered."""
    ready_read, ready_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the first child: a new session, then the server's own process
        # Nothing of whoever ran `start` stays open in a process that outlives it: a pipe's
        # write end held here would keep its reader (a CI step, `$(...)`) waiting for ever.
        os.closerange(3, ready_write)
        os.closerange(ready_write + 1, _max_fd())
        os.setsid()
        if os.fork() != 0:
            os._exit(0)
        _run_daemon(sock, lock, idle_minutes * 60, ready_write, signature)
    os.close(ready_write)
    os.waitpid(pid, 0)
    with os.fdopen(ready_read, "rb") as ready:
        return ready.read().decode(errors="replace")


def _max_fd() -> int:
    try:
        return max(os.sysconf("SC_OPEN_MAX"), 256)
    except (OSError, ValueError):
        return 65536


def _settled(lock: str) -> Status:
    """The status once a server that is starting (warming up) serves or has given up, and one
    that is stopping has stopped (a start then starts a new one)."""
    deadline = time.monotonic() + STOP_WAIT
    while time.monotonic() < deadline:
        pid, _, stopping = _holder(lock)
        if pid != -1 and not stopping:
            break
        time.sleep(0.05)
    return status()


def _run_daemon(
    sock: str, lock: str, idle_seconds: float, ready: int, signature: Signature
) -> None:
    """In the server's process: lock, warm up, listen, tell `start`, serve; never returns."""
    code = 0
    log = logging.getLogger("briefgen.server")
    try:
        log_fd = open_log(os.path.dirname(sock))
        lock_fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises when another server runs
        os.ftruncate(lock_fd, 0)  # an earlier server's id: "starting" until ours is written
        from briefgen.buildserver.warmup import threads, warm

        warm()
        if threads() != 1:  # a child forked now could wait forever on a lock of a lost thread
            raise RuntimeError(f"the warm-up left {threads()} threads; forking is unsafe")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(sock)  # a dead server's: the lock says none is running
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old_mask = os.umask(0o177)
        try:
            listener.bind(sock)
        finally:
            os.umask(old_mask)
        listener.listen(64)
        _write_state(lock_fd, 0)
        os.write(ready, f"ready {os.getpid()}".encode())
        os.close(ready)
        log.info("serving on %s", sock)
        from briefgen.buildserver.daemon import Server

        bound = os.stat(sock).st_ino
        server = Server(
            listener,
            identity(),
            idle_seconds,
            _code_signature,
            signature=signature,
            private_fds=[lock_fd, log_fd],
            record=lambda served, stopping: _write_state(lock_fd, served, stopping),
        )
        try:
            server.serve()
        finally:
            with contextlib.suppress(OSError):
                if os.stat(sock).st_ino == bound:  # never remove a newer server's socket
                    os.unlink(sock)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.write(ready, f"{type(error).__name__}: {error}".encode())
        log.exception("the server stopped on an error")
        code = 1
    os._exit(code)


def open_log(folder: str) -> int:
    """Standard input and output on /dev/null, errors and the server's log in server.log; the
    log's own descriptor (for the children to close).

    The log is the "briefgen.server" logger's alone: the root logger keeps the state a fresh
    interpreter gives it, since every child inherits it and a library's log record in a command
    must look as it does run here (a bare warning, no INFO), not like a line of this log.
    """
    null = os.open(os.devnull, os.O_RDWR)
    path = os.path.join(folder, "server.log")
    log_fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o600)
    for fd, target in ((null, 0), (null, 1), (log_fd, 2)):
        os.dup2(fd, target)
    os.close(null)
    handler = logging.StreamHandler(open(log_fd, "w", encoding="utf-8", buffering=1))  # noqa: SIM115
    handler.setFormatter(logging.Formatter(f"%(asctime)s [{os.getpid()}] %(message)s"))
    log = logging.getLogger("briefgen.server")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    return log_fd


def stop() -> Status:
    """Ask the server to stop and wait (up to STOP_WAIT) until its running commands are done."""
    _, lock = _paths()
    pid = _settled(lock).pid  # one warming up is stopped once it serves
    if pid is not None and pid > 0:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_WAIT
        while _holder(lock)[0] is not None and time.monotonic() < deadline:
            time.sleep(0.05)
    return status()


Signature = tuple[tuple[str, int, int], ...]


def _code_signature() -> Signature:
    """briefgen's own files, and what can be imported from the folders of the import path (and
    the user's site folder, on the path of the next interpreter once it exists), with sizes and
    times: an edit of briefgen, or a package installed, upgraded or removed, means code the warm
    server does not have. (Another Python is another server: address.identity.)"""
    import briefgen
    from briefgen.locales import builtin_templates_dir

    entries = [p for p in sys.path if p]
    if site.ENABLE_USER_SITE:
        entries.append(site.getusersitepackages())
    # A folder itself counts by whether it is there: its time changes with any file written in
    # it. A zip file on the path is code, and counts as a file.
    signature = [(entry, 0, 0) for entry in entries if os.path.isdir(entry)]
    paths = [entry for entry in entries if not os.path.isdir(entry)]
    # The standard library changes only with the interpreter's version: another server's.
    standard = tuple(sysconfig.get_path(name) for name in ("stdlib", "platstdlib"))
    for entry in entries:
        if not entry.startswith(standard) or "site-packages" in entry:
            signature.extend(_importable_stamps(entry))
    for root in (os.path.dirname(briefgen.__file__ or ""), str(builtin_templates_dir())):
        for folder, folders, files in os.walk(root):
            folders[:] = [f for f in folders if f != "__pycache__"]
            paths.extend(os.path.join(folder, name) for name in files)
    for path in sorted(set(paths)):
        try:
            info = os.stat(path)
        except OSError:
            signature.append((path, -1, -1))
        else:
            signature.append((path, info.st_mtime_ns, info.st_size))
    return tuple(sorted(signature))


# A folder's importable entries with their stamps, by the folder's own time: installing,
# upgrading or removing a package adds, removes or renames entries, which changes that time, so
# an unchanged folder (nearly always) is not listed and stamped again for every command.
_SCANNED: dict[str, tuple[int, list[tuple[str, int, int]]]] = {}


def _importable_stamps(folder: str) -> list[tuple[str, int, int]]:
    try:
        folder_time = os.stat(folder).st_mtime_ns
    except OSError:
        return [(folder, -1, -1)]
    known = _SCANNED.get(folder)
    if known is None or known[0] != folder_time:
        stamps = []
        for path in _importable(folder):
            try:
                info = os.stat(path)
            except OSError:
                stamps.append((path, -1, -1))
            else:
                stamps.append((path, info.st_mtime_ns, info.st_size))
        known = _SCANNED[folder] = (folder_time, stamps)
    return known[1]


def _importable(folder: str) -> list[str]:
    """The entries of a folder on the import path that an import can find or that record an
    installed package: modules, .pth, metadata, and packages by their __init__.py (a package's
    folder changes when its __pycache__ is written)."""
    found = []
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(IMPORTABLE):
                found.append(entry.path)
            elif entry.is_dir() and os.path.exists(init := os.path.join(entry.path, "__init__.py")):
                found.append(init)
    return found
