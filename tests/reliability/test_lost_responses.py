"""Lost responses leave no duplicate: the network layer (playbooks/site.yml --tags vpc,security_groups on
inventories/local) deployed while the emulator loses the answer of the first request of EACH create action that layer
makes (the request is applied, the client gets a server error and botocore retries it, as when AWS applies a call whose
answer never arrives), then deployed again without faults, holds exactly what a clean deploy holds - the same names,
none twice, the same tagged resources - and a third run changes nothing and makes no mutating call.

What makes it hold: vpc_network, ec2_security_group_set and ec2_vpc_flow_log pass an idempotency token derived from
the resource's identity (or adopt the resource their first request made), and the emulator honours ClientToken as AWS
does. The create actions are not hard-coded: they are read from the clean deploy's request log, so an action added to
the layer later is covered too. Three network deploys and a no-op: about three minutes on two cores.
"""

from collections import Counter

import pytest

from emulator.harness import free_port
from emulator.harness import start_emulator
from emulator.harness import stop_emulator

from tests.reliability.resources import by_name
from tests.reliability.resources import by_tags
from tests.reliability.resources import differences
from tests.reliability.resources import duplicates

PLAYBOOK = ("playbooks/site.yml", "--tags", "vpc,security_groups")
PREFIX = "local-atelier"
CREATE_PREFIXES = ("Create", "Allocate", "Authorize")


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


def create_actions(run):
    """{"service:Action"} of the create requests a run made (the fault profile's action names)."""
    return sorted({f"{r['service']}:{r['action']}" for r in run.mutating if r["action"].startswith(CREATE_PREFIXES)})


def test_a_lost_answer_on_each_create_of_the_network_leaves_no_duplicate(emulator):
    emulator.reset()
    clean = emulator.playbook(*PLAYBOOK)
    assert clean.rc == 0, clean.output[-6000:]
    want_names, want_tags = by_name(emulator, PREFIX), by_tags(emulator, "local", "atelier")
    actions = create_actions(clean)
    # The layer's own modules' creates are among them (a test that lost nothing would prove nothing).
    assert {"ec2:CreateVpc", "ec2:CreateSubnet", "ec2:CreateNatGateway", "ec2:CreateRouteTable",
            "ec2:CreateSecurityGroup", "ec2:CreateFlowLogs"} <= set(actions), actions

    emulator.reset()
    emulator.faults(seed=16, lost={action: 1 for action in actions}, lost_mode="error")
    faulted = emulator.playbook(*PLAYBOOK)
    emulator.faults()
    lost = Counter(e["fault"]["action"] for e in faulted.requests if e.get("fault", {}).get("kind") == "lost")
    # Each create action lost its first answer once (all of them when the run went through; a failed task stops the
    # play before the actions after it).
    summary = f"faulted run rc {faulted.rc}, lost answers {dict(lost)}"
    assert lost and set(lost) <= set(actions) and max(lost.values()) == 1, summary
    assert faulted.rc != 0 or set(lost) == set(actions), summary

    again = emulator.playbook(*PLAYBOOK)
    assert again.rc == 0, summary + "\n" + again.output[-6000:]
    have_names = by_name(emulator, PREFIX)
    assert duplicates(have_names) == {}, summary
    assert differences(want_names, have_names) == [], summary
    assert differences(dict(want_tags), dict(by_tags(emulator, "local", "atelier"))) == [], summary

    no_op = emulator.playbook(*PLAYBOOK)
    assert no_op.rc == 0 and no_op.changed == 0, no_op.output[-6000:]
    assert no_op.mutating == [], no_op.mutating


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
