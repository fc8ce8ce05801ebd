# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of plugins/module_utils/plan.py: action lines, upstream results, folding, counting, rendering."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import plan


def short(item):
    return (item["action"], item["type"], item["name"], item["attributes"])


@pytest.mark.parametrize(
    "line, expected",
    [
        # vpc_network
        ("create vpc prod-atelier 10.0.0.0/16", ("create", "vpc", "prod-atelier", [])),
        ("update vpc prod-atelier: DNS hostnames on", ("update", "vpc", "prod-atelier", ["DNS hostnames on"])),
        ("create subnet prod-atelier-public-us-east-1a 10.0.1.0/24", ("create", "subnet", "prod-atelier-public-us-east-1a", [])),
        ("update subnet prod-a-public-az1: no public IPs on launch", ("update", "subnet", "prod-a-public-az1", ["no public IPs on launch"])),
        ("create internet gateway prod-igw", ("create", "internet gateway", "prod-igw", [])),
        ("attach internet gateway prod-igw to vpc prod", ("update", "internet gateway", "prod-igw", ["attachment"])),
        ("allocate elastic ip prod-nat-az1", ("create", "elastic ip", "prod-nat-az1", [])),
        ("release elastic ip 1.2.3.4 (eipalloc-1, no longer used)", ("delete", "elastic ip", "1.2.3.4", [])),
        ("create NAT gateway prod-nat-az1 in subnet prod-public-az1", ("create", "NAT gateway", "prod-nat-az1", [])),
        ("delete NAT gateway nat-0a (prod-nat-az2, no longer wanted here)", ("delete", "NAT gateway", "nat-0a", [])),
        ("create route table prod-app-az1-rt", ("create", "route table", "prod-app-az1-rt", [])),
        ("create route 0.0.0.0/0 -> NAT gateway prod-nat-az1 in route table prod-app-az1-rt",
         ("update", "route table", "prod-app-az1-rt", ["routes"])),
        ("delete route 0.0.0.0/0 -> igw-1 from route table prod-app-az1-rt", ("update", "route table", "prod-app-az1-rt", ["routes"])),
        ("associate route table prod-app-az1-rt with subnet prod-app-az1", ("update", "route table", "prod-app-az1-rt", ["associations"])),
        ("associate subnet prod-app-az1 with route table prod-app-az1-rt instead of rtb-1",
         ("update", "route table", "prod-app-az1-rt", ["associations"])),
        ("create endpoint prod-s3 (com.amazonaws.us-east-1.s3) on 4 route tables", ("create", "endpoint", "prod-s3", [])),
        ("update endpoint prod-s3: add 1 route table", ("update", "endpoint", "prod-s3", ["add 1 route table"])),
        ("update tags of subnet prod-app-az1: set Owner", ("update", "subnet", "prod-app-az1", ["tags"])),
        ("update tags of security group prod-default: remove Old", ("update", "security group", "prod-default", ["tags"])),
        ("revoke 1 egress rule of the default security group prod-default (sg-1)", ("update", "security group", "prod-default", ["egress"])),
        # ec2_security_group_set
        ("create security group dev-web-database in vpc-0123", ("create", "security group", "dev-web-database", [])),
        ("authorize tcp 5432 from dev-web-app on dev-web-database", ("update", "security group", "dev-web-database", ["ingress"])),
        ("revoke tcp 22 from 0.0.0.0/0 on dev-web-app", ("update", "security group", "dev-web-app", ["ingress"])),
        ("set the description of tcp 80 from x on dev-web-alb to 'on the web'", ("update", "security group", "dev-web-alb", ["rule descriptions"])),
        ("tag dev-web-app: Owner=ops", ("update", "security group", "dev-web-app", ["tags"])),
        ("delete security group dev-web-old (sg-0123)", ("delete", "security group", "dev-web-old", [])),
        # the other modules
        ("update dynamodb table prod-AtelierDB: replicas, tags", ("update", "dynamodb table", "prod-AtelierDB", ["replicas", "tags"])),
        ("replace flow log prod-flow-log: max_aggregation_interval", ("replace", "flow log", "prod-flow-log", ["max_aggregation_interval"])),
        ("create cloudwatch alarm prod/frontend/cpu-high", ("create", "cloudwatch alarm", "prod/frontend/cpu-high", [])),
        ("update cloudfront cache policy web: default_ttl", ("update", "cloudfront cache policy", "web", ["default_ttl"])),
        ("update ecr repository prod/web: tags", ("update", "ecr repository", "prod/web", ["tags"])),
        ("update ecs service prod-web/frontend: task_definition", ("update", "ecs service", "prod-web/frontend", ["task_definition"])),
        ("create s3 notification dev-uploads/atelier/dev/thumbnail/0", ("create", "s3 notification", "dev-uploads/atelier/dev/thumbnail/0", [])),
        ("update event source mapping dev-proc/dev-messages: batch_size", ("update", "event source mapping", "dev-proc/dev-messages", ["batch_size"])),
        ("replace event source mapping dev-proc/dev-messages", ("replace", "event source mapping", "dev-proc/dev-messages", [])),
    ],
)
def test_action_lines_name_the_resource_and_its_attributes(line, expected):
    assert short(plan.parse_action(line)) == expected


