"""Lost responses on the network layer's own modules: the creates of vpc_network, ec2_security_group_set and
ec2_vpc_flow_log (playbooks/site.yml --tags vpc,security_groups on inventories/local), each losing the answer of its
first request (the request is applied, the client gets a server error and botocore retries it, as when AWS applies a
call whose answer never arrives), do not even fail the run: the retry carries the same idempotency token (derived from
the resource's identity) and returns what the first request made, as the emulator honours ClientToken as AWS does.

That a lost answer on EVERY create action of the whole stack leaves no duplicate after the next run is
tests/reliability/test_lost_responses_stack.py (on the worker's emulator and goal-tracker deploy, tests/conftest.py).
"""

import pytest

from emulator.harness import free_port
from emulator.harness import start_emulator
from emulator.harness import stop_emulator

from tests.reliability.resources import by_name
from tests.reliability.resources import duplicates

PLAYBOOK = ("playbooks/site.yml", "--tags", "vpc,security_groups")
PREFIX = "local-atelier"


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


def test_the_layers_own_modules_survive_a_lost_answer_in_the_same_run(emulator):
    """The creates of vpc_network, ec2_security_group_set and ec2_vpc_flow_log, each losing its first answer, do not
    even fail the run: the retry (same token) returns what the first request made."""
    own = ["ec2:CreateVpc", "ec2:CreateSubnet", "ec2:CreateInternetGateway", "ec2:CreateNatGateway",
           "ec2:CreateRouteTable", "ec2:CreateVpcEndpoint", "ec2:CreateSecurityGroup",
           "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateFlowLogs"]
    emulator.reset()
    emulator.faults(seed=16, lost={action: 1 for action in own}, lost_mode="error")
    faulted = emulator.playbook(*PLAYBOOK)
    emulator.faults()
    lost = sorted(e["fault"]["action"] for e in faulted.requests if e.get("fault", {}).get("kind") == "lost")

    assert faulted.rc == 0, f"lost answers {lost}\n" + faulted.output[-6000:]
    assert lost == sorted(own), lost
    assert duplicates(by_name(emulator, PREFIX)) == {}
    no_op = emulator.playbook(*PLAYBOOK)
    assert no_op.rc == 0 and no_op.changed == 0, no_op.output[-6000:]
