"""Shared pytest setup: what every test directory needs to find the project, and the emulator the suites that drive
the real playbooks share (tests/integration, tests/reliability).

One emulator per session (per pytest-xdist worker), on a free loopback port with its own state directory, started
only when a test asks for it and stopped at the end. Tests that need an empty account call ``emulator.reset()``.
"""

import json
import os
import sys
import time
from pathlib import Path

import pytest

_now = time.time  # not a test's patched clock
REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from emulator import requestlog  # noqa: E402
from emulator.harness import ansible_env, free_port, start_emulator, stop_emulator  # noqa: E402
from tests.integration import deployer_session  # noqa: E402
from tests.integration.plan_counts import run_with_plan  # noqa: E402
from tests.reliability.resources import by_name, by_tags  # noqa: E402


# How the suite is spread over pytest-xdist's workers (`-n 2 --dist loadfile`, the Makefile's test target).
# A unit of work (a "scope") runs whole on one worker: a test file, except
# - each molecule scenario, a unit of its own (each converges and cleans up on the worker's emulator, whatever ran
#   before): the thirteen scenarios are the suite's largest file (about 17 minutes) and would otherwise bound one
#   worker alone;
# - the files (or tests) of each SHARED unit, one unit, in that unit's order, because they share one deploy:
#   "shared-local-deploy" the clean deploy of the local stack, made as the deployer with IAM enforcement on (the
#   clean_local_deploy fixture below): the second stack beside it, then the deployer policy's runs on it (second run,
#   plan, the sampled statements' runs, its destroy), then the kill points (on an empty account, the deploy's counts as
#   reference),
#   "shared-goal-tracker-deploy" the plan and clean deploy of inventories/goal-tracker (goal_tracker_deploy below):
#   the goal-tracker tests that only read or re-run it first, then the tests that destroy it, each on the stack the
#   test before left when it is still the clean deploy's (the lost-answer test's faulted rounds end in it), else on a
#   new deploy;
#   "shared-node-app-deploy" the plan, deploy, second run and plan of inventories/node-app-dev (node_app_deploy
#   below): the Node.js app's tests and the fargate role's, on the same Fargate service behind its ALB: the tests
#   that only read it first, then the fargate tests that change it (a new image tag; the tier to ec2 and back, which
#   leaves it converged again), then its destroy;
#   "shared-tiers-deploy" the plan and deploy of the local stack's network, data and tiers (tiers_deploy below): the
#   tier layer's tests that read or re-run it, then the tier grants' (they act as the instance roles, and an upgrade
#   they undo), then the tier layer's tests that change the frontend and remove the tiers.
# The rest of a file a SHARED entry names one test of is a unit of its own (the file).
# Units are handed out longest first (their estimated seconds in SECONDS, measured on the two cores; a unit not
# listed is short), so that the many short unit-test files close the run on every worker instead of one long file
# starting last. xdist's own reordering (by number of tests per unit) is switched off: it put the one-test files, the
# longest, last.
GOAL_TRACKER = "tests/integration/test_goal_tracker.py"
LOST_STACK = "tests/reliability/test_lost_responses_stack.py"
NODE_APP = "tests/integration/test_node_app.py"
FARGATE_TIER = "tests/integration/test_fargate_tier.py"
SHARED = {
    "shared-local-deploy": (
        "tests/reliability/test_second_stack.py",
        "tests/integration/test_deployer_policy.py",
        "tests/reliability/test_kill_points.py",
    ),
    # An entry is a file or one test of it (the longest entry that names a test wins).
    "shared-goal-tracker-deploy": (
        GOAL_TRACKER,
        "tests/reliability/test_teardown_keeps_data.py",
        f"{LOST_STACK}::test_a_lost_answer_on_each_create_of_the_goal_tracker_stack_leaves_no_duplicate",
        f"{GOAL_TRACKER}::test_destroy_keeps_only_the_final_snapshot",
    ),
    "shared-node-app-deploy": (
        NODE_APP,
        FARGATE_TIER,
        f"{FARGATE_TIER}::test_a_new_image_tag_registers_exactly_one_revision_and_starts_one_deployment",
        f"{FARGATE_TIER}::test_moving_the_tier_to_ec2_and_back_keeps_the_load_balancer_and_removes_the_former_runtime",
        f"{NODE_APP}::test_destroy_keeps_only_the_final_snapshot",
    ),
}
TIER_LAYER = "tests/integration/test_tier_layer.py"
TIER_GRANTS = "tests/integration/test_tier_grants.py"
SHARED["shared-tiers-deploy"] = (
    TIER_LAYER,
    TIER_GRANTS,
    f"{TIER_LAYER}::test_step_scaling_and_a_new_instance_type_then_target_tracking_again_with_one_instance_refresh",
    f"{TIER_LAYER}::test_a_tier_turned_off_cloudfront_loses_its_distribution_then_costs_no_module_run",
    f"{TIER_LAYER}::test_teardown_removes_the_tiers_and_keeps_their_logs_unless_asked",
)
MOLECULE = "tests/integration/test_molecule.py"
SECONDS = {
    # Measured: a run of the whole suite on 2026-12-07 with three workers on two cores (build/test-times.jsonl summed
    # per unit by `python -m tests.times`), each unit of 20 s or more; what is not listed is shorter. Only their order
    # matters.
    "shared-local-deploy": 761,
    "shared-goal-tracker-deploy": 626,
    "shared-tiers-deploy": 582,
    "tests/integration/test_cruddur.py": 314,
    "shared-node-app-deploy": 279,
    "tests/integration/test_network_layer.py": 216,
    "tests/integration/test_rds_postgres.py": 201,
    "tests/integration/test_bad_input.py": 189,
    "tests/integration/test_name_prefix.py": 165,
    "tests/integration/test_logging_layer.py": 145,
    "tests/reliability/test_lost_responses_stack.py": 129,
    "tests/integration/test_domain.py": 103,
    f"{MOLECULE}::test_scenario[monitoring]": 99,
    f"{MOLECULE}::test_scenario[alb]": 98,
    "tests/integration/test_awx_runner.py": 98,
    "tests/integration/test_monitoring_role.py": 97,
    f"{MOLECULE}::test_scenario[asg_launch_template]": 97,
    f"{MOLECULE}::test_scenario[bastion]": 92,
    f"{MOLECULE}::test_scenario[fargate]": 91,
    "tests/integration/test_static_tier.py": 87,
    "tests/integration/test_lambda_function.py": 86,
    f"{MOLECULE}::test_scenario[rds_postgres]": 79,
    "tests/integration/test_data_layer.py": 72,
    f"{MOLECULE}::test_scenario[dynamodb_global]": 68,
    "tests/integration/test_backup.py": 68,
    f"{MOLECULE}::test_scenario[lambda_function]": 59,
    "tests/reliability/test_lost_responses.py": 54,
    f"{MOLECULE}::test_scenario[dns]": 48,
    "tests/integration/test_cicd_role.py": 46,
    f"{MOLECULE}::test_scenario[websocket_api]": 45,
    f"{MOLECULE}::test_scenario[cloudfront]": 44,
    "tests/integration/test_stores.py": 42,
    f"{MOLECULE}::test_scenario[stores]": 42,
    f"{MOLECULE}::test_scenario[cicd]": 42,
    "tests/integration/test_dns_modules.py": 39,
    "tests/integration/test_installed_collection.py": 38,
    f"{MOLECULE}::test_scenario[static_site]": 36,
    f"{MOLECULE}::test_scenario[vpc]": 32,
    f"{MOLECULE}::test_scenario[cognito]": 27,
    f"{MOLECULE}::test_scenario[backup]": 27,
    "tests/integration/test_websocket_api.py": 27,
    f"{MOLECULE}::test_scenario[container_registry]": 27,
    f"{MOLECULE}::test_scenario[logging]": 24,
    "tests/test_inventories.py": 24,
    "tests/integration/test_group_vars.py": 22,
    "tests/integration/test_drift.py": 22,
}


