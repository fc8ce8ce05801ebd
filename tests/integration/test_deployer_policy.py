"""The deployer policy (docs/iam/deployer.json, generated from docs/iam/actions.yml) is enough, and each statement of it
is needed: proven with IAM enforcement on (docs/emulator.md, "IAM evaluation").

The deployer is a role holding ONLY the combined policy, inline (tests/integration/deployer_session.py), which the
tests assume, as AWX or a CI job would assume a deployer role; the runs get its session's credentials through
atelier_aws. As that deployer, inventories/local goes through deploy -> second run (changed=0) -> plan (no mutating
call) -> destroy, every request allowed. The deploy is the worker's clean deploy of the local stack (tests/conftest.py
clean_local_deploy, made as the deployer with IAM enforcement on from an empty account, SHARED["shared-local-deploy"]):
test_second_stack.py deploys and destroys a second stack beside it first and checks that it leaves it untouched;
the stack is deployed again here (as the deployer, from an empty account) if it no longer holds what the deploy made.

Then, from a seeded pick over the policy's statements (one that only reads, one that writes, one more; never the
`unevaluated` ones, which the emulator cannot show), each statement is removed in turn and the cheapest run that uses
it (found in the requests of the runs above: the plan, a second run, the statement's layer's teardown while the stack
is deployed, the first of them that fails; else a deploy from an empty account) fails, refused on one of that
statement's actions.

What it takes: the whole stack three times (second run, plan, destroy) plus the sampled runs, the deploy being the
shared one: 8 min 17 s on the shared 2-core machine when it made its own deploy.
"""

import random

import pytest

from tests.integration.deployer_session import DECLARATION
from tests.integration.deployer_session import DEPLOYER
from tests.integration.deployer_session import POLICY
from tests.integration.deployer_session import PREFIX
from tests.integration.deployer_session import session as _session
from tools import deployer_policy as tool


SEED = 17
DENIED_CODES = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError"}
LAYER_OF = {
    statement["sid"]: layer for layer, spec in DECLARATION["layers"].items() for statement in spec["statements"]
}
READ_PREFIXES = ("Describe", "Get", "List")


def _without(sid):
    return {**POLICY, "Statement": [s for s in POLICY["Statement"] if s["Sid"] != sid]}


def _denied(run):
    return [entry["denied"] for entry in run.requests if "denied" in entry]


@pytest.fixture(scope="module")
def enforced(emulator, clean_local_deploy):
    """The worker's clean deploy of the local stack, made as the deployer (deployed again as the deployer when the
    account no longer holds it), IAM enforcement on for the whole file (off again whatever happens); the
    administrator."""
    clean_local_deploy.deployed()
    with emulator.iam_enforced() as admin:
        yield admin


@pytest.fixture(scope="module")
def deployer(emulator, enforced):
    return _session(emulator, enforced, POLICY, DEPLOYER)


@pytest.fixture(scope="module")
def runs():
    """The requests of each run of the sequence, by run: which statement each one uses."""
    return {}


def _run(emulator, credentials, *args):
    return emulator.playbook(*args, extra_vars=credentials)


def test_the_deployer_deploys_the_stack(clean_local_deploy, enforced, runs):
    # The worker's clean deploy (tests/conftest.py): site.yml from an empty account as the deployer, enforcement on.
    run, key = clean_local_deploy.run, clean_local_deploy.credentials["atelier_aws"]["access_key"]
    assert run.rc == 0 and _denied(run) == [], run.output[-3000:]
    assert run.requests and {r["access_key"] for r in run.requests} == {key}
    runs["deploy"] = run.requests


def test_the_deployers_second_run_changes_nothing(emulator, deployer, runs):
    run = _run(emulator, deployer, "playbooks/site.yml")
    assert (run.rc, run.changed, _denied(run)) == (0, 0, []), run.output[-3000:]
    runs["second"] = run.requests


def test_the_deployers_plan_mutates_nothing(emulator, deployer, runs):
    run = _run(emulator, deployer, "playbooks/site.yml", "--check", "--diff")
    assert (run.rc, run.mutating, _denied(run)) == (0, [], []), run.output[-3000:]
    runs["plan"] = run.requests


def _uses(requests, sid):
    """Whether requests passed a check that the policy without statement sid does not allow."""
    reduced = _without(sid)
    return any(
        not tool.allows(reduced, check) for entry in requests for check in entry.get("authorized") or []
    )


def _sample():
    """Seeded: one statement that only reads, one that writes, one more (all distinct, none unevaluated)."""
    skip = {**tool.unevaluated(DECLARATION), **tool.used_elsewhere(DECLARATION)}
    candidates = [s for s in POLICY["Statement"] if s["Sid"] not in skip]
    reading = [s["Sid"] for s in candidates if all(a.split(":")[1].startswith(READ_PREFIXES) for a in s["Action"])]
    writing = [s["Sid"] for s in candidates if s["Sid"] not in reading]
    pick = random.Random(SEED)
    first, second = pick.choice(reading), pick.choice(writing)
    third = pick.choice([s["Sid"] for s in candidates if s["Sid"] not in (first, second)])
    return [first, second, third]


