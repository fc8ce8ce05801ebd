"""What awx/configure.yml would send to AWX, from the playbook's own templating (``--tags export``).

Used by tests/test_awx_config.py (the templates are in step with the playbooks and roles) and by
tests/integration/test_awx_runner.py (a job run the way AWX runs the local deploy and plan templates).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
SCM_URL = "https://git.example.invalid/atelier/atelier-infra.git"


def export_awx_config(path: Path) -> dict:
    """Run awx/configure.yml in export mode (no awx.awx task runs) and return what it wrote to path."""
    env = dict(os.environ, ANSIBLE_CONFIG=str(REPO_ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    for name in list(env):  # the export must not depend on (or see) keys of the caller
        if name.startswith(("AWS_", "ATELIER_AWX_", "CONTROLLER_")):
            del env[name]
    command = [
        str(Path(sys.executable).parent / "ansible-playbook"),
        "awx/configure.yml",
        "--tags",
        "export",
        "-e",
        f"atelier_awx_scm_url={SCM_URL}",
        "-e",
        f"atelier_awx_export_path={path}",
    ]
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(Path(path).read_text(encoding="utf-8"))


def extra_vars_of(template: dict) -> dict:
    """A job template's extra_vars as AWX stores them (a YAML or JSON string, or a dict)."""
    value = template.get("extra_vars") or {}
    return yaml.safe_load(value) if isinstance(value, str) else dict(value)
