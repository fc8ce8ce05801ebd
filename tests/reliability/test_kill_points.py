"""Interrupted runs converge: a cold deploy of the local stack (playbooks/site.yml, inventories/local) is SIGKILLed -
the whole process tree, ansible-playbook, its workers and the module runs in flight, as when a CI runner or an
operator's laptop dies - at 5 points spread across the deploy, each kill followed by a rerun that is itself killed at
the next point, and the last rerun completes. The stack then holds exactly what a clean deploy holds (the same names,
none twice, the same tagged resources: no duplicate, no half-resource left behind), and one more run changes nothing
and makes no mutating call.

The kill points are not hard-coded: a clean deploy (the worker's, tests/conftest.py clean_local_deploy, shared with
test_second_stack.py and test_deployer_policy.py) counts its mutating requests (N), and run j of the chain is
killed right after the mutating request that brings the chain's count to j * N / 6 (at least one of its own), so
the kills fall evenly over the deploy's layers and modules; the test prints the action each kill followed and what
was still in flight, and checks that the kills followed the actions of several services (layers).

Cost: the chain (about one deploy plus the replays of what each rerun finds done) and a no-op, plus the clean deploy
when no earlier test of the worker made it. With ten kills it was the suite's longest test (365 s of the CI
rehearsal of 2026-12-05); five kills replay half as much.
"""

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from emulator.harness import BIN
from emulator.harness import REPO_ROOT

from tests.reliability.resources import by_name
from tests.reliability.resources import by_tags
from tests.reliability.resources import differences
from tests.reliability.resources import duplicates

PLAYBOOK = "playbooks/site.yml"
INVENTORY = "inventories/local"
PREFIX = "local-atelier"
# Five, not ten: each rerun replays what the runs before it made, so the chain's cost grows with the number of kills
# (ten took 365 s of the CI rehearsal). At N / 6 apart the five fall in five services of a clean deploy (ec2, logs,
# ecr, elasticloadbalancing, ssm: two deploys' request logs, 2026-12-05), four when every point moves 4 requests
# either way (six points, N / 7 apart, fell three times in ec2: four services, three when moved).
KILLS = 5


def action_of(entry):
    return f"{entry['service']}:{entry['action']}"


def kill_positions(total, count=KILLS):
    """count positions (1-based, increasing) evenly spread over a deploy's total mutating requests."""
    return [max(1, total * index // (count + 1)) for index in range(1, count + 1)]


def _children():
    """{parent pid: [child pids]} of every process now."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    return children


def _tree(pid):
    children, found, todo = _children(), [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def kill_tree(pid):
    """SIGKILL pid and every process under it (workers, module runs, whatever their session): stopped first, so that
    none forks a new one in between."""
    for _round in range(2):
        for member in _tree(pid):
            try:
                os.kill(member, signal.SIGSTOP)
            except ProcessLookupError:
                pass
    for member in _tree(pid):
        try:
            os.kill(member, signal.SIGKILL)
        except ProcessLookupError:
            pass


class Chain:
    """Runs of the deploy, each killed (its whole process tree) right after the emulator logged its kill point."""

    def __init__(self, emulator, workdir):
        self.emulator, self.workdir = emulator, workdir
        self.count = 0  # mutating requests since the chain began
        self.offset = emulator.request_log.stat().st_size if emulator.request_log.exists() else 0

    def _new_entries(self):
        with self.emulator.request_log.open("rb") as stream:
            stream.seek(self.offset)
            data = stream.read()
        complete = data[: data.rfind(b"\n") + 1]
        self.offset += len(complete)
        return [json.loads(line) for line in complete.splitlines() if line.strip()]

    def run(self, number, position=None):
        """One run; with a position, killed right after the mutating request that brings the chain's count to it (at
        least one of this run's own). Returns (rc, output, the request the kill followed, what came in after it)."""
        log = self.workdir / f"run{number}.log"
        followed, own = None, 0
        with log.open("w") as out:
            process = subprocess.Popen(
                [str(BIN / "ansible-playbook"), PLAYBOOK, "-i", INVENTORY],
                cwd=REPO_ROOT, env=self.emulator.env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            deadline = time.monotonic() + 1800
            while process.poll() is None and followed is None and time.monotonic() < deadline:
                for entry in self._new_entries():
                    if not entry["mutating"]:
                        continue
                    self.count, own = self.count + 1, own + 1
                    if position and followed is None and self.count >= position:
                        kill_tree(process.pid)
                        followed = dict(entry, count=self.count)
                time.sleep(0.02)
            if process.poll() is None and followed is None:
                kill_tree(process.pid)
            process.wait()
        time.sleep(1)  # a request in flight when the run died reaches the log
        after = [action_of(e) for e in self._new_entries() if e["mutating"]]
        self.count += len(after)
        return process.returncode, log.read_text(), followed, after


def test_five_kill_points_across_a_cold_deploy_end_in_the_clean_stack(emulator, clean_local_deploy, tmp_path):
    # The reference: the worker's clean deploy of the same playbook and inventory on an empty account
    # (tests/conftest.py clean_local_deploy, made once and shared with test_second_stack.py and
    # test_deployer_policy.py, which run before this file and leave the account changed: the chain starts on an empty
    # one).
    want_names, want_tags, total = clean_local_deploy.names, clean_local_deploy.tags, clean_local_deploy.mutating
    assert want_names and want_tags and total > KILLS

    emulator.reset()
    chain = Chain(emulator, tmp_path)
    report, services = [], set()
    for number, position in enumerate(kill_positions(total), start=1):
        rc, output, followed, after = chain.run(number, position)
        assert followed is not None, "\n".join(report) + f"\nrun {number} ended (rc {rc}) before its kill point\n" + output[-6000:]
        services.add(followed["service"])
        report.append(f"run {number}: killed after {action_of(followed)} (mutating request {followed['count']} of the "
                      f"chain, aimed at {position} of {total}); logged after it: {after or 'nothing'}")
        assert rc == -signal.SIGKILL, "\n".join(report)
    print("\n".join(report))
    # Spread over the deploy: the kills followed the requests of several services (layers), not of one module.
    assert len(services) >= 4, "\n".join(report)

    rc, last, _followed, _after = chain.run(KILLS + 1)
    assert rc == 0, "\n".join(report) + "\n" + last[-8000:]
    have_names = by_name(emulator, PREFIX)
    # An Auto Scaling group's instances share its Name: they are counted against the clean deploy's just below.
    assert {kind: names for kind, names in duplicates(have_names).items() if kind != "instance"} == {}, "\n".join(report)
    assert differences(want_names, have_names) == [], "\n".join(report)
    assert differences(want_tags, dict(by_tags(emulator, "local", "atelier"))) == [], "\n".join(report)

    no_op = emulator.playbook(PLAYBOOK)
    assert no_op.rc == 0 and no_op.changed == 0, no_op.output[-8000:]
    assert no_op.mutating == [], no_op.mutating
