"""make drift's second half (playbooks/drift.yml): the stack's resources no declaration owns, found in the account.

Resources are made out of band with boto3 (as in the console): a tier the inventory does not declare ("ghost": its
target group tagged for the stack, its instance role and log group named by the contract), and two that must not be
reported (a target group of a declared tier, one tagged for another stack). No deployment is needed.
"""

import json

# The stack contract's names and tags for the local inventory (plugins/module_utils/stack.py), written out.
GHOST = {"target_group": "local-atelier-ghost-tg", "instance_role": "local-atelier-ghost-instance", "log_group": "/aws/ec2/local-atelier/ghost"}
CLEAN = "Every tier resource of the stack is declared."


def _tags(stack, tier):
    return {"atelier:env": "local", "atelier:stack": stack, "atelier:tier": tier}


def _target_group(emulator, vpc_id, name, tags):
    elb = emulator.client("elbv2")
    arn = elb.create_target_group(Name=name, Protocol="HTTP", Port=80, VpcId=vpc_id, TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]
    elb.add_tags(ResourceArns=[arn], Tags=[{"Key": k, "Value": v} for k, v in tags.items()])


def _drift(emulator, tmp_path, name):
    path = tmp_path / f"{name}.json"
    run = emulator.playbook("playbooks/drift.yml", extra_vars={"atelier_drift_file": str(path)})
    assert run.rc == 0, run.output[-10000:]
    assert run.mutating == [], run.mutating
    return run, json.loads(path.read_text(encoding="utf-8"))


def test_drift_reports_what_was_made_out_of_band_for_an_undeclared_tier(emulator, tmp_path):
    emulator.reset()
    run, report = _drift(emulator, tmp_path, "before")
    assert CLEAN in run.output
    assert report["resources"] == [] and report["tiers"] == []

    ghost = GHOST
    vpc_id = emulator.client("ec2").create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    _target_group(emulator, vpc_id, ghost["target_group"], _tags("atelier", "ghost"))
    _target_group(emulator, vpc_id, "local-atelier-frontend-tg", _tags("atelier", "frontend"))
    _target_group(emulator, vpc_id, "other-shop-ghost-tg", _tags("other", "ghost"))
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    emulator.client("iam").create_role(RoleName=ghost["instance_role"], AssumeRolePolicyDocument=json.dumps(trust))
    emulator.client("logs").create_log_group(logGroupName=ghost["log_group"])

    run, report = _drift(emulator, tmp_path, "after")
    assert CLEAN not in run.output
    assert report["tiers"] == ["ghost"]
    found = {(r["tier"], r["type"], r["name"], r["fate"]) for r in report["resources"]}
    assert found == {
        ("ghost", "target group", ghost["target_group"], "removed"),
        ("ghost", "iam role", ghost["instance_role"], "removed"),
        ("ghost", "log group", ghost["log_group"], "kept"),
    }
    for line in report["lines"]:
        assert line in run.output
    assert "tier ghost: target group local-atelier-ghost-tg (removed with the tier)" in report["lines"]
