"""Lost responses on the WHOLE stack leave no duplicate: every create action a clean deploy of playbooks/site.yml makes
loses the answer of its first request once (applied by the emulator, the client gets a 500 and botocore retries it, as
when AWS applies a call whose answer never arrives), then a fault-free run converges to exactly what a clean deploy
holds - the same names, none twice, the same tagged resources - and the run after it is changed=0 with no mutating
call.

Shape (the cheapest honest one): inventories/goal-tracker makes nearly every create action of the stack (network,
bastion, RDS instance/subnet group/parameter group, secrets, ECR, IAM, ALB, Auto Scaling, alarms, dashboard, SNS,
EventBridge, SSM parameter); inventories/local adds the DynamoDB table, the ALB's listener rules and the CloudFront
distributions, covered by a second test on the layers that make them (with the network under them: every create of
those layers loses an answer). The create actions are not hard-coded: they are read
from the clean deploy's request log (an action added to the stack later is covered too).

A create that takes no idempotency token and whose retry is refused (AlreadyExists: CreateRole, CreateDBInstance,
CreateRepository, PutParameter, CreateAutoScalingGroup, CreateTable...) fails its task: the play stops there, the
actions after it are not reached. So the faulted deploy goes in rounds: each round loses the first answer of the
actions not lost yet and is, at the same time, the "next run" of the round before it (it must get past the task that
failed: a role that fails forever because of what a lost answer left would lose nothing new and fail the test). Each
round's outcome is in the assertion messages.
"""

from collections import Counter

from emulator.faults import rest_operation

from tests.reliability.resources import by_name
from tests.reliability.resources import by_tags
from tests.reliability.resources import differences
from tests.reliability.resources import duplicates

SITE = "playbooks/site.yml"
# What creates something: a resource (Create, Allocate, Run, Request, Register, Import), a rule or a setting stored as
# a resource (Authorize, Put), a link (Associate, Attach, Add...ToInstanceProfile, Add tags).
CREATE_PREFIXES = ("Create", "Allocate", "Authorize", "Put", "Register", "Run", "Request", "Import", "Associate",
                   "Attach", "Add", "Publish", "Subscribe")
MAX_ROUNDS = 12


def fault_action(entry):
    """The request's action as the fault profile names it. The request log names a REST request by its method and
    path (no query string): its operation is found in the service model as the emulator's fault middleware does; the
    CloudFront creates the collection makes are the WithTags variants (POST /distribution?WithTags)."""
    action = entry["action"]
    if " " not in action:
        return action
    method, path = action.split(" ", 1)
    query = "WithTags" if entry["service"] == "cloudfront" else ""
    return rest_operation(entry["service"], method, path, query) or action


def create_actions(run):
    """{"service:Action"} of the create requests a run made (the fault profile's action names)."""
    return sorted(
        {f"{r['service']}:{fault_action(r)}" for r in run.mutating if fault_action(r).startswith(CREATE_PREFIXES)}
    )


def lost_answers(run):
    """Counter of the actions whose answer a run lost, named as create_actions() names them (the request log's
    service: elasticloadbalancing, monitoring; the fault names elbv2, cloudwatch)."""
    return Counter(
        f"{e['service']}:{fault_action(e)}" for e in run.requests if e.get("fault", {}).get("kind") == "lost"
    )


def failed_task(run):
    return next((line for line in run.output.splitlines()[::-1] if line.startswith("TASK [")), "")


def deploy_losing_each_once(emulator, actions, *args, inventory):
    """Faulted rounds until every action has lost one answer: [(rc, lost actions, last task)] per round."""
    remaining, rounds = set(actions), []
    while remaining and len(rounds) < MAX_ROUNDS:
        emulator.faults(seed=16, lost={action: 1 for action in sorted(remaining)}, lost_mode="error")
        run = emulator.playbook(SITE, *args, inventory=inventory)
        emulator.faults()
        lost = lost_answers(run)
        rounds.append((run.rc, sorted(lost), failed_task(run) if run.rc else ""))
        assert set(lost) <= remaining and max(lost.values(), default=1) == 1, rounds
        # No progress: the run failed before reaching anything new, i.e. on what the round before left behind.
        assert lost or run.rc == 0, f"round {len(rounds)} failed without losing anything: {rounds}\n" + run.output[-6000:]
        remaining -= set(lost)
        if run.rc == 0:
            break
    assert not remaining, f"never lost: {sorted(remaining)}; rounds {rounds}"
    return rounds


