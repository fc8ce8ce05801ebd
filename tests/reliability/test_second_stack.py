"""A second stack beside the first leaves the first untouched: with the local stack (local-atelier) deployed and
items put in its table, a second stack name (atelier_stack: second, so local-second-*, on a CIDR of its own) is
deployed in the same account and region, then destroyed with its data; before and after each, the first stack's
snapshot (tests/reliability/resources.py: every resource its tags select with those tags, the settings of what its
prefix names, its table's description and items) is the same - no re-tag, no adoption, no change, nothing deleted.

Three whole-stack runs (the first stack's deploy - the worker's clean deploy of tests/conftest.py, shared with
test_kill_points.py - and the second's deploy and destroy).
"""

import pytest

from tests.reliability.resources import by_name
from tests.reliability.resources import by_tags
from tests.reliability.resources import snapshot
from tests.reliability.resources import snapshot_differences

FIRST = {"env": "local", "stack": "atelier", "prefix": "local-atelier"}
SECOND = {"atelier_stack": "second", "vpc_cidr": "10.1.0.0/16"}
SECOND_PREFIX = "local-second"
TABLE = "local-atelier-AtelierDB"
ITEMS = [
    {"PK": {"S": "USER#1"}, "SK": {"S": "PROFILE"}, "UserId": {"S": "1"}, "Name": {"S": "Ada"}},
    {"PK": {"S": "PRODUCT#7"}, "SK": {"S": "META"}, "ProductKey": {"S": "PRODUCT"}, "ProductName": {"S": "Lamp"},
     "Category": {"S": "home"}, "Price": {"N": "42"}},
]


@pytest.fixture(scope="module")
def first(emulator, clean_local_deploy):
    # The worker's clean deploy of the local stack (tests/conftest.py), shared with test_kill_points.py, which runs
    # after this file on the same worker; deployed again here only if another test changed the account since.
    if not clean_local_deploy.still_deployed():
        emulator.reset()
        deploy = emulator.playbook("playbooks/site.yml")
        assert deploy.rc == 0, deploy.output[-8000:]
    dynamodb = emulator.client("dynamodb")
    for item in ITEMS:
        dynamodb.put_item(TableName=TABLE, Item=item)
    return snapshot(emulator, FIRST["env"], FIRST["stack"], FIRST["prefix"], tables=[TABLE])


def test_a_second_stack_deployed_and_destroyed_beside_the_first_leaves_it_untouched(emulator, first):
    assert len(first["items"][TABLE]) == len(ITEMS) and first["tagged"] and first["vpcs"]

    second = emulator.playbook("playbooks/site.yml", extra_vars=SECOND)
    assert second.rc == 0, second.output[-8000:]
    # The second stack is a whole one of its own, not the first one adopted.
    mine = by_name(emulator, SECOND_PREFIX)
    assert {"vpc", "subnet", "security-group", "load-balancer", "autoscaling-group", "table", "repository",
            "distribution", "alarm"} <= set(mine), mine
    assert by_tags(emulator, "local", "second")
    after_deploy = snapshot(emulator, FIRST["env"], FIRST["stack"], FIRST["prefix"], tables=[TABLE])
    assert snapshot_differences(first, after_deploy) == []

    gone = emulator.playbook("playbooks/teardown.yml", extra_vars={**SECOND, "atelier_teardown_delete_data": True})
    assert gone.rc == 0, gone.output[-8000:]
    assert by_name(emulator, SECOND_PREFIX) == {}
    after_destroy = snapshot(emulator, FIRST["env"], FIRST["stack"], FIRST["prefix"], tables=[TABLE])
    assert snapshot_differences(first, after_destroy) == []
