"""Where the last test run's time went, from build/test-times.jsonl (tests/conftest.py writes it).

    .venv/bin/python -m tests.times [--units N] [FILE]

Per worker: when it ran its first and last test phase and how many seconds its tests took; then the longest units of
work (tests/conftest.py's work_unit) with their seconds, worker and estimate in SECONDS.
"""

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.conftest import SECONDS, TIMES  # noqa: E402


def summary(lines):
    """({worker: (first start, last end, seconds)}, [(unit, seconds, worker, first start)] longest first)."""
    workers = defaultdict(lambda: [float("inf"), 0.0, 0.0])
    units = defaultdict(lambda: [0.0, "", float("inf")])
    for line in lines:
        start = line["end"] - line["seconds"]
        worker = workers[line["worker"]]
        worker[0], worker[1] = min(worker[0], start), max(worker[1], line["end"])
        worker[2] += line["seconds"]
        unit = units[line["unit"]]
        unit[0] += line["seconds"]
        unit[1], unit[2] = line["worker"], min(unit[2], start)
    ordered = sorted(((name, *values) for name, values in units.items()), key=lambda unit: -unit[1])
    return {name: tuple(values) for name, values in workers.items()}, ordered


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=TIMES)
    parser.add_argument("--units", type=int, default=40, help="how many of the longest units to list")
    args = parser.parse_args(argv)
    lines = [json.loads(text) for text in args.file.read_text(encoding="utf-8").splitlines() if text]
    if not lines:
        parser.exit(1, f"{args.file}: no test phase recorded\n")
    workers, units = summary(lines)
    origin = min(first for first, _, _ in workers.values())
    for name, (first, last, seconds) in sorted(workers.items()):
        print(f"{name}: {first - origin:7.0f} s to {last - origin:7.0f} s, tests {seconds:7.0f} s")
    print(f"\n{'unit':<100} {'seconds':>8} {'SECONDS':>8} worker start")
    for name, seconds, worker, first in units[: args.units]:
        estimate = SECONDS.get(name, "")
        print(f"{name:<100} {seconds:8.0f} {estimate:>8} {worker} {first - origin:6.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
