"""Which concurrent.futures executor runs a batch: the local process pool, or a Dask cluster.

`--executor local` (the default) is briefgen's own fork-warmed process pool (briefgen.parallel).
`--executor dask:ADDRESS` hands the jobs to an existing Dask cluster through
`distributed.Client(ADDRESS).get_executor()`, a standard `concurrent.futures.Executor`; we
schedule nothing ourselves. Its workers need briefgen installed and must see the inputs, the
templates and the output folder at the same paths (a shared filesystem), so paths are made
absolute before the jobs leave this machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from importlib import import_module
from typing import Any

from briefgen.errors import UsageError

LOCAL = "local"
_DASK = "dask:"


def check_executor(spec: str) -> str:
    """The spec, if it names an executor we know; a UsageError that lists them otherwise."""
    if spec == LOCAL or (spec.startswith(_DASK) and len(spec) > len(_DASK)):
        return spec
    raise UsageError(
        f"unknown executor {spec!r}",
        hint="use 'local' (this machine's processes) or 'dask:ADDRESS', e.g. "
        "dask:tcp://scheduler:8786",
    )


@contextmanager
def open_executor(spec: str) -> Iterator[Executor | None]:
    """The executor a spec names, for the length of a run; None means the local pool."""
    check_executor(spec)
    if spec == LOCAL:
        yield None
        return
    try:
        distributed: Any = import_module("distributed")  # an optional extra, untyped
    except ImportError:
        raise UsageError(
            "the dask executor needs the distributed package",
            hint="pip install 'briefgen[dask]' here and on every worker",
        ) from None
    address = spec[len(_DASK) :]
    try:
        client = distributed.Client(address, timeout=10, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise UsageError(
            f"cannot reach the Dask scheduler at {address}: {error}",
            hint="start one with `dask scheduler` and workers with `dask worker ADDRESS`",
        ) from None
    try:
        yield client.get_executor()
    finally:
        client.close()
