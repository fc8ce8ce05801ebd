"""Lost responses on the network layer's own modules: the creates of vpc_network, ec2_security_group_set and
ec2_vpc_flow_log (playbooks/site.yml --tags vpc,security_groups on inventories/local), each losing the answer of its
first request (the request is applied, the client gets a server error and botocore retries it, as when AWS applies a
call whose answer never arrives), do not even fail the run: the retry carries the same idempotency token (derived from
the resource's identity) and returns what the first request made, as the emulator honours ClientToken as AWS does.

That a lost answer on EVERY create action of the whole stack leaves no duplicate after the next run is
tests/reliability/test_lost_responses_stack.py (on the worker's emulator and goal-tracker deploy, tests/conftest.py).

On that network (converged: the run after the faulted one changes nothing), a throttled call inside a no_log task says
why it failed, without the secret (the ALB layer's origin secret; it had a file of its own, test_throttling.py, which
deployed the network once more). The whole stack's cold deploy under throttling and server errors (20 % throttled, 2 %
5xx, seeded), then a no-op run without faults, is tests/reliability/test_second_stack.py's: the second stack deployed
beside the first is that cold deploy.
"""

import re

import pytest

from emulator.harness import free_port
from emulator.harness import start_emulator
from emulator.harness import stop_emulator

from tests.reliability.resources import by_name
from tests.reliability.resources import duplicates

PLAYBOOK = ("playbooks/site.yml", "--tags", "vpc,security_groups")
PREFIX = "local-atelier"
# The creates of the network layer's own modules: vpc_network, ec2_security_group_set, ec2_vpc_flow_log.
OWN = ["ec2:CreateVpc", "ec2:CreateSubnet", "ec2:CreateInternetGateway", "ec2:CreateNatGateway", "ec2:CreateRouteTable",
       "ec2:CreateVpcEndpoint", "ec2:CreateSecurityGroup", "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateFlowLogs"]
# The generated origin secret: 48 letters and digits (roles/alb/tasks/present.yml).
GENERATED_SECRET = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{48}(?![A-Za-z0-9])")


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    """An emulator of this module's own (the fault profile is switched off whatever the outcome)."""
    running = start_emulator(free_port(), tmp_path_factory.mktemp("lost-responses"))
    try:
        yield running
    finally:
        try:
            running.faults()
        finally:
            stop_emulator(running)


@pytest.fixture(scope="module")
def network(emulator):
    """The network layer on an empty account, each of its own modules' creates losing its first answer, then run again
    without faults: the faulted run, the actions whose answer it lost, the duplicates it left, the run after it."""
    emulator.reset()
    emulator.faults(seed=16, lost={action: 1 for action in OWN}, lost_mode="error")
    try:
        faulted = emulator.playbook(*PLAYBOOK)
    finally:
        emulator.faults()
    lost = sorted(e["fault"]["action"] for e in faulted.requests if e.get("fault", {}).get("kind") == "lost")
    duplicated = duplicates(by_name(emulator, PREFIX))
    return {"faulted": faulted, "lost": lost, "duplicates": duplicated, "no_op": emulator.playbook(*PLAYBOOK)}


def test_the_layers_own_modules_survive_a_lost_answer_in_the_same_run(network):
    """The creates of vpc_network, ec2_security_group_set and ec2_vpc_flow_log, each losing its first answer, do not
    even fail the run: the retry (same token) returns what the first request made."""
    faulted, lost = network["faulted"], network["lost"]
    assert faulted.rc == 0, f"lost answers {lost}\n" + faulted.output[-6000:]
    assert lost == sorted(OWN), lost
    assert network["duplicates"] == {}
    no_op = network["no_op"]
    assert no_op.rc == 0 and no_op.changed == 0, no_op.output[-6000:]


def test_a_hidden_task_that_fails_says_why_without_the_secret(emulator, network):
    """The ALB role's origin-secret task is no_log; when AWS throttles its CreateSecret past the retries, the run
    fails with the module, the AWS error code and message, not with "the output has been hidden" alone, and even at
    -vvv the output holds no secret value."""
    # On the network of the test above (converged: its no-op run succeeded), else on a clean one.
    if network["no_op"].rc != 0:
        emulator.reset()
        clean = emulator.playbook(*PLAYBOOK)
        assert clean.rc == 0, clean.output[-4000:]

    emulator.faults(seed=1, throttle_rate=1, actions=["secretsmanager:CreateSecret"])
    run = emulator.playbook("playbooks/site.yml", "--tags", "alb", "-vvv", extra_vars={"atelier_aws_retries": {"max_attempts": 1}})
    emulator.faults()

    text = " ".join(run.output.split())
    assert run.rc != 0, run.output[-4000:]
    throttled = [entry for entry in run.requests if entry.get("fault", {}).get("action") == "secretsmanager:CreateSecret"]
    assert throttled and all(entry["fault"]["code"] == "ThrottlingException" for entry in throttled), run.requests
    for tier in ("frontend", "backend"):
        assert (
            f"community.aws.secretsmanager_secret could not keep the origin secret local-atelier/{tier}/origin-verify: "
            "Failed to create secret: An error occurred (ThrottlingException) when calling the CreateSecret operation"
        ) in text, run.output[-6000:]
    assert "(AWS error ThrottlingException)" in text
    assert GENERATED_SECRET.findall(run.output) == []
    # Nothing was made with a secret the run did not keep, and nothing after the secret was attempted.
    assert emulator.client("secretsmanager").list_secrets()["SecretList"] == []
    assert not [entry for entry in run.mutating if entry["service"] != "secretsmanager"], run.mutating
