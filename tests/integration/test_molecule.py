"""Each role's molecule scenario (converge, idempotence, verify, cleanup) against this session's emulator."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
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
    # molecule's idempotence step fails on any change; make sure it really ran.
    assert "idempotence" in result.stdout.lower()