def _shared(nodeid):
    """(unit, rank in the unit) of a nodeid in a SHARED unit (its longest entry), else None."""
    places = [
        (len(entry), unit, rank)
        for unit, entries in SHARED.items()
        for rank, entry in enumerate(entries)
        if nodeid == entry or nodeid.startswith((entry + "::", entry + "["))
    ]
    return max(places)[1:] if places else None


def work_unit(nodeid):
    """The scope pytest-xdist runs whole on one worker (see above)."""
    path = nodeid.split("::", 1)[0]
    shared = _shared(nodeid)
    if shared:
        return shared[0]
    if path == MOLECULE and "[" in nodeid:
        return nodeid
    return path


def work_order(nodeids):
    """Each nodeid's rank in the order the units are handed out: longest unit first; within a unit, its SHARED order,
    then the file's own (a stable sort)."""
    def key(nodeid):
        unit, within = work_unit(nodeid), (_shared(nodeid) or (None, 0))[1]
        return (-SECONDS.get(unit, 0), unit if unit in SECONDS else "", within)

    return sorted(range(len(nodeids)), key=lambda index: key(nodeids[index]))


def pytest_collection_modifyitems(items):
    order = work_order([item.nodeid for item in items])
    items[:] = [items[index] for index in order]


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling  # only with pytest-xdist's -n

    class UnitScheduling(LoadFileScheduling):
        def __init__(self, config, log=None):
            super().__init__(config, log)
            config.option.loadscopereorder = False

        def _split_scope(self, nodeid):
            return work_unit(nodeid)

    return UnitScheduling(config, log)


