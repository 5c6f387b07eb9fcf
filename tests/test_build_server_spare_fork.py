"""The spare's fork when it fails (out of processes): the server carries on as it was, its
stop signals deliverable and none of the spare's pipes or sockets left open."""

from __future__ import annotations

import os
import signal

import pytest

from briefgen.buildserver import spare
from briefgen.buildserver.daemon import SERVER_SIGNALS


def test_a_failed_fork_leaves_the_signals_unblocked_and_no_descriptor_open(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    before_mask = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    before_fds = sorted(os.listdir("/proc/self/fd"))
    with pytest.raises(OSError):
        spare.fork_spare([], SERVER_SIGNALS)
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before_mask
    assert not set(SERVER_SIGNALS) & signal.pthread_sigmask(signal.SIG_BLOCK, [])
    assert sorted(os.listdir("/proc/self/fd")) == before_fds
