"""The build server at its edges (found by review): what the process that starts it holds, how a
command killed by a signal ends, when the server thinks its code changed, who it serves, and a
client that connects and then stalls."""

from __future__ import annotations

import os
import select
import selectors
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests import test_build_server
from tests.conftest import EXAMPLE, REPO
from tests.test_build_server import Served, briefgen, commands, server_env, started

# The fixtures of test_build_server.py: a cache folder of one's own, one server for the module.
cache = test_build_server.cache
served = test_build_server.served


def test_the_server_keeps_no_descriptor_of_the_process_that_started_it(cache: Path) -> None:
    # A shell hands its open files to what it runs; a server holding a pipe's write end would
    # keep whoever reads it (a CI step, `$(...)`, make's job server) waiting for ever.
    read, write = os.pipe()
    try:
        started = subprocess.run(
            [sys.executable, "-m", "briefgen", "server", "start"],
            env=server_env(cache),
            pass_fds=[write],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert started.returncode == 0, started.stderr
        os.close(write)
        write = -1
        ready, _, _ = select.select([read], [], [], 10)
        assert ready, "the server holds the pipe of the process that started it"
        assert os.read(read, 1) == b""
    finally:
        os.close(read)
        if write >= 0:
            os.close(write)


def preview(env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    """`briefgen preview` running (its first line printed), to be stopped by a signal."""
    return test_build_server.running_preview(env, cwd, stderr=subprocess.DEVNULL)


def test_a_command_killed_by_a_signal_ends_its_client_by_that_signal(
    served: Served, tmp_path: Path
) -> None:
    # Run here, TERM ends the process by the signal (a parent sees -15, a shell 143); the
    # client must end the same way, not exit with a status of 143.
    before = served.count()
    process = preview(served.env, tmp_path)
    assert served.count() == before + 1
    process.send_signal(signal.SIGTERM)
    status = process.wait(timeout=60)
    assert process.stdout is not None
    process.stdout.close()
    assert status == -signal.SIGTERM


def test_files_written_where_the_server_was_started_do_not_stop_it(
    cache: Path, tmp_path: Path
) -> None:
    # `python -m briefgen` puts its folder first on the import path: a brief written there is
    # not code, and must not make the server think it is out of date.
    env = server_env(cache)
    started = briefgen(["server", "start"], env, cwd=tmp_path)
    assert started.returncode == 0, started.stderr
    built = briefgen(["build", str(EXAMPLE), "-o", ".", "-f", "pdf"], env, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    (tmp_path / "notes.txt").write_text("not code", encoding="utf-8")
    assert briefgen(["validate", str(EXAMPLE)], env, cwd=tmp_path).returncode == 0
    assert Served(env, cache).count() == 2


def test_code_installed_while_the_server_warms_up_is_never_served(
    cache: Path, tmp_path: Path
) -> None:
    # The warm-up imports code: a package installed while it runs may or may not be in memory,
    # so the server must compare against the code as it was before it started.
    site = tmp_path / "site"
    site.mkdir()
    env = server_env(cache, PYTHONPATH=f"{REPO}{os.pathsep}{site}")
    starting = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "server", "start"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list((cache / "server").glob("*.lock")) and time.monotonic() < deadline:
        time.sleep(0.005)  # the lock is taken just before the warm-up
    (site / "installed_meanwhile.py").write_text("", encoding="utf-8")
    _, err = starting.communicate(timeout=120)
    assert starting.returncode == 0, err
    assert briefgen(["validate", str(EXAMPLE)], env, tmp_path).returncode == 0
    assert Served(env, cache).count() in (-1, 0)  # declined (and stopped), never served


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to change groups")
def test_a_command_of_another_group_runs_here(served: Served, tmp_path: Path) -> None:
    # Same user, other group: files it writes belong to its group, and it may read what the
    # server's groups may not. A server of other groups is not the command run here.
    before = served.count()
    for change in ({"group": 65534}, {"extra_groups": [65534]}):
        done = subprocess.run(
            [sys.executable, "-m", "briefgen", "validate", str(EXAMPLE)],
            env=served.env,
            cwd=tmp_path,
            capture_output=True,
            check=False,
            **change,  # type: ignore[call-overload]
        )
        assert done.returncode == 0, done.stderr
    assert served.count() == before


def request_bytes(key: str, cwd: str, argv: list[str] | None = None) -> bytes:
    from briefgen.buildserver.wire import encode

    scalars = {"key": key, "prog": "briefgen", "cwd": cwd, "umask": "18"}
    scalars.update({name: "utf-8 strict" for name in ("stdin", "stdout", "stderr")})
    argv = argv or ["briefgen", "--version"]
    data = encode(scalars, argv, {"PATH": os.environ.get("PATH", "")})
    return struct.pack(">I", len(data)) + data


PRINT_IDENTITY = "from briefgen.buildserver.address import identity; print(identity())"


def server_key(env: dict[str, str]) -> str:
    shown = subprocess.run(
        [sys.executable, "-c", PRINT_IDENTITY],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return shown.stdout.rstrip("\n")


def test_a_client_that_stalls_does_not_hold_up_the_others(served: Served, tmp_path: Path) -> None:
    # One loop serves everyone: a client that sends a byte now and then must not keep it.
    (sock,) = (served.cache / "server").glob("*.sock")
    request = request_bytes(server_key(served.env), str(tmp_path))
    done = threading.Event()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as slow:
        slow.connect(str(sock))
        slow.sendmsg(
            [request[:8]], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("3i", 0, 1, 2))]
        )

        def trickle() -> None:
            for byte in request[8:60]:
                if done.wait(0.5):
                    return
                try:
                    slow.sendall(bytes([byte]))
                except OSError:
                    return

        dripping = threading.Thread(target=trickle)
        dripping.start()
        try:
            before = served.count()
            quick = briefgen(["validate", str(EXAMPLE)], served.env, tmp_path, timeout=20)
            assert quick.returncode == 0
            assert served.count() == before + 1
        finally:
            done.set()
            dripping.join()


def test_a_stale_event_is_not_handled(tmp_path: Path) -> None:
    # Two ready descriptors in one select: the first one's handler closes the second (a child's
    # exit closes its report pipe and its client); the second's handler must not run on a
    # descriptor that is gone, or on whatever new connection got its number.
    from briefgen.buildserver.daemon import Server

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server = Server(listener, "key", 60.0, lambda: None)
    server.selector = selectors.DefaultSelector()
    first, first_peer = socket.socketpair()
    second, second_peer = socket.socketpair()
    called = []

    def close_second(_: object) -> None:
        called.append("first")
        server.selector.unregister(second)
        second.close()

    server.selector.register(first, selectors.EVENT_READ, close_second)
    server.selector.register(second, selectors.EVENT_READ, lambda _: called.append("second"))
    first_peer.send(b"x")
    second_peer.send(b"x")
    events = server.selector.select(1)
    assert len(events) == 2
    events.sort(key=lambda event: event[0].fileobj is not first)
    server.dispatch(events)
    assert called == ["first"]
    for end in (first, first_peer, second_peer, listener):
        end.close()
    server.selector.close()


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to become another user")
def test_another_user_who_reaches_the_socket_is_refused(served: Served, tmp_path: Path) -> None:
    # The folder is private, so no other user gets this far; if one did (the folder opened
    # up), SO_PEERCRED still tells them apart and nothing runs.
    folder = served.cache / "server"
    (sock,) = folder.glob("*.sock")
    request = request_bytes(server_key(served.env), str(tmp_path))
    before = served.count()
    modes = [(path, path.stat().st_mode) for path in (served.cache, folder, sock)]
    for path, _ in modes:
        path.chmod(0o777)
    try:
        pid = os.fork()
        if pid == 0:  # pragma: no cover (the child)
            code = 3  # 0: refused, 1: answered, 2: the socket was not reached
            try:
                os.setgid(65534)
                os.setuid(65534)
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                    probe.settimeout(20)
                    code = 2
                    probe.connect(str(sock))
                    code = 0
                    rights = (socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("3i", 0, 1, 2))
                    probe.sendmsg([request], [rights])
                    code = 1 if probe.recv(16) else 0
            except ConnectionError:  # closed with the request unread: refused
                pass
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
    finally:
        for path, mode in modes:
            path.chmod(mode)
    assert os.waitstatus_to_exitcode(status) == 0  # reached, and closed unanswered
    assert served.count() == before


def test_the_servers_log_leaves_the_root_logger_as_a_fresh_interpreter_has_it(
    tmp_path: Path,
) -> None:
    # Every child inherits the server's logging: a library's record in a command must come out
    # as it does run here (WARNING and up, bare), never as a line of the server's log.
    script = f"""
import logging
from briefgen.buildserver.control import open_log
before = (list(logging.root.handlers), logging.root.level)
open_log({str(tmp_path)!r})
logging.getLogger("some.library").info("an INFO record nobody asked for")
logging.getLogger("briefgen.server").info("a line of the log")
with open({str(tmp_path / "state")!r}, "w") as out:
    out.write(repr(before == (list(logging.root.handlers), logging.root.level)))
"""
    subprocess.run([sys.executable, "-c", script], env=server_env(tmp_path), check=True)
    assert (tmp_path / "state").read_text() == "True"
    log = (tmp_path / "server.log").read_text()
    assert "a line of the log" in log
    assert "nobody asked" not in log


def test_a_start_while_the_server_stops_gives_a_server_that_stays(
    cache: Path, tmp_path: Path
) -> None:
    served = started(cache)
    env = served.env
    first = served.pid()
    process = preview(env, tmp_path)  # keeps the server from stopping until it ends
    stopping = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "server", "stop"], env=env, stdout=subprocess.PIPE
    )
    deadline = time.monotonic() + 30
    while "stopping" not in served.status().stdout and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "build server stopping" in served.status().stdout
    starting = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "server", "start"], env=env, stdout=subprocess.PIPE
    )
    time.sleep(0.5)  # the start waits for the stopping server (not asserted: it may be slow)
    process.send_signal(signal.SIGINT)
    process.wait(timeout=60)
    assert process.stdout is not None
    process.stdout.close()
    for waiting in (stopping, starting):
        waiting.communicate(timeout=120)
        assert waiting.returncode == 0
    assert served.status().returncode == 0
    assert served.pid() != first  # a new server, which serves
    assert briefgen(["validate", str(EXAMPLE)], env, tmp_path).returncode == 0
    assert served.count() == 1


