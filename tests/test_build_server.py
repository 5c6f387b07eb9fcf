"""The build server (`briefgen server start`): a command it runs is the command run here — same
files byte for byte, same output, same exit status, same terminal — and it serves only its
owner, only with its own code, and never leaves a command running without its client."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import termios
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, INPUTS, REPO

BAD = "meeting:\n  title: Broken\n  date: 2025-13-01\n  tittle: typo\n"


@dataclass
class Served:
    env: dict[str, str]
    cache: Path

    def status(self) -> subprocess.CompletedProcess[str]:
        return briefgen(["server", "status"], self.env)

    def count(self) -> int:
        """Commands the server has run; -1 when none runs."""
        found = re.search(r"(\d+) commands run", self.status().stdout)
        return int(found.group(1)) if found else -1

    def pid(self) -> int:
        found = re.search(r"process (\d+)", self.status().stdout)
        assert found, self.status().stdout
        return int(found.group(1))


def commands(server: int, spares: bool = False) -> list[int]:
    """The server's children running commands (`spares`: instead, the one forked ahead and
    waiting for the next command, by the name `ps` shows for it)."""
    found = []
    for pid in Path(f"/proc/{server}/task/{server}/children").read_text().split():
        try:
            name = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:  # ended meanwhile
            continue
        if (name == "briefgen-spare") == spares:
            found.append(int(pid))
    return found


def started(cache: Path) -> Served:
    """A server of its own for one test, in `cache`."""
    env = server_env(cache)
    start(env)
    return Served(env, cache)


def briefgen(
    args: list[str], env: dict[str, str], cwd: Path = REPO, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def server_env(cache: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "BRIEFGEN_CACHE_DIR": str(cache), **extra}
    env.pop("BRIEFGEN_SERVER", None)  # tests/conftest.py turns servers off for other tests
    return env


def local(env: dict[str, str]) -> dict[str, str]:
    return {**env, "BRIEFGEN_SERVER": "off"}


def start(env: dict[str, str], idle: str = "10") -> None:
    started = briefgen(["server", "start", "--idle", idle], env)
    assert started.returncode == 0, started.stderr
    assert "build server running" in started.stdout


@pytest.fixture
def cache() -> Iterator[Path]:
    # In /tmp, not pytest's deeper folders: a Unix socket's path holds at most 107 bytes.
    folder = Path(tempfile.mkdtemp(prefix="bgs-", dir="/tmp"))
    yield folder
    briefgen(["server", "stop"], server_env(folder))
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    folder = Path(tempfile.mkdtemp(prefix="bgs-", dir="/tmp"))
    env = server_env(folder)
    start(env)
    yield Served(env, folder)
    stopped = briefgen(["server", "stop"], env)
    assert "not running" in stopped.stdout
    shutil.rmtree(folder, ignore_errors=True)


def test_every_example_builds_to_the_same_bytes_as_without_a_server(
    served: Served, tmp_path: Path
) -> None:
    env = {**served.env, "SOURCE_DATE_EPOCH": "1700000000"}
    before = served.count()
    args = ["-a", "principal", "-a", "staff", "-a", "public", "-a", "archive", "-j", "1"]
    runs = {}
    for name, run_env in (("server", env), ("local", local(env))):
        runs[name] = briefgen(["build", *map(str, INPUTS), *args, "-o", name], run_env, tmp_path)
        assert runs[name].returncode == 0, runs[name].stderr
    assert served.count() == before + 1  # the first ran on the server, the second here
    assert runs["server"].stdout == runs["local"].stdout.replace("local/", "server/")
    files = sorted(p.name for p in (tmp_path / "local").iterdir())
    assert len(files) == len(INPUTS) * 4 * 2
    assert files == sorted(p.name for p in (tmp_path / "server").iterdir())
    for name in files:
        assert (tmp_path / "server" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


def test_a_batch_on_two_processes_and_the_environment_of_the_client(
    served: Served, tmp_path: Path
) -> None:
    # The client's folder (relative paths), environment (the epoch) and umask are the child's.
    for epoch in ("1700000000", "1800000000"):
        env = {**served.env, "SOURCE_DATE_EPOCH": epoch}
        for name, run_env in (("server", env), ("local", local(env))):
            out = f"{name}-{epoch}"
            done = briefgen(["build", *map(str, INPUTS), "-j", "2", "-o", out], run_env, tmp_path)
            assert done.returncode == 0, done.stderr
        for path in (tmp_path / f"local-{epoch}").iterdir():
            assert (tmp_path / f"server-{epoch}" / path.name).read_bytes() == path.read_bytes()
    pdf = "2024-12-18_nato-sg-bih-presidency.staff.pdf"
    early, late = (
        (tmp_path / f"server-{epoch}" / pdf).read_bytes() for epoch in ("1700000000", "1800000000")
    )
    assert early != late  # the epoch reached the child


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "bad.yaml"],
        ["build", "bad.yaml", "good.yaml", "-o", "out"],
        ["build", "--no-such-option"],
        ["biuld", "good.yaml"],
        ["--help"],
        ["build", "--help"],
        ["--version"],
        ["lint", "good.yaml"],
    ],
)
def test_output_and_exit_status_are_those_of_a_command_run_here(
    served: Served, tmp_path: Path, args: list[str]
) -> None:
    (tmp_path / "bad.yaml").write_text(BAD, encoding="utf-8")
    shutil.copy(EXAMPLE, tmp_path / "good.yaml")
    before = served.count()
    there = briefgen(args, served.env, tmp_path)
    assert served.count() == before + 1
    shutil.rmtree(tmp_path / "out", ignore_errors=True)
    here = briefgen(args, local(served.env), tmp_path)
    assert (there.returncode, there.stdout, there.stderr) == (
        here.returncode,
        here.stdout,
        here.stderr,
    )


def in_terminal(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, bytes]:
    """Run briefgen on a pseudo-terminal 132 columns wide: (exit status, what it showed)."""
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 132, 0, 0))
    env = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES")}
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", *args],
        env=env,
        cwd=cwd,
        stdin=follower,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal's other end is closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return process.wait(timeout=60), shown


def test_the_child_writes_to_the_clients_terminal(served: Served, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BAD, encoding="utf-8")
    before = served.count()
    there = in_terminal(["validate", "bad.yaml"], served.env, tmp_path)
    assert served.count() == before + 1
    here = in_terminal(["validate", "bad.yaml"], local(served.env), tmp_path)
    assert there == here
    assert there[0] == 1
    assert b"\x1b[31m" in there[1]  # coloured: the child saw a terminal, as a local run does
    wide = in_terminal(["build", "--help"], served.env, tmp_path)
    assert wide == in_terminal(["build", "--help"], local(served.env), tmp_path)
    assert max(len(line) for line in wide[1].splitlines()) > 80  # the terminal's width


def running_preview(
    env: dict[str, str], cwd: Path, answering: bool = False, stderr: int = subprocess.PIPE
) -> subprocess.Popen[str]:
    """`briefgen preview` of the example, its address printed; with `answering`, also once its
    page comes (so its Ctrl-C handler is set)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "preview", str(EXAMPLE), "--port", "0", "--no-open"],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
    )
    assert process.stdout is not None
    found = re.search(r"http://127\.0\.0\.1:\S+", process.stdout.readline())
    assert found
    deadline = time.monotonic() + 30
    while answering and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(found.group(0), timeout=5) as page:
                assert page.status == 200
            break
        except OSError:
            time.sleep(0.05)
    return process


