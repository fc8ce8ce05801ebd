"""Benchmark: wall time and AWS API calls of a layer against the emulator.

Runs a layer's sequence on an empty emulator account and records, for each run, the wall time, `changed` and the
requests the emulator saw (total, mutating, per service). Writes bench/results/<layer>_layer.json and prints a
Markdown table.

    .venv/bin/python bench/layers.py --layer network|data|tiers|edge [--repeat N]

network: the plan (site.yml --check --diff), the cold deploy, a no-op deploy, the plan on the converged stack,
the teardown. data (--tags dynamodb_global, the emulator's default replica delay of 2 s): the table with one
replica, adding the second replica, a no-op run, the teardown. tiers (--tags alb,asg_launch_template on a network
made first): the frontend tier alone (cold, no-op, teardown), then both shared tiers (cold, no-op), then the teardown
of everything: one tier against two shows what running the tiers as parallel hosts saves. edge (--tags cloudfront on
a network and ALBs made first, the emulator's default deployment time of 2 s): both shared tiers' distributions created and
waited for, a no-op run, an update of both and the wait, the teardown (disable, wait, delete).

The emulator answers in milliseconds, so these numbers are Ansible's own cost plus the fixed sleeps of the
upstream modules; on real AWS the NAT gateways' provisioning adds minutes to the cold deploy.
"""

import argparse
import collections
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from emulator.harness import Emulator, free_port, start_emulator, stop_emulator  # noqa: E402

DELETE_DATA = {"atelier_teardown_delete_data": True}
DATA = ["--tags", "dynamodb_global"]
TIERS = ["--tags", "alb,asg_launch_template"]
SHARED_TIERS = yaml.safe_load((REPO_ROOT / "inventories" / "shared" / "tiers.yml").read_text(encoding="utf-8"))["atelier_tiers"]
FRONTEND_ONLY = {"atelier_tiers": [t for t in SHARED_TIERS if t["name"] == "frontend"]}
EDGE = ["--tags", "cloudfront"]
PRICE_CLASS_ALL = {
    "atelier_tiers": [dict(t, distribution=dict(t.get("distribution", {}), price_class="PriceClass_All")) for t in SHARED_TIERS]
}
LAYERS = {
    "network": [
        ("plan, empty account", ["site.yml", "--check", "--diff"], None),
        ("deploy, cold", ["site.yml"], None),
        ("deploy, no-op", ["site.yml"], None),
        ("plan, converged", ["site.yml", "--check", "--diff"], None),
        ("teardown", ["playbooks/teardown.yml"], DELETE_DATA),
    ],
    "data": [
        ("create with replica eu-west-1", ["site.yml", *DATA], {"dynamodb_global_replicas": [{"region": "eu-west-1"}]}),
        ("add replica af-south-1", ["site.yml", *DATA], None),
        ("no-op", ["site.yml", *DATA], None),
        ("teardown", ["playbooks/teardown.yml", *DATA], DELETE_DATA),
    ],
    "tiers": [
        ("network (setup)", ["site.yml", "--tags", "vpc,security_groups"], None),
        ("one tier, cold", ["site.yml", *TIERS], FRONTEND_ONLY),
        ("one tier, no-op", ["site.yml", *TIERS], FRONTEND_ONLY),
        ("one tier, teardown", ["playbooks/teardown.yml", *TIERS], {**FRONTEND_ONLY, **DELETE_DATA}),
        ("two tiers, cold", ["site.yml", *TIERS], None),
        ("two tiers, no-op", ["site.yml", *TIERS], None),
        ("two tiers, teardown", ["playbooks/teardown.yml", *TIERS], DELETE_DATA),
    ],
    "edge": [
        ("network and ALBs (setup)", ["site.yml", "--tags", "vpc,security_groups,alb"], None),
        ("two distributions, cold, with the wait", ["site.yml", *EDGE], None),
        ("no-op", ["site.yml", *EDGE], None),
        ("price class change, with the wait", ["site.yml", *EDGE], PRICE_CLASS_ALL),
        ("teardown: disable, wait, delete", ["playbooks/teardown.yml", *EDGE], None),
    ],
}


def measure(emulator: Emulator, runs: list) -> list[dict]:
    emulator.reset()
    rows = []
    for name, args, extra_vars in runs:
        started = time.monotonic()
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        run = emulator.playbook(*args, extra_vars=extra_vars)
        seconds = time.monotonic() - started
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
        if run.rc != 0:
            raise SystemExit(f"{name} failed:\n{run.output[-5000:]}")
        services = collections.Counter(r["service"] for r in run.requests)
        rows.append(
            {
                "run": name,
                "seconds": round(seconds, 1),
                "ansible_cpu_seconds": round(cpu, 1),
                "changed": run.changed,
                "api_calls": len(run.requests),
                "mutating_calls": len(run.mutating),
                "by_service": dict(sorted(services.items())),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layer", choices=sorted(LAYERS), default="network", help="which layer's sequence to run")
    parser.add_argument("--repeat", type=int, default=1, help="repeat the whole sequence and report the median time")
    args = parser.parse_args()

    emulator = start_emulator(free_port(), Path(tempfile.mkdtemp(prefix="atelier-bench-")))
    try:
        rounds = [measure(emulator, LAYERS[args.layer]) for _ in range(args.repeat)]
    finally:
        stop_emulator(emulator)

    rows = rounds[0]
    for i, row in enumerate(rows):
        row["seconds"] = round(statistics.median(r[i]["seconds"] for r in rounds), 1)
    result = {
        "benchmark": f"{args.layer} layer, default settings, inventories/local",
        "command": f"python bench/layers.py --layer {args.layer} --repeat {args.repeat}",
        "machine": f"{platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} cores",
        "date": time.strftime("%Y-%m-%d"),
        "runs": rows,
    }
    out = REPO_ROOT / "bench" / "results" / f"{args.layer}_layer.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("| run | wall s | Ansible CPU s | changed | API calls | mutating |\n| --- | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(
            f"| {row['run']} | {row['seconds']} | {row['ansible_cpu_seconds']} | {row['changed']} | {row['api_calls']} "
            f"| {row['mutating_calls']} |"
        )
    print(f"\nwritten to {out.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