def test_unknown_lines_are_left_out_and_plural_deletes_split():
    assert plan.parse_action("wait for the NAT gateways") is None
    found = plan.parse_actions(["delete endpoints prod-s3, prod-dynamodb", "frobnicate x"])
    assert [short(c) for c in found] == [("delete", "endpoint", "prod-s3", []), ("delete", "endpoint", "prod-dynamodb", [])]


STARTED = 1_800_000_000.0


@pytest.mark.parametrize(
    "module, args, result, check_mode, expected",
    [
        ("iam_role", {"name": "r"}, {"changed": False}, False, ("keep", "iam role", "r", [])),
        ("iam_role", {"name": "r", "state": "absent"}, {"changed": False}, False, None),
        ("iam_role", {"name": "r", "state": "absent"}, {"changed": True}, True, ("delete", "iam role", "r", [])),
        # check mode: no resource in the result is a creation, one is an update
        ("iam_role", {"name": "r"}, {"changed": True}, True, ("create", "iam role", "r", [])),
        ("iam_role", {"name": "r"}, {"changed": True, "iam_role": {"role_name": "r"}}, True, ("update", "iam role", "r", [])),
        # the module's message
        ("cloudwatchlogs_log_group", {"log_group_name": "/g"}, {"changed": True, "msg": "Would have created log group if not in check_mode."},
         True, ("create", "log group", "/g", [])),
        ("elb_application_lb", {"name": "a"}, {"changed": True, "msg": "Would have updated ALB if not in check mode."}, True,
         ("update", "load balancer", "a", [])),
        # a diff: its empty side, else its keys
        ("iam_managed_policy", {"name": "p"}, {"changed": True, "diff": {"before": {}, "after": {"x": 1}}}, False, ("create", "iam policy", "p", [])),
        ("iam_managed_policy", {"name": "p"}, {"changed": True, "diff": {"before": {"x": 1, "y": 2}, "after": {"x": 2, "y": 2}}}, False,
         ("update", "iam policy", "p", ["x"])),
        # after a real run, the creation time against the run's start
        ("iam_role", {"name": "r"}, {"changed": True, "iam_role": {"create_date": "2027-01-15T08:00:10+00:00"}}, False,
         ("create", "iam role", "r", [])),
        ("iam_role", {"name": "r"}, {"changed": True, "iam_role": {"create_date": "2020-01-01T00:00:00+00:00"}}, False,
         ("update", "iam role", "r", [])),
        ("cloudwatchlogs_log_group", {"log_group_name": "/g"}, {"changed": True, "log_group_name": "/g", "creation_time": 1_800_000_005_000},
         False, ("create", "log group", "/g", [])),
        ("ecs_ecr", {"name": "repo"}, {"changed": True, "created": True}, False, ("create", "ecr repository", "repo", [])),
        # the CloudWatch agent's parameter and the scaling-events rule: missing in check mode is a create
        ("ssm_parameter", {"name": "AmazonCloudWatch-p-web"}, {"changed": True}, True,
         ("create", "ssm parameter", "AmazonCloudWatch-p-web", [])),
        ("cloudwatchevent_rule", {"name": "p-scaling-events"}, {"changed": False}, False, ("keep", "eventbridge rule", "p-scaling-events", [])),
        # after a real run, PutParameter's version 1 is a creation, a later one an update
        ("ssm_parameter", {"name": "AmazonCloudWatch-p-web"}, {"changed": True, "response": {"Version": 1}}, False,
         ("create", "ssm parameter", "AmazonCloudWatch-p-web", [])),
        ("ssm_parameter", {"name": "AmazonCloudWatch-p-web"}, {"changed": True, "response": {"Version": 2}}, False,
         ("update", "ssm parameter", "AmazonCloudWatch-p-web", [])),
        ("ssm_parameter", {"name": "AmazonCloudWatch-p-web"}, {"changed": True, "response": {}}, False,
         ("update", "ssm parameter", "AmazonCloudWatch-p-web", [])),
        # an inline policy is a setting of its role
        ("iam_policy", {"iam_type": "role", "iam_name": "r", "policy_name": "p"}, {"changed": True}, False,
         ("update", "iam role", "r", ["policy p"])),
        ("autoscaling_instance_refresh", {"name": "g"}, {"changed": True}, False, ("update", "auto scaling group", "g", ["instances (refresh)"])),
        # not a resource module, or no name
        ("aws_caller_info", {}, {"changed": False}, False, None),
        ("iam_role", {}, {"changed": True}, False, None),
    ],
)
def test_upstream_results_are_classified(module, args, result, check_mode, expected):
    found = plan.classify(module, args, result, check_mode, STARTED)
    assert (short(found) if found else None) == expected


