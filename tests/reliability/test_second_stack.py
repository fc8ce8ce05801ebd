"""A second stack beside the first leaves the first untouched, and a cold deploy converges under throttling and server
errors: with the local stack (local-atelier) deployed and items put in its table, a second stack name (atelier_stack:
second, so local-second-*, on a CIDR of its own) is deployed in the same account and region under the emulator's fault
profile - 20 % of the requests throttled and 2 % answered with a server error (seeded, so the same calls meet the same
faults) - and ends with rc 0; a second run of it without faults changes nothing and makes no mutating call; then it is
destroyed with its data. Before and after each, the first stack's snapshot (tests/reliability/resources.py: every
resource its tags select with those tags, the settings of what its prefix names, its table's description and items) is
the same - no re-tag, no adoption, no change, nothing deleted.

What makes the faulted deploy converge: every module run retries with atelier_aws_retries (botocore standard mode, 10
attempts, given to every module by the roles' module_defaults), the collection's own wrappers retry every throttling
and 5xx code (aws_retry.RETRY_CODES), and the secret and AMI reads are module runs (aws_values_info), not controller
lookups that module_defaults do not reach.

Four whole-stack runs (the first stack's deploy - the worker's clean deploy of tests/conftest.py, made as the deployer
of docs/iam/deployer.json, shared with test_deployer_policy.py and test_kill_points.py - and the second's faulted cold
deploy, its no-op and its destroy). The throttled cold deploy was a file of its own (test_throttling.py) until it
became the second stack's: one whole-stack deploy less.
"""

from collections import Counter

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
# The fault profile of the second stack's deploy.
SEED = 20
THROTTLE_RATE = 0.2
ERROR_RATE = 0.02


def first_snapshot(emulator):
    return snapshot(emulator, FIRST["env"], FIRST["stack"], FIRST["prefix"], tables=[TABLE])


@pytest.fixture(scope="module")
def first(emulator, clean_local_deploy):
    # The worker's clean deploy of the local stack (tests/conftest.py), shared with test_deployer_policy.py and
    # test_kill_points.py, which run after this file on the same worker; deployed again here only if another test
    # changed the account since.
    if not clean_local_deploy.still_deployed():
        emulator.reset()
        deploy = emulator.playbook("playbooks/site.yml")
        assert deploy.rc == 0, deploy.output[-8000:]
    dynamodb = emulator.client("dynamodb")
    for item in ITEMS:
        dynamodb.put_item(TableName=TABLE, Item=item)
    return first_snapshot(emulator)


@pytest.fixture(scope="module")
def second(emulator, first):
    """The second stack's cold deploy under the fault profile, the first stack's snapshot after it, and a run of the
    second stack again without faults."""
    emulator.faults(seed=SEED, throttle_rate=THROTTLE_RATE, error_rate=ERROR_RATE)
    try:
        cold = emulator.playbook("playbooks/site.yml", extra_vars=SECOND, timeout=2400)
    finally:
        emulator.faults()
    out = {"cold": cold, "first_after": first_snapshot(emulator)}
    if cold.rc == 0:
        out["again"] = emulator.playbook("playbooks/site.yml", extra_vars=SECOND)
    return out


def test_a_cold_deploy_converges_under_throttling_and_server_errors(second):
    cold = second["cold"]
    faulted = [entry for entry in cold.requests if "fault" in entry]
    kinds = Counter(entry["fault"]["kind"] for entry in faulted)
    codes = {entry["fault"]["code"] for entry in faulted}
    summary = f"{len(cold.requests)} requests, faults {dict(kinds)}, codes {sorted(codes)}"
    assert cold.rc == 0, summary + "\n" + cold.output[-8000:]
    # The profile was in force for the whole deploy, and every protocol family met its own throttling code.
    assert kinds["throttle"] >= 0.15 * len(cold.requests), summary
    assert kinds["error"] > 0, summary
    assert {"RequestLimitExceeded", "Throttling", "ThrottlingException"} <= codes, summary
    # The reads that used to be controller lookups now go through module_defaults: they were throttled and retried.
    reads = {entry["action"] for entry in cold.requests if entry["service"] in ("secretsmanager", "ssm")}
    assert {"GetSecretValue", "GetParameters"} <= reads, reads

    again = second["again"]
    assert again.rc == 0, again.output[-8000:]
    assert again.changed == 0, again.output[-8000:]
    assert again.mutating == [], again.mutating


def test_the_second_stack_is_its_own_and_leaves_the_first_untouched(emulator, first, second):
    assert len(first["items"][TABLE]) == len(ITEMS) and first["tagged"] and first["vpcs"]
    assert second["cold"].rc == 0, second["cold"].output[-8000:]
    # The second stack is a whole one of its own, not the first one adopted.
    mine = by_name(emulator, SECOND_PREFIX)
    assert {"vpc", "subnet", "security-group", "load-balancer", "autoscaling-group", "table", "repository",
            "distribution", "alarm"} <= set(mine), mine
    assert by_tags(emulator, "local", "second")
    assert snapshot_differences(first, second["first_after"]) == []


def test_destroying_the_second_stack_leaves_the_first_untouched(emulator, first, second):
    gone = emulator.playbook("playbooks/teardown.yml", extra_vars={**SECOND, "atelier_teardown_delete_data": True})
    assert gone.rc == 0, gone.output[-8000:]
    assert by_name(emulator, SECOND_PREFIX) == {}
    assert snapshot_differences(first, first_snapshot(emulator)) == []
