"""The local job templates run the way AWX runs a job: ansible-runner on a private data directory shaped like AWX's.

AWX checks the project out into ``project/``, hands the job an inventory script printing the inventory it imported
from ``inventories/<env>`` (``ansible-inventory --list --export``), injects the "Amazon Web Services" credential as
environment variables, merges the survey answers into the template's extra vars, sets its own collections path
(the project finds atelier.infra only through its playbook-adjacent link) and runs ansible-playbook with no TTY.
The job template fields (playbook, job type, diff mode, tags, extra vars) come from awx/configure.yml's export, so
this runs what AWX would run. The emulator's request log tells which credential signed each call.
"""

import base64
import json
import shlex
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.awx_export import export_awx_config, extra_vars_of
from emulator.harness import BIN, REPO_ROOT, awx_inventory_script, requestlog

PREFIX = "local-atelier"
ACCESS_KEY = "AKIAAWXJOBCREDENTIAL"
SECRET_KEY = "awx-injected-" + uuid.uuid4().hex
# What an operator answers in the deploy survey: the rest of the questions are left empty.
SURVEY = {"frontend_desired_capacity": 3, "frontend_image_tag": "2026.11.29", "backend_max_size": 5}
# Above AWX's default verbosity 0 on purpose: no_log must hold when an operator raises it to debug a job.
VERBOSITY = 3


@pytest.fixture(scope="module")
def job_templates(tmp_path_factory):
    exported = export_awx_config(tmp_path_factory.mktemp("awx") / "awx_config.json")
    return {t["name"]: t for t in exported["job_templates"]}


def _project_copy(destination: Path) -> None:
    """The repository as an SCM checkout has it: tracked and untracked-but-not-ignored files, links kept."""
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO_ROOT, capture_output=True, check=True
    ).stdout
    names = [f for f in files.split(b"\0") if f]
    existing = b"\0".join(f for f in names if (REPO_ROOT / f.decode()).is_symlink() or (REPO_ROOT / f.decode()).exists())
    destination.mkdir(parents=True)
    subprocess.run(["tar", "--null", "-T", "-", "-cf", str(destination / "project.tar")], input=existing, cwd=REPO_ROOT, check=True)
    subprocess.run(["tar", "-xf", "project.tar"], cwd=destination, check=True)
    (destination / "project.tar").unlink()


def _job_env(emulator, data_dir: Path) -> dict:
    """The environment ansible-runner starts in: AWX's own collections path and nothing of the caller's Ansible or
    AWS settings. The credential reaches the job only through env/envvars, as AWX injects it."""
    env = {k: v for k, v in emulator.env.items() if not k.startswith(("ANSIBLE_", "AWS_"))}
    env.update(ANSIBLE_COLLECTIONS_PATH=str(data_dir / "requirements_collections"), ANSIBLE_NOCOLOR="1")
    return env


