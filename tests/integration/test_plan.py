"""The plan callback (atelier.infra.plan) on the network layer against the emulator: what a plan on an empty account
says it would add is what the deploy then says it added, a converged stack plans nothing, and a console-style change
made with boto3 shows as exactly that attribute of that resource. Teardown at the end.
"""

import dataclasses
import json

import pytest

TAGS = ("--tags", "vpc")
VPC = "local-atelier"


def _run(emulator, tmp_path, name, playbook, *args):
    """One run with its plan written to tmp_path/<name>.json; returns (run, plan)."""
    path = tmp_path / f"{name}.json"
    run = dataclasses.replace(emulator, env={**emulator.env, "ATELIER_PLAN_FILE": str(path)}).playbook(playbook, *args)
    assert run.rc == 0, run.output[-10000:]
    return run, json.loads(path.read_text(encoding="utf-8"))


def _changes(plan):
    return [(c["action"], c["type"], c["name"], c["attributes"]) for layer in plan["layers"] for c in layer["changes"] if c["action"] != "keep"]


@pytest.fixture(scope="module")
def runs(emulator, tmp_path_factory):
    emulator.reset()
    tmp_path = tmp_path_factory.mktemp("plan")
    out = {"plan": _run(emulator, tmp_path, "plan", "site.yml", *TAGS, "--check", "--diff")}
    out["deploy"] = _run(emulator, tmp_path, "deploy", "site.yml", *TAGS)
    out["converged"] = _run(emulator, tmp_path, "converged", "site.yml", *TAGS, "--check")
    ec2 = emulator.client("ec2")
    vpc_id = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [VPC]}])["Vpcs"][0]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": False})
    out["console"] = _run(emulator, tmp_path, "console", "site.yml", *TAGS, "--check", "--diff")
    yield out
    teardown = emulator.playbook("playbooks/teardown.yml", *TAGS)
    assert teardown.rc == 0, teardown.output[-10000:]


def test_the_plan_of_an_empty_account_adds_what_the_deploy_adds(runs):
    run, plan = runs["plan"]
    assert run.mutating == []
    assert plan["mode"] == "check"
    added = plan["summary"]["add"]
    assert added > 0 and plan["summary"]["change"] == 0 and plan["summary"]["destroy"] == 0
    assert f"Plan: {added} to add, 0 to change, 0 to destroy." in run.output
    assert ("create", "vpc", VPC, []) in _changes(plan)
    # The callback's lines come after the default callback's recap, which the other tests parse.
    assert run.output.index("PLAY RECAP") < run.output.index("Plan: ")

    deploy, applied = runs["deploy"]
    assert applied["mode"] == "apply"
    assert applied["summary"]["add"] == added
    assert f"Apply complete: {added} added, " in deploy.output
    assert sorted(c for c in _changes(applied) if c[0] == "create") == sorted(c for c in _changes(plan) if c[0] == "create")


def test_a_converged_stack_plans_nothing(runs):
    run, plan = runs["converged"]
    assert run.mutating == [] and run.changed == 0
    assert "Plan: 0 to add, 0 to change, 0 to destroy." in run.output
    assert _changes(plan) == []


def test_a_console_change_shows_as_exactly_that_attribute(runs):
    run, plan = runs["console"]
    assert run.mutating == []
    assert _changes(plan) == [("update", "vpc", VPC, ["DNS hostnames on"])]
    assert "Plan: 0 to add, 1 to change, 0 to destroy." in run.output
