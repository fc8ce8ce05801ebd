"""Each role's molecule scenario (converge, idempotence, verify, cleanup) against this session's emulator, and the
collection's default scenario (a syntax check of the whole stack)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# molecule's collection layout: extensions/molecule/<scenario>, the shared configuration in .config/molecule/config.yml.
SCENARIOS = sorted(p.parent.name for p in (REPO_ROOT / "extensions" / "molecule").glob("*/molecule.yml"))


def test_every_role_has_a_scenario():
    roles = sorted(p.name for p in (REPO_ROOT / "roles").iterdir() if p.is_dir())
    assert [s for s in SCENARIOS if s != "default"] == roles
    assert "default" in SCENARIOS


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
    # (Without colours, as here, molecule writes "[<scenario> > <step>] Executed: Successful".)
    output = ANSI.sub("", result.stdout)
    assert "CRITICAL" not in output and "should migrate" not in output, output[:2000]
    matrix = re.search(rf"^INFO\s+(?:\[{scenario} > discovery\]|{scenario} ➜ discovery:) scenario test matrix: (.+)$", output, re.M)
    assert matrix, output[-5000:]
    steps = [step.strip() for step in matrix.group(1).split(",")]
    expected = {"syntax"} if scenario == "default" else {"converge", "idempotence", "verify", "cleanup"}
    assert expected <= set(steps), steps
    for step in set(steps):
        done = re.findall(rf"^INFO\s+(?:\[{scenario} > {step}\]|{scenario} ➜ {step}:) Executed: Successful", output, re.M)
        assert len(done) == steps.count(step), f"{step}: ran {len(done)} of {steps.count(step)} times\n{output[-5000:]}"
