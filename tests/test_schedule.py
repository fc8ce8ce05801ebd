"""How tests/conftest.py spreads the suite over pytest-xdist's workers (`-n 2 --dist loadfile`): the units of work,
the order they are handed out in, and the scheduler that uses both (driven here with two fake workers)."""

import types

from tests import conftest
from tests.conftest import FARGATE_TIER, GOAL_TRACKER, LOST_STACK, MOLECULE, NODE_APP, SECONDS, SHARED, TIER_GRANTS, TIER_LAYER
from tests.conftest import pytest_xdist_make_scheduler, work_order, work_unit

KILL_POINTS, SECOND_STACK = "tests/reliability/test_kill_points.py", "tests/reliability/test_second_stack.py"
TEARDOWN = "tests/reliability/test_teardown_keeps_data.py"
GT_READ, GT_DESTROY = f"{GOAL_TRACKER}::test_the_database_is_the_goal_tracker_systems", f"{GOAL_TRACKER}::test_destroy_keeps_only_the_final_snapshot"
GT_RERUN = f"{GOAL_TRACKER}::test_a_second_run_and_the_plan_change_nothing"
LOST_GT = f"{LOST_STACK}::test_a_lost_answer_on_each_create_of_the_goal_tracker_stack_leaves_no_duplicate"
LOST_LOCAL = f"{LOST_STACK}::test_a_lost_answer_on_each_create_of_the_local_stack_leaves_no_duplicate"
NODEIDS = [
    "tests/unit/test_a.py::test_one",
    "tests/unit/test_a.py::test_two",
    f"{KILL_POINTS}::test_kills",
    f"{MOLECULE}::test_every_role_has_a_scenario",
    f"{MOLECULE}::test_scenario[alb]",
    f"{MOLECULE}::test_scenario[asg_launch_template]",
    f"{SECOND_STACK}::test_second",
    "tests/integration/test_tier_layer.py::test_plan",
    "tests/integration/test_tier_layer.py::test_second_run",
]


def test_each_molecule_scenario_is_a_unit_and_the_shared_deploy_files_are_one():
    assert work_unit(f"{MOLECULE}::test_scenario[alb]") != work_unit(f"{MOLECULE}::test_scenario[vpc]")
    assert work_unit(f"{MOLECULE}::test_every_role_has_a_scenario") == MOLECULE
    assert work_unit(f"{KILL_POINTS}::test_kills") == work_unit(f"{SECOND_STACK}::test_second")
    assert work_unit("tests/integration/test_tier_layer.py::test_plan") == "shared-tiers-deploy"
    assert work_unit(f"{TIER_GRANTS}::test_the_backend_reads_no_secret") == "shared-tiers-deploy"
    # The goal-tracker deploy's unit: whole files and one test of another file, whose other tests stay a unit of
    # their own (the file).
    gt = {work_unit(nodeid) for nodeid in (GT_READ, GT_DESTROY, f"{TEARDOWN}::test_destroy", LOST_GT)}
    assert gt == {"shared-goal-tracker-deploy"}
    assert work_unit(LOST_LOCAL) == LOST_STACK


def test_the_local_deploy_takes_a_second_stack_then_the_deployers_runs_then_the_kill_points():
    deployer = "tests/integration/test_deployer_policy.py"
    deploy, destroy = f"{deployer}::test_the_deployer_deploys_the_stack", f"{deployer}::test_the_deployer_destroys_the_stack"
    nodeids = [f"{KILL_POINTS}::test_kills", deploy, destroy, f"{SECOND_STACK}::test_second", "tests/unit/test_a.py::test_one"]
    assert {work_unit(nodeid) for nodeid in nodeids[:-1]} == {"shared-local-deploy"}
    ordered = [nodeids[index] for index in work_order(nodeids)]
    assert ordered == [f"{SECOND_STACK}::test_second", deploy, destroy, f"{KILL_POINTS}::test_kills", "tests/unit/test_a.py::test_one"]


def test_the_goal_tracker_deploy_is_read_first_then_destroyed_the_removal_last():
    nodeids = [LOST_LOCAL, GT_DESTROY, LOST_GT, GT_READ, f"{TEARDOWN}::test_destroy", GT_RERUN, "tests/unit/test_a.py::test_one"]
    ordered = [nodeids[index] for index in work_order(nodeids)]
    assert ordered == [GT_READ, GT_RERUN, f"{TEARDOWN}::test_destroy", LOST_GT, GT_DESTROY, LOST_LOCAL, "tests/unit/test_a.py::test_one"]