def test_ctrl_c_reaches_the_command_and_a_killed_client_takes_its_command_along(
    served: Served, tmp_path: Path
) -> None:
    outcomes = []
    for env in (served.env, local(served.env)):
        process = running_preview(env, tmp_path, answering=True)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        outcomes.append((process.returncode, "briefgen preview: stopped" in err))
    assert outcomes[0] == outcomes[1] == (0, True)

    process = running_preview(served.env, tmp_path, answering=True)
    assert commands(served.pid())  # the preview runs in a child of the server
    process.kill()
    process.communicate(timeout=10)
    deadline = time.monotonic() + 20
    while commands(served.pid()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not commands(served.pid())


def test_the_server_is_private_and_single_threaded(served: Served) -> None:
    folder = served.cache / "server"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    (sock,) = folder.glob("*.sock")
    assert stat.S_ISSOCK(sock.stat().st_mode)
    assert stat.S_IMODE(sock.stat().st_mode) == 0o600
    # Forking a process with other threads can leave a child waiting on a lock forever.
    assert len(list(Path(f"/proc/{served.pid()}/task").iterdir())) == 1


def test_garbage_on_the_socket_does_not_stop_the_server(served: Served, tmp_path: Path) -> None:
    (sock,) = (served.cache / "server").glob("*.sock")
    for garbage in (b"", b"\x00\x00\x00\x05hello", b"\xff" * 8, b"\x00\x00\x00\x02[]"):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.connect(str(sock))
            probe.sendall(garbage)
            probe.shutdown(socket.SHUT_WR)
            probe.settimeout(10)
            assert probe.recv(16) == b""  # refused: no command ran
    before = served.count()
    done = briefgen(["validate", str(EXAMPLE)], served.env, tmp_path)
    assert done.returncode == 0
    assert served.count() == before + 1


def test_a_different_interpreter_setup_runs_here(served: Served, tmp_path: Path) -> None:
    before = served.count()
    # -X options, warnings filters, import-time environment: part of what a server must share.
    for extra in ({"PYTHONWARNINGS": "ignore"}, {"RL_invariant": "1"}):
        done = briefgen(["validate", str(EXAMPLE)], {**served.env, **extra}, tmp_path)
        assert done.returncode == 0, done.stderr
    assert served.count() == before


def test_a_folder_others_can_write_to_is_not_used(cache: Path, tmp_path: Path) -> None:
    env = server_env(cache)
    start(env)
    folder = cache / "server"
    try:
        folder.chmod(0o770)
        assert briefgen(["validate", str(EXAMPLE)], env, tmp_path).returncode == 0
        refused = briefgen(["server", "start"], env)
        assert refused.returncode == 2
        assert "private" in refused.stderr and "Traceback" not in refused.stderr
    finally:
        folder.chmod(0o700)
    assert Served(env, cache).count() == 0  # the validate ran here


def test_updated_code_is_never_served(cache: Path, tmp_path: Path) -> None:
    # A folder on the import path changes when a package is installed or removed there.
    site = tmp_path / "site"
    site.mkdir()
    env = server_env(cache, PYTHONPATH=f"{REPO}{os.pathsep}{site}")
    start(env)
    served = Served(env, cache)
    assert briefgen(["validate", str(EXAMPLE)], env, tmp_path).returncode == 0
    assert served.count() == 1
    (site / "newly_installed.py").write_text("", encoding="utf-8")
    done = briefgen(["validate", str(EXAMPLE)], env, tmp_path)
    assert done.returncode == 0, done.stderr  # run here instead
    deadline = time.monotonic() + 20
    while served.count() != -1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert served.count() == -1  # and the out-of-date server stopped


def test_idle_stop_kill_and_restart(cache: Path, tmp_path: Path) -> None:
    env = server_env(cache)
    start(env, idle="0.05")  # three seconds
    served = Served(env, cache)
    first = served.pid()
    assert briefgen(["server", "start"], env).stdout == served.status().stdout  # one server
    deadline = time.monotonic() + 30
    while served.count() != -1 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert served.count() == -1
    assert not list((cache / "server").glob("*.sock"))

    start(env)
    os.kill(served.pid(), signal.SIGKILL)  # its socket stays behind, with no one listening
    deadline = time.monotonic() + 10
    while served.count() != -1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list((cache / "server").glob("*.sock"))
    done = briefgen(["validate", str(EXAMPLE)], env, tmp_path)
    assert done.returncode == 0 and not done.stderr
    start(env)
    assert served.pid() != first
    assert briefgen(["validate", str(EXAMPLE)], env, tmp_path).returncode == 0
    assert served.count() == 1


def test_two_starts_at_once_give_one_server(cache: Path) -> None:
    env = server_env(cache)
    start(env)
    earlier = Served(env, cache).pid()
    briefgen(["server", "stop"], env)  # its id stays in the lock file
    starts = [
        subprocess.Popen(
            [sys.executable, "-m", "briefgen", "server", "start"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120) for p in starts]
    assert [p.returncode for p in starts] == [0, 0, 0], outputs
    pids = {re.search(r"process (-?\d+)", out).group(1) for out, _ in outputs}  # type: ignore[union-attr]
    assert pids == {str(Served(env, cache).pid())}
    assert str(earlier) not in pids


def test_a_request_reads_back_as_written_and_garbage_is_refused() -> None:
    from briefgen.buildserver.wire import SCALARS, decode, encode

    scalars = {name: f"{name} value" for name in SCALARS}
    scalars["prog"] = ""
    argv = ["briefgen", "build", "caf\udce9.yaml", "", "a=b"]  # a Latin-1 byte, an empty arg
    env = {"A": "1=2", "EMPTY": "", "BYTES": "\udcff"}
    assert decode(encode(scalars, argv, env)) == (scalars, argv, env)
    for garbage in (b"", b"hello", encode(scalars, argv, env).replace(b"\x005\x00", b"\x009\x00")):
        with pytest.raises(ValueError):
            decode(garbage)


def test_a_server_killed_mid_command_fails_the_command_and_ends_it(
    cache: Path, tmp_path: Path
) -> None:
    served = started(cache)
    env = served.env
    server = served.pid()
    process = running_preview(env, tmp_path)
    (child,) = commands(server)
    os.kill(server, signal.SIGKILL)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert "the build server stopped before the command finished" in err
    deadline = time.monotonic() + 10
    while alive(int(child)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(int(child))  # the preview is gone with its server


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie waiting to be reaped does not)."""
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False


def test_an_interactive_command_starts_a_server_for_the_next(cache: Path, tmp_path: Path) -> None:
    env = server_env(cache)
    served = Served(env, cache)
    # A script (no terminal), or a terminal with BRIEFGEN_SERVER=manual or off: none started.
    assert briefgen(["validate", str(EXAMPLE)], env, tmp_path).returncode == 0
    for value in ("manual", "off"):
        code, shown = in_terminal(
            ["validate", str(EXAMPLE)], {**env, "BRIEFGEN_SERVER": value}, tmp_path
        )
        assert code == 0 and b"build server" not in shown
    time.sleep(1)
    assert served.count() == -1
    code, shown = in_terminal(["validate", str(EXAMPLE)], env, tmp_path)
    assert code == 0
    assert b"starting a build server in the background" in shown
    deadline = time.monotonic() + 60
    while served.count() != 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert served.count() == 0  # running, and the next command is its first
    code, shown = in_terminal(["validate", str(EXAMPLE)], env, tmp_path)
    assert (code, b"build server" in shown) == (0, False)
    assert served.count() == 1