def test_a_command_whose_client_and_server_are_both_killed_ends(
    cache: Path, tmp_path: Path
) -> None:
    served = started(cache)
    server = served.pid()
    process = preview(served.env, tmp_path)
    (child,) = commands(server)
    assert len(group(int(child))) > 1  # the preview and its render workers
    os.kill(server, signal.SIGSTOP)  # so that it cannot end the command when its client goes
    process.kill()
    process.wait(timeout=30)
    assert process.stdout is not None
    process.stdout.close()
    os.kill(server, signal.SIGKILL)
    deadline = time.monotonic() + 20
    while group(int(child)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not group(int(child))  # no preview, nor any of its workers, left running for no one


def group(pgid: int) -> list[int]:
    """The live (not zombie) processes of a process group."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            found.append(int(stat.parent.name))
    return found


def test_a_client_gone_before_its_answer_leaves_no_command_behind(
    served: Served, tmp_path: Path
) -> None:
    # The request is in, the client gone (Ctrl-C, a timeout) before the server forks: the
    # command must not run on for no one, nor stay an unreaped child the server waits for.
    (sock,) = (served.cache / "server").glob("*.sock")
    args = ["briefgen", "preview", str(EXAMPLE), "--port", "0", "--no-open"]
    request = request_bytes(server_key(served.env), str(tmp_path), args)
    server = served.pid()
    before = served.count()
    null = os.open(os.devnull, os.O_RDWR)
    os.kill(server, signal.SIGSTOP)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as gone:
            gone.connect(str(sock))
            rights = (socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("3i", null, null, null))
            gone.sendmsg([request], [rights])
    finally:
        os.close(null)
        os.kill(server, signal.SIGCONT)
    deadline = time.monotonic() + 30
    while (served.count() == before or commands(server)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert served.count() == before + 1  # it was started,
    assert not commands(server)  # and ended and reaped
    assert briefgen(["validate", str(EXAMPLE)], served.env, tmp_path).returncode == 0
    assert served.count() == before + 2
