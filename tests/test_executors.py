"""`--executor`: the batch engine as a concurrent.futures executor, here a real Dask cluster.

The cluster is a `distributed.LocalCluster` of two worker processes started by the test, so
the jobs, their options and their errors really cross a process boundary by pickling, as they
would to other machines; nothing else needs to run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.errors import ValidationError
from briefgen.parallel import build_many
from briefgen.pipeline import BuildOptions
from tests.conftest import EXAMPLE, MINIMAL

distributed = pytest.importorskip("distributed")

STEM = "2024-12-18_nato-sg-bih-presidency"
BAD = "meeting:\n  title: Broken\n  date: 2025-02-30\n"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        worker_dashboard_address=None,
    ) as started:
        yield started


def test_dask_results_come_back_in_order_with_errors_and_the_same_bytes(
    cluster: Any, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    other = tmp_path / "other.yaml"
    other.write_text(MINIMAL, encoding="utf-8")
    inputs = [str(EXAMPLE), str(bad), str(other)]
    with distributed.Client(cluster) as client:
        remote = list(
            build_many(inputs, BuildOptions(out_dir=tmp_path / "dask"), None, client.get_executor())
        )
    list(build_many(inputs, BuildOptions(out_dir=tmp_path / "local"), 1))

    assert [name for name, _ in remote] == inputs
    first, broken, last = (outcome for _, outcome in remote)
    assert [Path(p).name for p in first.value or []] == [f"{STEM}.staff.pdf", f"{STEM}.staff.docx"]
    assert isinstance(broken.error, ValidationError)
    assert broken.value is None
    assert [d.location.line for d in broken.error.diagnostics if d.location] == [3]
    assert [Path(p).name for p in last.value or []] == [
        "2025-01-15_minimal-meeting.staff.pdf",
        "2025-01-15_minimal-meeting.staff.docx",
    ]
    # Workers wrote where the shared path says, byte for byte what this process writes.
    written = sorted(p.name for p in (tmp_path / "dask").iterdir())
    assert written == sorted(p.name for p in (tmp_path / "local").iterdir())
    assert len(written) == 4
    for name in written:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


def test_cli_builds_on_a_dask_cluster(
    cluster: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # a relative output folder, resolved before jobs leave
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(EXAMPLE),
            str(bad),
            "-f",
            "pdf",
            "-o",
            "out",
            "--executor",
            f"dask:{cluster.scheduler_address}",
        ],
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [str(tmp_path / "out" / f"{STEM}.staff.pdf")]
    assert f"{bad}:3:9: error: meeting.date:" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_executor_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", str(EXAMPLE), "-o", str(tmp_path), "--executor", "ray"]
    )
    assert result.exit_code == 2
    assert "unknown executor 'ray'" in result.stderr
    assert "dask:ADDRESS" in result.stderr
    assert list(tmp_path.iterdir()) == []
