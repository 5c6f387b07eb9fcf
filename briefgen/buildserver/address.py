"""Where the build server of this interpreter and this briefgen listens: a Unix socket in the
user's private cache folder, named after everything that must match between the command and
the server (interpreter, briefgen's folder, flags, the environment read at import).

Standard library only, and cheap: every `briefgen` command reads this before deciding where it
runs.
"""

from __future__ import annotations

import os
import stat
import sys
import zlib

# Linux only: the server checks who connects with SO_PEERCRED and watches children with pidfds.
SUPPORTED = sys.platform.startswith("linux") and hasattr(os, "pidfd_open")
OFF = frozenset({"0", "off", "no", "false"})
# sockaddr_un holds 108 bytes with its terminating NUL.
MAX_SOCKET_PATH = 107
# Environment read when modules are imported (and so fixed in a warm server): a command whose
# values differ is served by another server, or runs itself.
_IMPORT_ENVIRONMENT = ("PYTHON", "RL_", "LANG", "LC_")


def enabled() -> bool:
    """Whether commands may be handed to a server (`BRIEFGEN_SERVER=off` keeps them here)."""
    return SUPPORTED and os.environ.get("BRIEFGEN_SERVER", "").strip().lower() not in OFF


def identity() -> str:
    """What a server must share with a command to run it exactly as the command would."""
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    imported = sorted(
        f"{name}={value}"
        for name, value in os.environ.items()
        if name.startswith(_IMPORT_ENVIRONMENT) and name != "PYTHONDONTWRITEBYTECODE"
    )
    parts = [
        os.path.realpath(sys.executable),
        package,
        sys.version,
        repr(sys.flags),
        repr(sys.warnoptions),
        repr(sorted(sys._xoptions.items())),  # -X options: part of how the interpreter runs
        # Who it runs as: the group owns what it writes and decides what it may read.
        f"{os.geteuid()} {os.getegid()} {sorted(set(os.getgroups()))}",
        *imported,
    ]
    return repr(parts)  # unambiguous, and free of the NUL that separates a request's fields


def cache_root() -> str | None:
    """briefgen's cache folder: BRIEFGEN_CACHE_DIR (empty: off), else $XDG_CACHE_HOME/briefgen or
    ~/.cache/briefgen (briefgen.cachedir uses this too); no pathlib, which a served command
    never imports."""
    configured = os.environ.get("BRIEFGEN_CACHE_DIR")
    if configured is not None:
        return configured if configured.strip() else None
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    home = os.path.expanduser("~")
    if not xdg and home == "~":
        return None
    return os.path.join(xdg or os.path.join(home, ".cache"), "briefgen")


def server_folder(create: bool = False) -> str | None:
    """The private folder holding the servers' sockets; None when off, missing or not private.

    Private means ours and 0700: a socket in a folder others can write to could be someone
    else's server, handed our command lines, files and terminal.
    """
    root = cache_root()
    if root is None:
        return None
    folder = os.path.join(root, "server")
    try:
        if create:
            os.makedirs(root, mode=0o700, exist_ok=True)
            os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.stat(folder)
    except OSError:
        return None
    shared = info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)
    if not stat.S_ISDIR(info.st_mode) or shared or info.st_uid != os.getuid():
        return None
    return folder


def server_paths(folder: str, key: str | None = None) -> tuple[str, str]:
    """The socket and the lock file of the server for `key` (this process's identity)."""
    tag = f"{zlib.crc32((key or identity()).encode('utf-8', 'surrogateescape')):08x}"
    return os.path.join(folder, f"{tag}.sock"), os.path.join(folder, f"{tag}.lock")