def converges_like_a_clean_deploy(emulator, actions, want, *args, inventory, prefix, env, stack):
    want_names, want_tags = want
    rounds = deploy_losing_each_once(emulator, actions, *args, inventory=inventory)
    summary = f"rounds (rc, lost, last task): {rounds}"
    again = emulator.playbook(SITE, *args, inventory=inventory)
    assert again.rc == 0, summary + "\n" + again.output[-6000:]
    have_names = by_name(emulator, prefix)
    # A name twice that a clean deploy does not have twice (an Auto Scaling group's instances share their tier's
    # Name: those are the clean deploy's too).
    assert duplicates(have_names) == duplicates(want_names), summary
    assert differences(want_names, have_names) == [], summary
    assert differences(dict(want_tags), dict(by_tags(emulator, env, stack))) == [], summary

    no_op = emulator.playbook(SITE, *args, inventory=inventory)
    assert no_op.rc == 0 and no_op.changed == 0, summary + "\n" + no_op.output[-6000:]
    assert no_op.mutating == [], no_op.mutating
    return rounds


def clean_deploy(emulator, *args, inventory, prefix, env, stack):
    """A clean deploy on an empty account: (what it holds by name and by tags, its create actions)."""
    emulator.reset()
    clean = emulator.playbook(SITE, *args, inventory=inventory)
    assert clean.rc == 0, clean.output[-6000:]
    return (by_name(emulator, prefix), by_tags(emulator, env, stack)), create_actions(clean)


GOAL_TRACKER = {"inventory": "inventories/goal-tracker", "prefix": "dev-goal-tracker", "env": "dev",
                "stack": "goal-tracker"}
LOCAL = {"inventory": "inventories/local", "prefix": "local-atelier", "env": "local", "stack": "atelier"}
# The local stack's layers that make what goal-tracker does not (the table, the listener rules, the distributions),
# over the network they need: the Auto Scaling tiers and the monitoring, which goal-tracker covers, are left out.
LOCAL_TAGS = ("--tags", "vpc,security_groups,dynamodb_global,alb,cloudfront")


def test_a_lost_answer_on_each_create_of_the_goal_tracker_stack_leaves_no_duplicate(emulator, goal_tracker_deploy):
    # The clean deploy is the worker's (tests/conftest.py goal_tracker_deploy, made on an empty account and shared
    # with the goal-tracker tests); the stack this test converges to is what the removal of test_goal_tracker.py
    # removes next (tests/conftest.py SHARED).
    want, actions = (goal_tracker_deploy.names, goal_tracker_deploy.tags), create_actions(goal_tracker_deploy.run)
    # Every layer's creates are among them (a test that lost nothing would prove nothing).
    assert len(actions) >= 35 and {
        "ec2:CreateVpc", "ec2:CreateNatGateway", "ec2:AllocateAddress", "ec2:RunInstances", "ec2:CreateLaunchTemplate",
        "rds:CreateDBInstance", "rds:CreateDBSubnetGroup", "rds:CreateDBParameterGroup", "secretsmanager:CreateSecret",
        "ecr:CreateRepository", "iam:CreateRole", "elasticloadbalancing:CreateLoadBalancer",
        "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:CreateListener",
        "autoscaling:CreateAutoScalingGroup", "monitoring:PutMetricAlarm", "sns:CreateTopic", "events:PutRule",
        "ssm:PutParameter", "logs:CreateLogGroup",
    } <= set(actions), actions

    emulator.reset()
    converges_like_a_clean_deploy(emulator, actions, want, **GOAL_TRACKER)


def test_a_lost_answer_on_each_create_of_the_local_stack_leaves_no_duplicate(emulator):
    """The local stack: its own creates besides the goal-tracker's - the DynamoDB table, the listener rules, the
    CloudFront distributions - among all the others (each round loses every create action not lost yet)."""
    want, actions = clean_deploy(emulator, *LOCAL_TAGS, **LOCAL)
    assert len(actions) >= 20 and {
        "dynamodb:CreateTable", "elasticloadbalancing:CreateRule", "cloudfront:CreateDistributionWithTags",
    } <= set(actions), actions

    emulator.reset()
    converges_like_a_clean_deploy(emulator, actions, want, *LOCAL_TAGS, **LOCAL)
