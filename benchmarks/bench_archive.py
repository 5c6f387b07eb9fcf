"""Benchmark: the archive search index at 10,000 briefs, and what archiving costs beside it.

Run: python benchmarks/bench_archive.py [--briefs N]   (prints numbers; asserts nothing)

The 10,000 archived briefs are generated variants: each is a small one-page PDF/A-3-shaped file
made directly with pikepdf, carrying a generated meeting (title, date, participants with
accented names, purpose, key points, outcomes, initiatives, sections: ~2.5 KB of YAML) as its
embedded source exactly where `briefgen archive` puts it (/AF, /AFRelationship /Source), and a
sealed manifest line for it. Rendering 10,000 real briefs would take ~20 minutes and measure the
PDF writer, not the index; the index reads only the manifest and the embedded sources, which
these files have in full. The archive-cost numbers archive real briefs (the example input).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

WORDS = [
    "maritime",
    "security",
    "mine",
    "clearance",
    "air",
    "policing",
    "rotation",
    "battlegroup",
    "deterrence",
    "harbour",
    "cyber",
    "resilience",
    "grain",
    "corridor",
    "energy",
    "sanctions",
    "logistics",
    "training",
    "exercise",
    "readiness",
    "procurement",
    "ammunition",
    "drones",
    "radar",
    "airspace",
    "patrol",
    "partnership",
    "reform",
    "budget",
    "fuel",
    "hospital",
    "bridge",
    "railway",
    "corridor",
    "elections",
    "observers",
    "refugees",
    "demining",
    "satellites",
]
NAMES = [
    "Radmila Šekerinska",
    "Željko Komšić",
    "Milo Đukanović",
    "Anna Berg",
    "Jens Holm",
    "Καλλιόπη Παππά",
    "Олена Коваленко",
    "Piotr Zieliński",
    "Aisha Rahman",
    "Łukasz Wróbel",
]
PLACES = ["Black Sea", "Baltic", "Danube", "Western Balkans", "Moldova", "Arctic", "Sahel"]


def filler(rng: random.Random, count: int = 4000) -> list[str]:
    """Made-up words for the bulk of the text: a real archive's vocabulary is large, so one
    query word matches a minority of briefs, not all of them."""
    letters = "abcdefghiklmnoprstuvz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) for _ in range(count)]


def variant(rng: random.Random, n: int, vocabulary: list[str]) -> dict[str, object]:
    def sentence(k: int = 12) -> str:
        # One word in ten is a topic word (each of them then appears in most briefs' text at
        # least once); the rest come from a Zipf-like draw over the filler vocabulary.
        words = [rng.choice(WORDS) if rng.random() < 0.1
                 else vocabulary[min(int(rng.paretovariate(1.0)) - 1, len(vocabulary) - 1)]
                 for _ in range(k)]  # fmt: skip
        return " ".join(words).capitalize() + "."

    year = rng.randint(2020, 2025)
    place = rng.choice(PLACES)
    return {
        "meeting": {
            "title": f"{place} {rng.choice(WORDS)} talks {n}",
            "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "location": f"{place} conference centre",
            "organiser": "Ministry of Defence",
            "classification": "PUBLIC",
            "id": f"meeting-{n}",
        },
        "participants": [
            {"name": name, "role": "Delegate", "classification": "PUBLIC"}
            for name in rng.sample(NAMES, 3)
        ],
        "purpose": sentence(25),
        "key_points": [{"title": sentence(3), "text": sentence(30)} for _ in range(4)],
        "outcomes": [{"text": sentence(20)} for _ in range(3)],
        "initiatives": [
            {"name": f"{rng.choice(WORDS)} initiative", "objective": sentence(15)} for _ in range(2)
        ],
        "sections": [{"heading": sentence(2), "body": sentence(40)}],
    }


def make_archive(folder: Path, count: int) -> None:
    import pikepdf
    import yaml

    from briefgen.manifest import GENESIS, MANIFEST, encode_line, seal

    rng = random.Random(2025)
    vocabulary = filler(rng)
    folder.mkdir(parents=True)
    head, lines = GENESIS, []
    for n in range(count):
        source = variant(rng, n, vocabulary)
        info: dict[str, str] = source["meeting"]  # type: ignore[assignment]
        data = (
            "# briefgen archive source: the meeting as cleared for the audience `archive`.\n"
            + yaml.dump(source, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
        ).encode()
        pdf = pikepdf.new()
        pdf.add_blank_page()
        spec = pikepdf.AttachedFileSpec(
            pdf,
            data,
            filename=f"m{n}.yaml",
            mime_type="application/yaml",
            mod_date="D:20250101000000+00'00'",
            relationship=pikepdf.Name.Source,
        )
        pdf.attachments[f"m{n}.yaml"] = spec
        pdf.Root.AF = pdf.make_indirect(pikepdf.Array([spec.obj]))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        body = out.getvalue()
        name = f"{info['date']}_meeting-{n}_archive_v1.pdf"
        (folder / name).write_bytes(body)
        entry = {
            "file": name,
            "sha256": hashlib.sha256(body).hexdigest(),
            "size": len(body),
            "version": 1,
            "audience": "archive",
            "marking": "PUBLIC",
            "source": f"m{n}.yaml",
            "source_sha256": hashlib.sha256(data).hexdigest(),
            "templates_sha256": "0" * 64,
            "templates": {f"t{i}": "0" * 64 for i in range(9)},
            "config_sha256": None,
            "briefgen_version": "0.1.0",
            "created": "2025-01-01T00:00:00Z",
            "source_date_epoch": 1735689600,
            "format": "PDF/A-3b",
            "embedded_sha256": hashlib.sha256(data).hexdigest(),
        }
        sealed = seal(entry, head)
        head = sealed["line_sha256"]
        lines.append(encode_line(sealed))
    (folder / MANIFEST).write_bytes(b"".join(lines))


QUERIES = [
    '"mine clearance"',
    "harbour",
    "rotat*",
    "komsic",
    "sekerinska",
    "dukanovic",
    '"air policing"',
    "cyber OR drones",
    "deterrence -budget",
    "παππα",
    "коваленко",
    "grain corridor",
    "satell*",
    "Moldova",
]


def archive_costs(folders: list[Path], runs: int) -> list[float]:
    """Median ms to archive a new brief into each folder; the folders take turns, so a load
    that comes and goes on a shared machine falls on all of them alike."""
    from briefgen.archive import archive

    example = REPO / "inputs" / "nato-sg-bih-presidency-2024-12-18.yaml"
    times: list[list[float]] = [[] for _ in folders]
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(runs):
            for k, folder in enumerate(folders):
                changed = Path(tmp) / f"variant{n}-{k}.yaml"
                changed.write_text(example.read_text("utf-8") + f"\n# variant {n} {k}\n", "utf-8")
                start = time.perf_counter()
                archive(changed, folder)
                times[k].append(time.perf_counter() - start)
    return [statistics.median(t) * 1000 for t in times]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--briefs", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    from briefgen.archive_index import INDEX_NAME, remove_index
    from briefgen.archive_index import refresh as refresh_index
    from briefgen.archive_search import search
    from briefgen.manifest import locked

    os.environ.setdefault("SOURCE_DATE_EPOCH", "1734519600")
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big"
        start = time.perf_counter()
        make_archive(big, args.briefs)
        print(f"generated {args.briefs} archived briefs in {time.perf_counter() - start:.1f} s")
        remove_index(big)
        start = time.perf_counter()
        with locked(big):
            refresh_index(big)
        print(
            f"index build: {time.perf_counter() - start:.1f} s, "
            f"{(big / INDEX_NAME).stat().st_size / 1e6:.1f} MB "
            f"(manifest {(big / 'manifest.jsonl').stat().st_size / 1e6:.1f} MB)"
        )
        matched = len(search(big, "harbour", limit=1000))
        print(f"`harbour` matches {matched} of the first 1000 ranked (a topic word)")
        latencies, slowest = [], []
        for n in range(100):
            query = QUERIES[n % len(QUERIES)]
            start = time.perf_counter()
            search(big, query, participant="Anna" if n % 5 == 0 else None)
            latencies.append((time.perf_counter() - start) * 1000)
            slowest.append((latencies[-1], query))
        latencies.sort()
        print(
            f"search, 100 queries (20 results each): median {statistics.median(latencies):.1f} "
            f"ms, p95 {latencies[94]:.1f} ms, max {latencies[-1]:.1f} ms; slowest: "
            + ", ".join(f"{q} {t:.0f} ms" for t, q in sorted(slowest, reverse=True)[:3])
        )
        archive_costs([Path(tmp) / "warmup"], 1)  # imports, fonts
        small, large = archive_costs([Path(tmp) / "empty", big], args.runs)
        print(
            f"archive one brief: {small:.0f} ms into an empty archive, {large:.0f} ms into "
            f"{args.briefs} briefs (+{large - small:.0f} ms)"
        )
        start = time.perf_counter()
        search(big, "harbour")
        print(
            f"search right after those archives: {(time.perf_counter() - start) * 1000:.1f} ms"
            " (the writers kept the index fresh)"
        )


if __name__ == "__main__":
    main()
