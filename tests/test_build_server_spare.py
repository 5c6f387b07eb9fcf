"""The build server's spare: the child forked ahead of the next command, waiting for it, so no
command waits for a fork. One at a time, replaced when it takes a command or is killed, gone
with its server however the server ends."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

from tests import test_build_server
from tests.conftest import EXAMPLE
from tests.test_build_server import alive, briefgen, commands, started

cache = test_build_server.cache


def settled(read: Callable[[], list[int]], timeout: float = 20) -> list[int]:
    """What `read` gives once it gives one process (the spare forked after a command takes
    a moment), or at the timeout."""
    deadline = time.monotonic() + timeout
    found = read()
    while len(found) != 1 and time.monotonic() < deadline:
        time.sleep(0.05)
        found = read()
    return found


def test_one_spare_waits_and_a_new_one_replaces_each_that_is_used_or_killed(
    cache: Path, tmp_path: Path
) -> None:
    served = started(cache)
    env = served.env
    server = served.pid()
    (first,) = settled(lambda: commands(server, spares=True))
    assert os.getpgid(first) == first  # its own process group, as every command's child
    assert not commands(server)

    done = briefgen(["validate", str(EXAMPLE)], env, tmp_path)
    assert done.returncode == 0 and not done.stderr
    (second,) = settled(lambda: commands(server, spares=True))
    # The first ran the command and ends: the client is answered on the status it reports as
    # its last act, before the kernel has taken the process apart (a moment on a busy machine).
    deadline = time.monotonic() + 10
    while alive(first) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert second != first and not alive(first)

    os.kill(second, signal.SIGKILL)
    assert len(settled(lambda: [p for p in commands(server, spares=True) if p != second])) == 1
    assert str(second) not in Path(f"/proc/{server}/task/{server}/children").read_text()  # reaped
    done = briefgen(["validate", str(EXAMPLE)], env, tmp_path)
    assert done.returncode == 0 and not done.stderr
    assert served.count() == 2

    (fourth,) = settled(lambda: commands(server, spares=True))
    assert "not running" in briefgen(["server", "stop"], env).stdout
    assert not alive(fourth) and not alive(server)


def test_the_spare_ends_with_a_killed_server(cache: Path) -> None:
    server = started(cache).pid()
    (spare,) = settled(lambda: commands(server, spares=True))
    os.kill(server, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while alive(spare) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(spare)


def test_the_spare_holds_none_of_the_servers_descriptors(cache: Path) -> None:
    server = started(cache).pid()
    (spare,) = settled(lambda: commands(server, spares=True))
    held = {os.readlink(fd) for fd in Path(f"/proc/{spare}/fd").iterdir()}
    # Its standard streams are the server's /dev/null and log until a command's arrive; beyond
    # them only its channel to the server and the pipe for its status: no listener, lock or
    # another command's client.
    assert not any(target.endswith((".sock", ".lock")) for target in held), held
    extra = [fd for fd in Path(f"/proc/{spare}/fd").iterdir() if int(fd.name) > 2]
    assert len(extra) == 2, held  # the channel and the status pipe


def test_commands_in_a_row_each_get_a_spare_and_an_answer(cache: Path, tmp_path: Path) -> None:
    # A closed status pipe's descriptor number is soon a new spare's: the server must never
    # take one for the other (it once closed the new spare's pidfd and lost track of it).
    served = started(cache)
    env = served.env
    server = served.pid()
    for _ in range(6):
        done = briefgen(["build", str(EXAMPLE), "-o", "out"], env, tmp_path, timeout=60)
        assert done.returncode == 0, done.stderr
        assert len(settled(lambda: commands(server, spares=True))) == 1
    assert served.count() == 6
    log = (cache / "server" / "server.log").read_text(encoding="utf-8")
    assert "Traceback" not in log


def test_a_stopped_spare_never_holds_up_a_request_larger_than_the_socket_buffer(
    cache: Path, tmp_path: Path
) -> None:
    # Handing a stopped spare more than its socket holds would block the server's one thread
    # for good: every later command, and `server stop`, would wait on it.
    served = started(cache)
    env = served.env
    server = served.pid()
    (waiting,) = settled(lambda: commands(server, spares=True))
    os.kill(waiting, signal.SIGSTOP)
    try:
        # 800 kB of environment (one variable holds at most 128 kB), past a socket's buffer
        big = {**env, **{f"BRIEFGEN_TEST_FILLER_{n}": "x" * 100_000 for n in range(8)}}
        done = briefgen(["validate", str(EXAMPLE)], big, tmp_path, timeout=30)
        assert done.returncode == 0, done.stderr
        assert served.count() == 1  # served, by a spare that was not stopped
        assert not alive(waiting)  # the stopped one was ended (and reaped)
    finally:
        if alive(waiting):
            os.kill(waiting, signal.SIGCONT)
    assert briefgen(["validate", str(EXAMPLE)], env, tmp_path).returncode == 0
    assert served.count() == 2
