"""Where a tier's CPU goes: the module processes against ansible-playbook's own, for two tier counts, cold and no-op.

    .venv/bin/python bench/module_cpu.py [--tiers 2,8] [--output FILE]

Runs part c's stack (bench/suite.py: the local stack's network and data with generated tiers) cold, then again (no-op),
for each tier count on an emulator of its own. Every module process is timed: the modules' interpreter is a wrapper
script (ansible_python_interpreter) that runs the project's Python under /usr/bin/time, one line per process (user and
system seconds, the AnsiballZ file, which names the module). The run's whole CPU is bench/suite.py's (ansible-playbook
and every process it waited for); the difference is ansible-playbook's main process and its forked workers (loading,
templating, conditions). It prints, per extra tier (between the smallest and the largest count), the CPU of the run,
of the modules and of the rest, and per module its runs and CPU-seconds; bench/README.md keeps what it found.

The wrapper's own cost (a shell and /usr/bin/time per module process) is in the numbers; compare its runs with each
other, not with bench/suite.py's.
"""

import argparse
import json
import re
import shutil
import signal
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

# One line per module process, written by the wrapper: "<user s> <system s> <the interpreter's arguments>".
TIME_LINE = re.compile(r"^(?P<user>\d+(?:\.\d+)?) (?P<system>\d+(?:\.\d+)?) (?P<args>.*)$")
ANSIBALLZ = re.compile(r"AnsiballZ_(?P<module>\w+)\.py")


def module_cpu(lines) -> dict[str, dict]:
    """Per module (the AnsiballZ file's name; the interpreter's first argument when there is none): its runs and
    CPU-seconds (user + system), from the wrapper's lines. Lines that are not the wrapper's (/usr/bin/time reports a
    process killed by a signal on a line of its own) are skipped."""
    out: dict[str, dict] = defaultdict(lambda: {"runs": 0, "cpu_s": 0.0})
    for line in lines:
        match = TIME_LINE.match(line.strip())
        if not match:
            continue
        name = ANSIBALLZ.search(match["args"])
        key = name["module"] if name else (match["args"].split() or ["?"])[0]
        out[key]["runs"] += 1
        out[key]["cpu_s"] = round(out[key]["cpu_s"] + float(match["user"]) + float(match["system"]), 2)
    return dict(out)


def per_extra_tier(small: dict, large: dict, extra: int) -> dict:
    """What each tier beyond the smaller count adds: the run's CPU, the modules', the rest (ansible-playbook's), and per
    module whose run count differs its runs and CPU-seconds."""
    def total(modules):
        return sum(m["cpu_s"] for m in modules.values())

    modules = {}
    for name in sorted(set(small["modules"]) | set(large["modules"])):
        a = small["modules"].get(name, {"runs": 0, "cpu_s": 0.0})
        b = large["modules"].get(name, {"runs": 0, "cpu_s": 0.0})
        if b["runs"] != a["runs"]:  # the same runs differ by noise only
            modules[name] = {"runs": round((b["runs"] - a["runs"]) / extra, 2), "cpu_s": round((b["cpu_s"] - a["cpu_s"]) / extra, 2)}
    run = (large["cpu_s"] - small["cpu_s"]) / extra
    in_modules = (total(large["modules"]) - total(small["modules"])) / extra
    return {"run_cpu_s": round(run, 2), "modules_cpu_s": round(in_modules, 2), "rest_cpu_s": round(run - in_modules, 2),
            "modules": dict(sorted(modules.items(), key=lambda kv: -kv[1]["cpu_s"]))}


def measure(size: int) -> dict:
    from bench.suite import Bench, generated_tiers  # the emulator and the playbooks: not for the pure parts above

    bench = Bench(f"module-cpu-{size}")
    try:
        log = bench.state_dir / "modules.log"
        wrapper = bench.state_dir / "python"
        wrapper.write_text(f'#!/bin/sh\nexec /usr/bin/time -a -o {log} -f "%U %S $*" {sys.executable} "$@"\n', encoding="utf-8")
        wrapper.chmod(0o755)
        tiers = generated_tiers(size)
        extra = {"atelier_tiers": tiers, "security_groups_database_clients": [tiers[0]["name"]],
                 "ansible_python_interpreter": str(wrapper)}
        out = {}
        for step in ("cold", "no-op"):
            log.unlink(missing_ok=True)
            row = bench.run(f"{size} tiers, {step}", "site.yml", extra_vars=extra)
            lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
            out[step] = {"wall_s": row["wall_s"], "cpu_s": row["cpu_s"], "modules": module_cpu(lines)}
        return out
    finally:
        bench.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiers", default="2,8", help="two tier counts (default 2,8)")
    parser.add_argument("--output", type=Path, help="write the measurements and the per-tier table as JSON")
    args = parser.parse_args(argv)
    # Stopped with SIGTERM or SIGINT, it still stops its emulator (as bench/suite.py does).
    for stop in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop, lambda number, _frame: sys.exit(128 + number))
    sizes = sorted(int(s) for s in args.tiers.split(","))
    if len(sizes) != 2 or sizes[0] >= sizes[1]:
        parser.error("--tiers takes two different counts, e.g. 2,8")
    if not shutil.which("time", path="/usr/bin"):
        parser.error("/usr/bin/time is needed (Debian: apt-get install time)")
    runs = {size: measure(size) for size in sizes}
    extra = sizes[1] - sizes[0]
    from bench.suite import commit, machine

    report = {"command": "python bench/module_cpu.py " + " ".join(argv if argv is not None else sys.argv[1:]),
              "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": machine(), **commit(), "runs": runs, "per_extra_tier": {}}
    for step in ("cold", "no-op"):
        table = per_extra_tier(runs[sizes[0]][step], runs[sizes[1]][step], extra)
        report["per_extra_tier"][step] = table
        print(f"\n{step}: per tier beyond {sizes[0]}: run {table['run_cpu_s']} CPU-s, modules {table['modules_cpu_s']}, "
              f"the rest (ansible-playbook and its workers) {table['rest_cpu_s']}")
        for name, row in table["modules"].items():
            print(f"  {name:32} {row['runs']:5} runs  {row['cpu_s']:6} CPU-s")
    if args.output:
        args.output.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