TIMES = REPO_ROOT / "build" / "test-times.jsonl"


def pytest_sessionstart(session):
    """A new build/test-times.jsonl per run (on the controller, before any worker reports)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        TIMES.parent.mkdir(exist_ok=True)
        TIMES.write_text("")


def pytest_runtest_logreport(report):
    """Each test phase's worker, unit, duration and end time, a line in build/test-times.jsonl: what SECONDS above is
    estimated from, and how busy each worker was (`python -m tests.times` sums it up). Under pytest-xdist the worker
    writes it; the controller gets the same report again (with its `node`)."""
    if hasattr(report, "node"):
        return
    line = {
        "worker": os.environ.get("PYTEST_XDIST_WORKER", "main"),
        "unit": work_unit(report.nodeid),
        "nodeid": report.nodeid,
        "when": report.when,
        "seconds": round(report.duration, 3),
        "end": round(_now(), 3),
    }
    with TIMES.open("a", encoding="utf-8") as times:
        times.write(json.dumps(line) + "\n")


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    running = start_emulator(free_port(), tmp_path_factory.mktemp("emulator"))
    try:
        yield running
    finally:
        stop_emulator(running)


@pytest.fixture(scope="session")
def offline_env(tmp_path_factory):
    """Environment for runs that must not reach any AWS endpoint (the port is closed)."""
    return ansible_env(free_port(), tmp_path_factory.mktemp("offline"))


class CleanDeploy:
    """A clean deploy of the local stack (playbooks/site.yml, inventories/local) on an empty account: how many mutating
    requests it made, what it holds by name and by tags, and whether the emulator still holds exactly it."""

    PREFIX, ENV, STACK = "local-atelier", "local", "atelier"

    def __init__(self, emulator, run):
        self.emulator, self.run = emulator, run
        self.mutating = len(run.mutating)
        self.names = by_name(emulator, self.PREFIX)
        self.tags = dict(by_tags(emulator, self.ENV, self.STACK))
        self._mark()

    def _mark(self):
        """From now on, still_deployed() compares with the emulator as it is."""
        self._vpc_ids = self._vpcs()
        self._offset = self.emulator.request_log.stat().st_size

    def _vpcs(self):
        vpcs = self.emulator.client("ec2").describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [self.PREFIX]}])["Vpcs"]
        return sorted(vpc["VpcId"] for vpc in vpcs)

    def still_deployed(self):
        """True while no mutating request reached the emulator since the deploy and no reset emptied it (a reset is
        not logged, but the deploy's VPC would be gone: moto never reuses an id)."""
        since = requestlog.read_requests(self.emulator.request_log, since_offset=self._offset)
        return not requestlog.mutating(since) and bool(self._vpc_ids) and self._vpcs() == self._vpc_ids

    def holds_the_clean_deploy(self):
        """True while the emulator holds what the clean deploy held: the same names (none twice more) and the same
        tagged resources (a stack that converged to it after other changes too)."""
        names, tags = by_name(self.emulator, self.PREFIX), dict(by_tags(self.emulator, self.ENV, self.STACK))
        return names == self.names and tags == self.tags


class DeployerDeploy(CleanDeploy):
    """The clean deploy of the local stack on an empty account made as the deployer (tests/integration/
    deployer_session.py: a role holding only docs/iam/deployer.json's policy) with IAM enforcement on, then off again:
    the deploy test_deployer_policy.py asserts on. credentials: the deployer session's (extra vars) that made run."""

    def __init__(self, emulator):
        self.redeploys = 0
        super().__init__(emulator, self._deploy(emulator))

    def _deploy(self, emulator):
        emulator.reset()
        with emulator.iam_enforced() as admin:
            self.credentials = deployer_session.session(
                emulator, admin, deployer_session.POLICY, deployer_session.DEPLOYER
            )
            run = emulator.playbook("playbooks/site.yml", extra_vars=self.credentials)
        assert run.rc == 0, run.output[-8000:]
        return run

    def deployed(self):
        """The deploy's run, the emulator holding the stack: as it is while it holds what the deploy made (other stacks
        beside it, data in its table: holds_the_clean_deploy()); else after a new deploy as the deployer on an empty
        account (counted in redeploys)."""
        if not self.holds_the_clean_deploy():
            self.redeploys += 1
            self.run = self._deploy(self.emulator)
            self.mutating = len(self.run.mutating)
            self._mark()
        return self.run


@pytest.fixture(scope="session")
def clean_local_deploy(emulator):
    """One clean deploy of the local stack per worker, made as the deployer with IAM enforcement on (DeployerDeploy),
    for the files that need one (SHARED["shared-local-deploy"] runs them on one worker, one after the other): a test
    that needs the stack itself checks still_deployed() (or calls deployed()) and deploys again when an earlier test
    changed the account; a test that needs only the reference (counts, names, tags) uses it as is."""
    return DeployerDeploy(emulator)


class GoalTrackerDeploy(CleanDeploy):
    """The plan of an empty account and a clean deploy of inventories/goal-tracker (playbooks/site.yml), each with the
    plan callback's JSON, and what the deploy holds by name and by tags: one per worker, shared by the goal-tracker
    tests (SHARED above runs them on one worker in that order: the ones that read or re-run the stack, then the ones
    that destroy it). A test that needs the stack itself calls deployed(): the stack as is while it is still what the
    clean deploy holds, else deployed anew on an empty account."""

    INVENTORY, PREFIX, ENV, STACK = "inventories/goal-tracker", "dev-goal-tracker", "dev", "goal-tracker"

    def __init__(self, emulator, folder):
        self.folder, self.redeploys = folder, 0
        emulator.reset()
        self.plan, self.plan_json = run_with_plan(
            emulator, folder / "plan.json", "site.yml", "--check", "--diff", inventory=self.INVENTORY
        )
        assert self.plan.rc == 0, self.plan.output[-20000:]
        super().__init__(emulator, self._deploy(emulator))

    def _deploy(self, emulator):
        """A deploy of the emulator as it is (empty): its run, with its plan callback's JSON in run_json."""
        plan_file = self.folder / f"deploy-{self.redeploys}.json"
        run, self.run_json = run_with_plan(emulator, plan_file, "site.yml", inventory=self.INVENTORY)
        assert run.rc == 0, run.output[-20000:]
        return run

    def deployed(self):
        """The clean deploy's run, the emulator holding it: as it is while still_deployed() or while it holds exactly
        what the clean deploy held (holds_the_clean_deploy()); else after a new deploy on an empty account (counted in
        redeploys)."""
        if not self.still_deployed():
            if not self.holds_the_clean_deploy():
                self.emulator.reset()
                self.redeploys += 1
                self.run = self._deploy(self.emulator)
            self._mark()
        return self.run


@pytest.fixture(scope="session")
def goal_tracker_deploy(emulator, tmp_path_factory):
    """The worker's plan and clean deploy of inventories/goal-tracker (GoalTrackerDeploy)."""
    return GoalTrackerDeploy(emulator, tmp_path_factory.mktemp("goal-tracker"))


class NodeAppDeploy:
    """inventories/node-app-dev (playbooks/site.yml: a Fargate service behind an internet-facing ALB, RDS, alarms) on
    an empty account: the plan of the empty account, the deploy, a second run and the plan of the converged stack. One
    per worker, shared by the Node.js app's tests and the fargate role's (SHARED["shared-node-app-deploy"] runs them on
    one worker: the tests that only read the stack, then those that change it and leave it converged, then its
    destroy)."""

    INVENTORY, PREFIX = "inventories/node-app-dev", "dev-node-app"

    def __init__(self, emulator):
        self.emulator = emulator
        emulator.reset()
        self.empty_plan = self.playbook("--check")
        self.deploy = self.playbook()
        assert self.deploy.rc == 0, self.deploy.output[-20000:]
        self.again = self.playbook()
        self.plan = self.playbook("--check")

    def playbook(self, *args, playbook="playbooks/site.yml", **extra):
        """A run of playbook (the whole stack unless args say --tags) on the node-app inventory."""
        return self.emulator.playbook(playbook, *args, inventory=self.INVENTORY, **extra)


@pytest.fixture(scope="session")
def node_app_deploy(emulator):
    """The worker's plan and deploy of inventories/node-app-dev, re-run and planned again (NodeAppDeploy)."""
    return NodeAppDeploy(emulator)


class TiersDeploy(CleanDeploy):
    """The plan of an empty account and a deploy of the local stack's network, data and tiers (--tags TAGS, with the
    orphans play as a whole deploy runs it: its look-up by the stack's tags is what tells the plan callback that the
    origin secrets, hidden by no_log, are new), each with the plan callback's JSON: one per worker, shared by the tier
    layer's tests and the tier grants' (SHARED["shared-tiers-deploy"] runs them on one worker in that order)."""

    TAGS = "vpc,security_groups,dynamodb_global,alb,cloudfront,asg_launch_template"

    def __init__(self, emulator, folder):
        self.folder, self.redeploys = folder, 0
        emulator.reset()
        self.plan, self.plan_json = run_with_plan(
            emulator, folder / "plan.json", "site.yml", "--tags", self.TAGS + ",orphans", "--check"
        )
        super().__init__(emulator, self._deploy(emulator))
        self.deploy = self.run

    def _deploy(self, emulator):
        plan_file = self.folder / f"deploy-{self.redeploys}.json"
        run, self.deploy_json = run_with_plan(emulator, plan_file, "site.yml", "--tags", self.TAGS + ",orphans")
        assert run.rc == 0, run.output[-20000:]
        return run

    def deployed(self):
        """The deploy's run, the emulator holding the tiers: as they are while the emulator holds what the deploy made
        (holds_the_clean_deploy()); else after a new deploy on an empty account (counted in redeploys)."""
        if not self.holds_the_clean_deploy():
            self.emulator.reset()
            self.redeploys += 1
            self.run = self._deploy(self.emulator)
            self._mark()
        return self.run


@pytest.fixture(scope="session")
def tiers_deploy(emulator, tmp_path_factory):
    """The worker's plan and deploy of the local stack's network, data and tiers (TiersDeploy)."""
    return TiersDeploy(emulator, tmp_path_factory.mktemp("tiers"))
