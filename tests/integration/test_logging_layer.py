"""The stack's logs in the network layer against the emulator (inventories/local with atelier_logging_enabled, as
prod has it): the logging role runs first, and the VPC flow-log group is encrypted with the stack's logs key; a plan on
an empty account, a second run without a mutating call, and a log group that existed unencrypted gets the key.
"""

import pytest

PREFIX = "local-atelier"
ON = {"atelier_logging_enabled": True}
FLOW_LOG_GROUP = f"/aws/vpc-flow-logs/{PREFIX}"


def _key_arn(emulator):
    return emulator.client("kms").describe_key(KeyId=f"alias/{PREFIX}-logs")["KeyMetadata"]["Arn"]


def _flow_log_group(emulator):
    (group,) = emulator.client("logs").describe_log_groups(logGroupNamePrefix=FLOW_LOG_GROUP)["logGroups"]
    return group


@pytest.fixture(scope="module")
def deployed(emulator):
    """An empty account: first a plan (check mode), then the network layer with the logging role, over a flow-log
    group that exists unencrypted (made by an earlier release)."""
    emulator.reset()
    plan = emulator.playbook("playbooks/network.yml", "--tags", "logging,vpc", "--check", extra_vars=ON)
    assert plan.rc == 0, plan.output
    assert plan.mutating == []
    emulator.client("logs").create_log_group(logGroupName=FLOW_LOG_GROUP)
    run = emulator.playbook("playbooks/network.yml", "--tags", "logging,vpc", extra_vars=ON)
    assert run.rc == 0, run.output
    return run


def test_the_flow_log_group_is_encrypted_with_the_stacks_logs_key(emulator, deployed):
    group = _flow_log_group(emulator)
    assert group["kmsKeyId"] == _key_arn(emulator)
    assert group["retentionInDays"] == 30


def test_a_second_run_changes_nothing(emulator, deployed):
    run = emulator.playbook("playbooks/network.yml", "--tags", "logging,vpc", extra_vars=ON)
    assert run.rc == 0 and run.changed == 0, run.output
    assert run.mutating == []


def test_a_run_of_the_vpc_alone_keeps_the_key(emulator, deployed):
    run = emulator.playbook("playbooks/network.yml", "--tags", "vpc", extra_vars=ON)
    assert run.rc == 0 and run.changed == 0, run.output
    assert _flow_log_group(emulator)["kmsKeyId"] == _key_arn(emulator)