def test_the_stacks_tags_tell_whether_a_hidden_result_created_or_updated():
    known = plan.from_known(
        [{"resource_type": "secretsmanager:secret", "name": "p/web/origin-verify-AbC123"},
         {"resource_type": "elasticloadbalancing:loadbalancer", "name": "p-web"}],
        ["secretsmanager:secret", "elasticloadbalancing:loadbalancer", "sns"],
    )
    assert known == {"secret": {"p/web/origin-verify"}, "load balancer": {"p-web"}, "sns topic": set()}
    assert plan.classify("secretsmanager_secret", {"name": "p/web/origin-verify"}, {"changed": True}, False, None, known)["action"] == "update"
    assert plan.classify("sns_topic", {"name": "p-alarms"}, {"changed": True}, False, None, known)["action"] == "create"
    # The first look at a type wins.
    later = plan.from_known([{"resource_type": "sns:topic", "name": "p-alarms"}], ["sns"], known)
    assert later["sns topic"] == set()


def test_what_the_role_found_before_the_task_tells_a_creation_from_an_update():
    # amazon.aws.rds_subnet_group's result has no creation marker: the role says whether the group existed.
    result = {"changed": True, "subnet_group": {"name": "p-postgres"}}
    assert plan.classify("rds_subnet_group", {"name": "p-postgres"}, result, False, STARTED)["action"] == "update"
    assert plan.classify("rds_subnet_group", {"name": "p-postgres"}, result, False, STARTED, existed=False)["action"] == "create"
    assert plan.classify("rds_subnet_group", {"name": "p-postgres"}, result, False, STARTED, existed=True)["action"] == "update"
    # Unchanged stays kept whatever the role said.
    assert plan.classify("rds_subnet_group", {"name": "p-postgres"}, {"changed": False}, False, STARTED, existed=False)["action"] == "keep"