def run_job(emulator, template: dict, survey: dict, data_dir: Path) -> dict:
    """Build the private data directory for one job of the template, run it with ansible-runner, return the outcome."""
    project = data_dir / "project"
    _project_copy(project)
    (data_dir / "requirements_collections").mkdir()
    env = _job_env(emulator, data_dir)
    # The inventory AWX imported from inventories/local, handed over as a script.
    script = awx_inventory_script("inventories/local", data_dir / "inventory", env, cwd=project)
    (data_dir / "env").mkdir()
    (data_dir / "env" / "extravars").write_text(json.dumps({**extra_vars_of(template), **survey}), encoding="utf-8")
    (data_dir / "env" / "envvars").write_text(json.dumps({"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}), encoding="utf-8")
    args = ["-" + "v" * VERBOSITY]
    if template.get("job_type") == "check":
        args.append("--check")
    if template.get("diff_mode"):
        args.append("--diff")
    if template.get("job_tags"):
        args += ["--tags", template["job_tags"]]
    (data_dir / "env" / "cmdline").write_text(shlex.join(args), encoding="utf-8")
    offset = requestlog.current_offset(emulator.request_log)
    completed = subprocess.run(
        [str(BIN / "ansible-runner"), "run", str(data_dir), "-p", template["playbook"], "--inventory", str(script),
         "--ident", "job", "-q"],
        env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=1500, check=False,
    )
    artifacts = data_dir / "artifacts" / "job"
    events = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((artifacts / "job_events").glob("*.json"))]
    return {
        "runner": completed,
        "status": (artifacts / "status").read_text(encoding="utf-8").strip() if (artifacts / "status").exists() else "",
        "rc": (artifacts / "rc").read_text(encoding="utf-8").strip() if (artifacts / "rc").exists() else "",
        "stdout": (artifacts / "stdout").read_text(encoding="utf-8") if (artifacts / "stdout").exists() else "",
        "events": events,
        "requests": requestlog.read_requests(emulator.request_log, since_offset=offset),
    }


def stats(job: dict) -> dict:
    return next(e for e in job["events"] if e["event"] == "playbook_on_stats")["event_data"]


@pytest.fixture(scope="module")
def plan(emulator, job_templates, tmp_path_factory):
    emulator.reset()
    return run_job(emulator, job_templates["atelier local plan"], SURVEY, tmp_path_factory.mktemp("plan"))


@pytest.fixture(scope="module")
def deploy(emulator, job_templates, plan, tmp_path_factory):
    job = run_job(emulator, job_templates["atelier local deploy"], SURVEY, tmp_path_factory.mktemp("deploy"))
    yield job
    emulator.reset()


def test_the_plan_template_runs_and_creates_nothing(plan, emulator):
    assert plan["status"] == "successful", plan["stdout"][-5000:] + plan["runner"].stderr
    assert plan["requests"], "the plan reads the account"
    assert requestlog.mutating(plan["requests"]) == []
    assert emulator.client("ec2").describe_vpcs(Filters=[{"Name": "tag:atelier:env", "Values": ["local"]}])["Vpcs"] == []


def test_the_deploy_template_succeeds_and_reports_each_host(deploy):
    assert (deploy["status"], deploy["rc"]) == ("successful", "0"), deploy["stdout"][-5000:] + deploy["runner"].stderr
    data = stats(deploy)
    assert data["failures"] == {} and data["dark"] == {}
    assert {"control", "frontend", "backend"} <= set(data["changed"])
    assert all(data["changed"][h] > 0 for h in ("control", "frontend", "backend"))


def test_every_call_used_the_credential_awx_injected(deploy):
    assert deploy["requests"]
    assert {r["access_key"] for r in deploy["requests"]} == {ACCESS_KEY}


def test_the_survey_answers_reached_the_tiers(deploy, emulator):
    autoscaling = emulator.client("autoscaling")
    groups = {g["AutoScalingGroupName"]: g for g in autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]}
    frontend, backend = groups[f"{PREFIX}-frontend"], groups[f"{PREFIX}-backend"]
    assert (frontend["MinSize"], frontend["DesiredCapacity"], frontend["MaxSize"]) == (2, 3, 4)
    assert (backend["MinSize"], backend["DesiredCapacity"], backend["MaxSize"]) == (2, 2, 5)
    ec2 = emulator.client("ec2")
    version = ec2.describe_launch_template_versions(LaunchTemplateName=f"{PREFIX}-frontend", Versions=["$Latest"])
    user_data = base64.b64decode(version["LaunchTemplateVersions"][0]["LaunchTemplateData"]["UserData"]).decode()
    assert "goal-tracker-frontend:2026.11.29" in user_data
    assert "goal-tracker-frontend:latest" not in user_data


def test_the_job_made_the_whole_stack(deploy, emulator):
    assert emulator.client("ec2").describe_vpcs(Filters=[{"Name": "tag:atelier:env", "Values": ["local"]}])["Vpcs"]
    assert emulator.client("dynamodb").list_tables()["TableNames"]
    balancers = emulator.client("elbv2").describe_load_balancers()["LoadBalancers"]
    assert {b["LoadBalancerName"] for b in balancers} >= {f"{PREFIX}-frontend", f"{PREFIX}-backend"}
    items = emulator.client("cloudfront").list_distributions()["DistributionList"].get("Items", [])
    assert {(d["Comment"], d["Status"]) for d in items} == {(f"{PREFIX}-frontend", "Deployed"), (f"{PREFIX}-backend", "Deployed")}


def test_no_secret_reaches_any_job_event(deploy, plan, emulator):
    secretsmanager = emulator.client("secretsmanager")
    secrets = [secretsmanager.get_secret_value(SecretId=s["ARN"])["SecretString"] for s in secretsmanager.list_secrets()["SecretList"]]
    origin_secrets = [s for s in secrets if len(s) >= 16]
    assert len(origin_secrets) >= 2, "each CloudFront tier's ALB has its origin secret"
    for job in (plan, deploy):
        events = json.dumps(job["events"])
        assert len(job["events"]) > 100
        for secret in [SECRET_KEY, *origin_secrets]:
            assert secret not in events
            assert secret not in job["stdout"]
