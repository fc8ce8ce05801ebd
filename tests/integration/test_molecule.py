"""Each role's molecule scenario (converge, idempotence, verify, cleanup) against this session's emulator, and the
collection's default scenario (a syntax check of the whole stack).

`molecule test` as a user runs it, with two steps less, both repeated by the steps that stay (a scenario with its own
sequence keeps it whole):
- the opening cleanup (.config/molecule/config.yml) removes what an interrupted run of the scenario left in a
  long-lived emulator; here each scenario runs once per session on the worker's own emulator, under its own stack
  name, so nothing of it can be there yet: that step only ran the final cleanup's playbook on an empty account (92 s
  of the vpc scenario's 347 s on the loaded machine);
- syntax is ansible-playbook --syntax-check of the converge playbook, which converge then parses and runs (16 s).
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# molecule's collection layout: extensions/molecule/<scenario>, the shared configuration in .config/molecule/config.yml.
SCENARIOS = sorted(p.parent.name for p in (REPO_ROOT / "extensions" / "molecule").glob("*/molecule.yml"))
SHARED_CONFIG = REPO_ROOT / ".config" / "molecule" / "config.yml"


@pytest.fixture(scope="module")
def base_configs(tmp_path_factory):
    """molecule's -c options: the shared configuration, then its sequence without the opening cleanup and syntax."""
    sequence = yaml.safe_load(SHARED_CONFIG.read_text(encoding="utf-8"))["scenario"]["test_sequence"]
    assert sequence[0] == "cleanup" and "cleanup" in sequence[1:] and "converge" in sequence, sequence
    session = [step for step in sequence[1:] if step != "syntax"]
    here = tmp_path_factory.mktemp("molecule") / "session.yml"
    here.write_text(yaml.safe_dump({"scenario": {"test_sequence": session}}), encoding="utf-8")
    return ["-c", str(SHARED_CONFIG), "-c", str(here)]


def test_every_role_has_a_scenario():
    roles = sorted(p.name for p in (REPO_ROOT / "roles").iterdir() if p.is_dir())
    assert [s for s in SCENARIOS if s != "default"] == roles
    assert "default" in SCENARIOS


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario(emulator, base_configs, scenario):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "molecule"), *base_configs, "test", "-s", scenario],
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
