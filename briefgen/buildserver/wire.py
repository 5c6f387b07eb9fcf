"""A request's bytes: the command line, folder, umask, stream encodings and environment as
NUL-separated fields, which no argument, path or environment entry can contain (the kernel
hands them to a process as NUL-terminated strings). Standard library only, and no json: its
import (with re) would be a tenth of a command's time on the client side."""

from __future__ import annotations

import os

MAGIC = "briefgen-request-1"
SCALARS = ("key", "prog", "cwd", "umask", "stdin", "stdout", "stderr")


def encode(scalars: dict[str, str], argv: list[str], env: dict[str, str]) -> bytes:
    """Fields: MAGIC, the SCALARS in order, len(argv), argv..., NAME=VALUE... (the rest)."""
    fields = [MAGIC, *(scalars[name] for name in SCALARS), str(len(argv)), *argv]
    fields += [f"{name}={value}" for name, value in env.items()]
    return b"\0".join(os.fsencode(field) for field in fields)


def decode(data: bytes) -> tuple[dict[str, str], list[str], dict[str, str]]:
    """The parts `encode` joined; ValueError when `data` is not such a request."""
    fields = [os.fsdecode(field) for field in data.split(b"\0")]
    if not fields or fields[0] != MAGIC or len(fields) < 2 + len(SCALARS):
        raise ValueError("not a briefgen request")
    scalars = dict(zip(SCALARS, fields[1 : 1 + len(SCALARS)], strict=True))
    rest = fields[1 + len(SCALARS) :]
    count = int(rest[0])
    if not 0 < count < len(rest):
        raise ValueError("bad argument count")
    argv, entries = rest[1 : 1 + count], rest[1 + count :]
    env = {}
    for entry in entries:
        name, sep, value = entry.partition("=")
        if not sep or not name:
            raise ValueError("bad environment entry")
        env[name] = value
    return scalars, argv, env
