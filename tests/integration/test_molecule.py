"""Each role's molecule scenario (converge, idempotence, verify, cleanup) against this session's emulator."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
SCENARIOS = sorted(p.parent.name for p in (REPO_ROOT / "molecule").glob("*/molecule.yml"))


def test_every_role_has_a_scenario():
    roles = sorted(p.name for p in (REPO_ROOT / "roles").iterdir() if p.is_dir())
    assert SCENARIOS == roles


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario(emulator, scenario):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "molecule"), "test", "-s", scenario],
        cwd=REPO_ROOT,
        env=emulator.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=1200,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-20000:]
    # Every step of the scenario's test sequence ran and succeeded (idempotence fails on any change): molecule names
    # the matrix it will run, then says "<scenario> ➜ <step>: Executed: Successful" after each step.
    output = ANSI.sub("", result.stdout)
    matrix = re.search(rf"{scenario} ➜ discovery: scenario test matrix: (.+)", output)
    assert matrix, output[-5000:]
    steps = [step.strip() for step in matrix.group(1).split(",")]
    assert {"converge", "idempotence", "verify", "cleanup"} <= set(steps), steps
    for step in set(steps):
        done = re.findall(rf"^INFO\s+{scenario} ➜ {step}: Executed: Successful", output, re.M)
        assert len(done) == steps.count(step), f"{step}: ran {len(done)} of {steps.count(step)} times\n{output[-5000:]}"