def test_the_node_app_deploy_is_read_then_changed_by_the_fargate_tests_then_destroyed():
    read, destroy = f"{NODE_APP}::test_the_summary_says_where_the_app_lives", f"{NODE_APP}::test_destroy_keeps_only_the_final_snapshot"
    fargate_read = f"{FARGATE_TIER}::test_the_cluster_has_container_insights_and_both_fargate_providers"
    new_tag = f"{FARGATE_TIER}::test_a_new_image_tag_registers_exactly_one_revision_and_starts_one_deployment"
    switch = f"{FARGATE_TIER}::test_moving_the_tier_to_ec2_and_back_keeps_the_load_balancer_and_removes_the_former_runtime"
    nodeids = [destroy, switch, new_tag, fargate_read, read, "tests/unit/test_a.py::test_one"]
    assert {work_unit(nodeid) for nodeid in nodeids[:-1]} == {"shared-node-app-deploy"}
    ordered = [nodeids[index] for index in work_order(nodeids)]
    assert ordered == [read, fargate_read, new_tag, switch, destroy, "tests/unit/test_a.py::test_one"]


def test_the_tiers_deploy_is_read_then_used_by_the_grants_then_changed_then_removed():
    read, plan_again = f"{TIER_LAYER}::test_plan_on_an_empty_account_mutates_nothing", f"{TIER_LAYER}::test_second_run_and_plan_change_nothing"
    grants = f"{TIER_GRANTS}::test_an_upgraded_stack_ends_with_the_one_policy_and_stays_so"
    change = f"{TIER_LAYER}::test_step_scaling_and_a_new_instance_type_then_target_tracking_again_with_one_instance_refresh"
    remove = f"{TIER_LAYER}::test_teardown_removes_the_tiers_and_keeps_their_logs_unless_asked"
    nodeids = [remove, change, grants, plan_again, read, "tests/unit/test_a.py::test_one"]
    assert {work_unit(nodeid) for nodeid in nodeids[:-1]} == {"shared-tiers-deploy"}
    ordered = [nodeids[index] for index in work_order(nodeids)]
    assert ordered == [plan_again, read, grants, change, remove, "tests/unit/test_a.py::test_one"]


def test_the_longest_units_go_first_the_shared_deploy_files_in_their_order():
    ordered = [NODEIDS[index] for index in work_order(NODEIDS)]
    assert ordered == [
        f"{SECOND_STACK}::test_second",
        f"{KILL_POINTS}::test_kills",
        "tests/integration/test_tier_layer.py::test_plan",
        "tests/integration/test_tier_layer.py::test_second_run",
        f"{MOLECULE}::test_scenario[alb]",
        f"{MOLECULE}::test_scenario[asg_launch_template]",
        # units without an estimate: short, last, in collection order
        "tests/unit/test_a.py::test_one",
        "tests/unit/test_a.py::test_two",
        f"{MOLECULE}::test_every_role_has_a_scenario",
    ]


def test_every_estimate_names_a_unit_that_exists():
    root = conftest.REPO_ROOT
    scenarios = {p.parent.name for p in (root / "extensions" / "molecule").glob("*/molecule.yml")}
    for unit in SECONDS:
        if unit in SHARED:
            for entry in SHARED[unit]:
                path, _, test = entry.partition("::")
                assert (root / path).is_file(), entry
                assert not test or f"def {test}(" in (root / path).read_text(encoding="utf-8"), entry
        elif "::" in unit:
            head = f"{MOLECULE}::test_scenario["
            assert unit.startswith(head) and unit[len(head):-1] in scenarios, unit
        else:
            assert (root / unit).is_file(), unit
    assert set(SHARED) <= set(SECONDS)


class FakeWorker:
    def __init__(self, name):
        self.name, self.shutting_down, self.sent = name, False, []
        self.gateway = types.SimpleNamespace(id=name)

    def send_runtest_some(self, indexes):
        self.sent.append(indexes)

    def shutdown(self):
        self.shutting_down = True


def test_the_scheduler_hands_out_units_longest_first_without_reordering_them_by_size():
    config = types.SimpleNamespace(option=types.SimpleNamespace(loadscopereorder=True, dist="loadfile", tx=["2*popen"]))
    config.getvalue = lambda name: getattr(config.option, name)
    scheduler = pytest_xdist_make_scheduler(config, None)
    collection = [NODEIDS[index] for index in work_order(NODEIDS)]
    workers = [FakeWorker("gw0"), FakeWorker("gw1")]
    for worker in workers:
        scheduler.add_node(worker)
        scheduler.add_node_collection(worker, collection)
    scheduler.schedule()

    assert config.option.loadscopereorder is False
    given = {worker.name: [[collection[index] for index in indexes] for indexes in worker.sent] for worker in workers}
    # The shared-deploy unit (2 files, one test each) to the first worker, tier_layer to the second; each worker with
    # at most two tests left gets its next unit at once (xdist's prefetch), the longest left.
    assert given["gw0"][0] == [f"{SECOND_STACK}::test_second", f"{KILL_POINTS}::test_kills"]
    assert given["gw1"][0] == ["tests/integration/test_tier_layer.py::test_plan", "tests/integration/test_tier_layer.py::test_second_run"]
    assert given["gw0"][1] == [f"{MOLECULE}::test_scenario[alb]"]
    assert given["gw1"][1] == [f"{MOLECULE}::test_scenario[asg_launch_template]"]


def test_other_distributions_keep_xdists_scheduler():
    config = types.SimpleNamespace(getvalue=lambda name: "load")
    assert pytest_xdist_make_scheduler(config, None) is None
