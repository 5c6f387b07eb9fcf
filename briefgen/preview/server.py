"""Run the preview: bind the socket, warm the pool, print the URL, serve until Ctrl+C."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import socket
import threading
import webbrowser
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.errors import UsageError
from briefgen.preview.app import Preview, create_app
from briefgen.preview.files import Folder
from briefgen.preview.guard import LOOPBACK_NAMES, Gate
from briefgen.preview.workers import RenderPool

DEFAULT_HOST = "127.0.0.1"
ENDING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
DEFAULT_PORT = 8765
HOST_WARNING = (
    "warning: serving on {host}: anyone who can reach this port and knows the token can read "
    "and write the files in {root}"
)


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything else, so a taken port fails at once."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} on {host} is already in use",
                hint="stop the other program, or choose a port with --port "
                "(--port 0 picks a free one)",
            ) from None
        raise UsageError(
            f"cannot listen on {host}:{port}: {exc.strerror}", hint="check --host and --port"
        ) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(
    inputs: Sequence[Path],
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    open_browser: bool = True,
    workers: int | None = None,
    echo: Callable[[str], None] = print,
    warn: Callable[[str], None] = print,
) -> None:
    """Serve the folder (or the folder of the meeting files) until interrupted."""
    import uvicorn

    for path in inputs:
        if not path.exists():
            raise UsageError(f"{path} does not exist", hint="name a folder or meeting files")
    folder = Folder.for_inputs(inputs)
    loopback = host in (*LOOPBACK_NAMES, "::1")
    if not loopback:
        warn(HOST_WARNING.format(host=host, root=folder.root))
    sock = bind(host, port)
    gate = Gate(port=sock.getsockname()[1], extra_hosts=() if loopback else (host,))
    with _ending_by_signal() as ending:
        pool = RenderPool(workers or default_workers())
        try:
            pool.warm(str(folder.root))
            app = create_app(Preview(folder, gate, pool))
            config = uvicorn.Config(
                app,
                log_level="warning",
                lifespan="on",
                timeout_graceful_shutdown=2,
                access_log=False,
            )
            ending.server = uvicorn.Server(config)
            if not ending.signals:  # not told to end while the workers warmed up
                shown = DEFAULT_HOST if host in ("0.0.0.0", "::") else host
                shown = f"[{shown}]" if ":" in shown else shown
                url = f"http://{shown}:{gate.port}/?token={gate.token}"
                echo(f"briefgen preview: {url}")
                if open_browser:
                    threading.Timer(0.5, webbrowser.open, args=(url,)).start()
                # uvicorn re-raises the Ctrl+C it handled once its shutdown is done: the end.
                with contextlib.suppress(KeyboardInterrupt):
                    ending.server.run(sockets=[sock])
        finally:
            sock.close()
            pool.close()
    for signum in ending.signals[:1]:  # the render workers are gone: now end as it asked
        signal.signal(signum, signal.SIG_DFL)
        signal.raise_signal(signum)


@dataclass
class _Ending:
    signals: list[int] = field(default_factory=list)
    server: Any = None  # uvicorn's, once there is one to stop


@contextlib.contextmanager
def _ending_by_signal() -> Iterator[_Ending]:
    """TERM and HUP stop the preview as Ctrl+C does, and are remembered instead of ending the
    process at once: uvicorn re-raises a TERM it handled once its own shutdown is done, which
    would end the process before the render pool is shut down, and leave its workers running
    for no one."""
    ending = _Ending()

    def stop(signum: int, frame: Any) -> None:
        ending.signals.append(signum)
        if ending.server is not None:
            ending.server.should_exit = True

    previous = {signum: signal.signal(signum, stop) for signum in ENDING_SIGNALS}
    try:
        yield ending
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