@pytest.mark.parametrize(
    "sequence, expected",
    [
        (["create", "update"], "create"),
        (["keep", "update"], "update"),
        (["update", "keep"], "update"),
        (["delete", "create"], "replace"),
        (["create", "delete"], "delete"),
        (["update", "update"], "update"),
    ],
)
def test_changes_of_one_resource_fold(sequence, expected):
    changes = [plan.change(action, "vpc", "v", ["a%d" % i]) for i, action in enumerate(sequence)]
    (merged,) = plan.merge(changes)
    assert merged["action"] == expected
    if expected == "update":
        assert merged["attributes"] == sorted({"a%d" % i for i, a in enumerate(sequence) if a == "update"})


def test_what_a_role_computed_decides_over_a_modules_guess():
    guessed = plan.change("update", "scaling policy", "p")
    computed = dict(plan.change("create", "scaling policy", "p"), explicit=True)
    assert plan.merge([computed, guessed])[0]["action"] == "create"
    assert plan.merge([guessed, computed])[0]["action"] == "create"
    kept = dict(plan.change("keep", "target group", "t"), explicit=True)
    assert plan.merge([kept, plan.change("update", "target group", "t", ["x"])])[0]["action"] == "update"


def test_report_counts_terraforms_way_and_renders_the_last_line():
    layers = [
        ("Network", [plan.change("create", "vpc", "v"), plan.change("keep", "subnet", "s")]),
        ("Tiers", [plan.change("update", "target group", "t", ["health_check_path"],
                               {"health_check_path": {"before": "/", "after": "/health"}}),
                   plan.change("delete", "flow log", "f"), plan.change("create", "flow log", "f")]),
    ]
    checked = plan.report(layers, check_mode=True)
    assert checked["summary"] == {"add": 2, "change": 1, "destroy": 1, "keep": 1}
    assert [layer["summary"] for layer in checked["layers"]] == [
        {"add": 1, "change": 0, "destroy": 0, "keep": 1}, {"add": 1, "change": 1, "destroy": 1, "keep": 0}]
    text = plan.render(checked)
    assert text.splitlines()[-1] == "Plan: 2 to add, 1 to change, 1 to destroy."
    assert "~ update  target group  t  health_check_path" in text
    assert "-/+ replace flow log" in text
    assert '"/" -> "/health"' not in text
    assert 'health_check_path: "/" -> "/health"' in plan.render(checked, with_values=True)
    applied = plan.report(layers, check_mode=False)
    assert plan.render(applied).splitlines()[-1] == "Apply complete: 2 added, 1 changed, 1 destroyed."
    assert "explicit" not in str(applied)


def test_a_resource_one_layer_creates_and_a_later_one_finishes_is_one_added():
    """The run's summary folds each resource across the layers: the table the data layer creates and
    playbooks/data_wait.yml finishes (its new replica's settings) is one added, and the layers keep their own counts."""
    table = ("dynamodb table", "local-atelier-AtelierDB")
    layers = [
        ("Converge the data layer", [plan.change(plan.CREATE, *table)]),
        ("Converge the monitoring", [plan.change(plan.CREATE, "cloudwatch alarm", "a"), plan.change(plan.UPDATE, "sns topic", "t")]),
        ("Finish what the data layer started", [plan.change(plan.UPDATE, *table, ["replicas"])]),
    ]
    applied = plan.report(layers, check_mode=False)
    assert applied["summary"] == {"add": 2, "change": 1, "destroy": 0, "keep": 0}
    assert [layer["summary"]["change"] for layer in applied["layers"]] == [0, 1, 1]
    assert plan.summary_line(applied) == "Apply complete: 2 added, 1 changed, 0 destroyed."
    # A resource deleted by one layer and made again by another is one replaced: one added, one destroyed.
    gone = [("orphans", [plan.change(plan.DELETE, "load balancer", "lb")]), ("tiers", [plan.change(plan.CREATE, "load balancer", "lb")])]
    assert plan.report(gone, check_mode=False)["summary"] == {"add": 1, "change": 0, "destroy": 1, "keep": 0}


def test_an_empty_run_plans_nothing():
    assert plan.render(plan.report([], True)) == "Plan: 0 to add, 0 to change, 0 to destroy."
