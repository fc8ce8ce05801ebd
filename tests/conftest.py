"""Shared pytest setup: what every test directory needs to find the project, and the emulator the suites that drive
the real playbooks share (tests/integration, tests/reliability).

One emulator per session (per pytest-xdist worker), on a free loopback port with its own state directory, started
only when a test asks for it and stopped at the end. Tests that need an empty account call ``emulator.reset()``.
"""

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from emulator import requestlog  # noqa: E402
from emulator.harness import ansible_env, free_port, start_emulator, stop_emulator  # noqa: E402
from tests.reliability.resources import by_name, by_tags  # noqa: E402


# How the suite is spread over pytest-xdist's workers (`-n 2 --dist loadfile`, the Makefile's test target).
# A unit of work (a "scope") runs whole on one worker: a test file, except
# - each molecule scenario, a unit of its own (each converges and cleans up on the worker's emulator, whatever ran
#   before): the thirteen scenarios are the suite's largest file (about 17 minutes) and would otherwise bound one
#   worker alone;
# - SHARED_DEPLOY's files, one unit, in that order, because they share one clean deploy (the clean_local_deploy
#   fixture below).
# Units are handed out longest first (their estimated seconds in SECONDS, measured on two shared cores; a unit not
# listed is short), so that the many short unit-test files close the run on both workers instead of one long file
# starting last. xdist's own reordering (by number of tests per unit) is switched off: it put the one-test files, the
# longest, last.
SHARED_DEPLOY = ("tests/reliability/test_second_stack.py", "tests/reliability/test_kill_points.py")
MOLECULE = "tests/integration/test_molecule.py"
SECONDS = {
    "shared-local-deploy": 590,
    "tests/integration/test_tier_layer.py": 560,
    "tests/integration/test_deployer_policy.py": 500,
    "tests/integration/test_goal_tracker.py": 360,
    "tests/integration/test_network_layer.py": 330,
    "tests/reliability/test_lost_responses_stack.py": 600,
    "tests/reliability/test_lost_responses.py": 80,
    "tests/reliability/test_throttling.py": 260,
    "tests/integration/test_rds_postgres.py": 250,
    "tests/integration/test_tier_grants.py": 250,
    "tests/integration/test_ecs_modules.py": 200,
    "tests/reliability/test_teardown_keeps_data.py": 180,
    "tests/integration/test_name_prefix.py": 180,
    f"{MOLECULE}::test_scenario[asg_launch_template]": 175,
    "tests/integration/test_awx_runner.py": 170,
    "tests/integration/test_monitoring_role.py": 150,
    "tests/integration/test_data_layer.py": 150,
    f"{MOLECULE}::test_scenario[monitoring]": 135,
    "tests/integration/test_orphans.py": 130,
    "tests/integration/test_backup.py": 120,
    "tests/integration/test_logging_layer.py": 110,
    "tests/integration/test_plan.py": 100,
    f"{MOLECULE}::test_scenario[alb]": 95,
    f"{MOLECULE}::test_scenario[bastion]": 92,
    f"{MOLECULE}::test_scenario[rds_postgres]": 85,
    f"{MOLECULE}::test_scenario[dynamodb_global]": 60,
    "tests/integration/test_bad_input.py": 60,
    "tests/integration/test_drift.py": 60,
    f"{MOLECULE}::test_scenario[vpc]": 55,
}


def work_unit(nodeid):
    """The scope pytest-xdist runs whole on one worker (see above)."""
    path = nodeid.split("::", 1)[0]
    if path in SHARED_DEPLOY:
        return "shared-local-deploy"
    if path == MOLECULE and "[" in nodeid:
        return nodeid
    return path


def work_order(nodeids):
    """Each nodeid's rank in the order the units are handed out: longest unit first; within a unit, SHARED_DEPLOY's
    order, then the file's own (a stable sort)."""
    def key(nodeid):
        path = nodeid.split("::", 1)[0]
        within = SHARED_DEPLOY.index(path) if path in SHARED_DEPLOY else 0
        return (-SECONDS.get(work_unit(nodeid), 0), work_unit(nodeid) if work_unit(nodeid) in SECONDS else "", within)

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
        self._vpc_ids = self._vpcs()
        self._offset = emulator.request_log.stat().st_size

    def _vpcs(self):
        vpcs = self.emulator.client("ec2").describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [self.PREFIX]}])["Vpcs"]
        return sorted(vpc["VpcId"] for vpc in vpcs)

    def still_deployed(self):
        """True while no mutating request reached the emulator since the deploy and no reset emptied it (a reset is
        not logged, but the deploy's VPC would be gone: moto never reuses an id)."""
        since = requestlog.read_requests(self.emulator.request_log, since_offset=self._offset)
        return not requestlog.mutating(since) and bool(self._vpc_ids) and self._vpcs() == self._vpc_ids


@pytest.fixture(scope="session")
def clean_local_deploy(emulator):
    """One clean deploy of the local stack per worker, for the files that need one (tests/conftest.py SHARED_DEPLOY
    runs them on one worker, one after the other): a test that needs the stack itself checks still_deployed() and
    deploys again when an earlier test changed the account; a test that needs only the reference (counts, names, tags)
    uses it as is."""
    emulator.reset()
    run = emulator.playbook("playbooks/site.yml")
    assert run.rc == 0, run.output[-8000:]
    return CleanDeploy(emulator, run)