SAMPLE = _sample()


def _assert_refused(run, sid):
    """The run failed, refused on one of the statement's actions."""
    actions = {a.lower() for s in POLICY["Statement"] if s["Sid"] == sid for a in s["Action"]}
    denied = _denied(run)
    assert run.rc != 0, f"without {sid} the run succeeded"
    assert denied and {d["code"] for d in denied} <= DENIED_CODES, denied
    assert any(d["action"].lower() in actions for d in denied), (sid, denied)


def test_the_sample_holds_a_read_and_a_write_statement():
    statements = {s["Sid"]: s for s in POLICY["Statement"]}
    assert len(set(SAMPLE)) == 3 and all(sid in statements for sid in SAMPLE)
    kinds = [all(a.split(":")[1].startswith(READ_PREFIXES) for a in statements[sid]["Action"]) for sid in SAMPLE]
    assert kinds[:2] == [True, False]


REMOVING = ("Delete", "Detach", "Disassociate", "Release", "Revoke", "Remove")


def _actions(sid):
    return [a for s in POLICY["Statement"] if s["Sid"] == sid for a in s["Action"]]


@pytest.fixture(scope="module")
def from_scratch():
    """The sampled statements only a deploy from an empty account uses (tried after the destroy)."""
    return []


def test_without_a_sampled_statement_the_deployed_stacks_runs_fail(emulator, enforced, runs, from_scratch):
    """While the stack is deployed, for each sampled statement, the runs that used it, cheapest first, until one fails
    refused on one of its actions: the plan, a second run, the statement's layer's teardown if it removes something
    (the destroy below finishes what that left). A run that used the statement may still succeed without it (a lookup
    whose refusal a module tolerates): the next one must then fail. A statement only a deploy uses waits for the empty
    account (the test after the destroy)."""
    for sid in SAMPLE:
        layer = DECLARATION["layers"][LAYER_OF[sid]]
        candidates = []
        if _uses(runs["plan"], sid):
            candidates.append(["playbooks/site.yml", "--check", "--diff"])
        if _uses(runs["second"], sid):
            candidates.append(["playbooks/site.yml"])
        if any(action.split(":")[1].startswith(REMOVING) for action in _actions(sid)):
            candidates.append(tool.destroy_run(layer))
        if not candidates:
            from_scratch.append(sid)
            continue
        reduced = _session(emulator, enforced, _without(sid), f"atelier-deployer-{sid}")
        for args in candidates:
            run = _run(emulator, reduced, *args)
            runs.setdefault("samples", []).extend(run.requests)
            if run.rc != 0:
                break
        _assert_refused(run, sid)


def test_the_deployer_destroys_the_stack(emulator, enforced, deployer, runs):
    run = _run(emulator, deployer, "playbooks/teardown.yml", "-e", "atelier_teardown_delete_data=true")
    assert run.rc == 0 and _denied(run) == [], (_denied(run), run.output[-3000:])
    runs["destroy"] = run.requests
    vpcs = emulator.client_with(enforced, "ec2").describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [PREFIX]}])
    assert vpcs["Vpcs"] == []


def test_without_a_sampled_create_statement_a_deploy_from_scratch_fails(emulator, enforced, deployer, from_scratch):
    """The sampled statements only a deploy uses: site.yml from an empty account fails on one of their actions (at
    the statement's layer); the full deployer removes what the layers before it made."""
    for sid in from_scratch:
        reduced = _session(emulator, enforced, _without(sid), f"atelier-deployer-{sid}")
        run = _run(emulator, reduced, "playbooks/site.yml")
        _assert_refused(run, sid)
        cleanup = _run(emulator, deployer, "playbooks/teardown.yml", "-e", "atelier_teardown_delete_data=true")
        assert cleanup.rc == 0, cleanup.output[-3000:]


def test_every_evaluated_statement_is_used_by_the_sequence(runs):
    """Removing any statement would fail at least one run: each one allows a check nothing else in the policy does, in
    the runs above (the sampled runs included: a teardown of a layer without one statement already removed part of
    it, the alarms for instance, which the destroy then no longer finds)."""
    every = runs["deploy"] + runs["second"] + runs["plan"] + runs["destroy"] + runs.get("samples", [])
    skip = {**tool.unevaluated(DECLARATION), **tool.used_elsewhere(DECLARATION)}
    idle = [s["Sid"] for s in POLICY["Statement"] if s["Sid"] not in skip and not _uses(every, s["Sid"])]
    assert idle == []
