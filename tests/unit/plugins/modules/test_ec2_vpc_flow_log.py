# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.ec2_vpc_flow_log: main() is driven with module args, and our
own module_utils wrappers are replaced by mocks (no boto3 call, no network)."""

import copy
from unittest.mock import MagicMock

import pytest
from botocore.exceptions import ClientError


from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error

from tests.unit.plugins.modules.utils import AnsibleExitJson, AnsibleFailJson, run_main
from ansible_collections.atelier.infra.plugins.modules import ec2_vpc_flow_log
from ansible_collections.atelier.infra.plugins.modules import ec2_vpc_flow_log_info

VPC = "vpc-0123456789abcdef0"
ROLE = "arn:aws:iam::123456789012:role/flow-logs"
OTHER_ROLE = "arn:aws:iam::123456789012:role/other"
GROUP = "/vpc/flow-logs"
FORMAT = "${version} ${srcaddr} ${dstaddr} ${action}"
WRAPPERS = ("describe_flow_logs", "create_flow_logs", "delete_flow_logs", "add_flow_log_tags", "remove_flow_log_tags")


def flow_log(flow_log_id="fl-0001", traffic_type="ALL", tags=None, **overrides):
    """A flow log as DescribeFlowLogs returns it."""
    result = {
        "FlowLogId": flow_log_id,
        "ResourceId": VPC,
        "TrafficType": traffic_type,
        "LogDestinationType": "cloud-watch-logs",
        "LogGroupName": GROUP,
        "DeliverLogsPermissionArn": ROLE,
        "DeliverLogsStatus": "SUCCESS",
        "FlowLogStatus": "ACTIVE",
        "LogFormat": "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${action}",
        "MaxAggregationInterval": 600,
        "Tags": [{"Key": k, "Value": v} for k, v in (tags or {}).items()],
    }
    result.update(overrides)
    return result


def base_args(**overrides):
    args = {
        "resource_id": VPC,
        "log_group_name": GROUP,
        "deliver_logs_permission_arn": ROLE,
        "region": "us-east-1",
    }
    args.update(overrides)
    # An option set to None is left out, as a task leaves it out.
    return {key: value for key, value in args.items() if value is not None}


class FakeAWS:
    """The flow logs that exist, and mocks standing in for our module_utils wrappers."""

    def __init__(self, existing):
        self.flow_logs = {fl["FlowLogId"]: copy.deepcopy(fl) for fl in existing}
        self.tokens = {}
        self.created = 0
        self.describe_flow_logs = MagicMock(side_effect=self._describe)
        self.create_flow_logs = MagicMock(side_effect=self._create)
        self.delete_flow_logs = MagicMock(side_effect=self._delete)
        self.add_flow_log_tags = MagicMock(side_effect=self._add_tags)
        self.remove_flow_log_tags = MagicMock(side_effect=self._remove_tags)

    def _describe(self, client, FlowLogIds=None, Filter=None):
        found = list(self.flow_logs.values())
        if FlowLogIds:
            found = [fl for fl in found if fl["FlowLogId"] in FlowLogIds]
        for flt in Filter or []:
            key = {"resource-id": "ResourceId", "traffic-type": "TrafficType"}[flt["Name"]]
            found = [fl for fl in found if fl[key] in flt["Values"]]
        return copy.deepcopy(found)

    def _create(self, client, tags=None, ClientToken=None, **params):
        if ClientToken in self.tokens:  # AWS answers a token it has seen with the first result, even once deleted
            return [self.tokens[ClientToken]]
        self.created += 1
        new_id = f"fl-new{self.created}"
        self.flow_logs[new_id] = flow_log(
            new_id,
            traffic_type=params["TrafficType"],
            tags=tags,
            LogFormat=params.get("LogFormat", "${version} ${account-id}"),
            MaxAggregationInterval=params["MaxAggregationInterval"],
            DeliverLogsPermissionArn=params.get("DeliverLogsPermissionArn"),
        )
        if ClientToken:
            self.tokens[ClientToken] = new_id
        return [new_id]

    def _add_tags(self, client, flow_log_id, tags):
        current = {t["Key"]: t["Value"] for t in self.flow_logs[flow_log_id]["Tags"]}
        current.update({k: str(v) for k, v in tags.items()})
        self.flow_logs[flow_log_id]["Tags"] = [{"Key": k, "Value": v} for k, v in current.items()]
        return True

    def _remove_tags(self, client, flow_log_id, tag_keys):
        tags = self.flow_logs[flow_log_id]["Tags"]
        self.flow_logs[flow_log_id]["Tags"] = [t for t in tags if t["Key"] not in tag_keys]
        return True

    def _delete(self, client, flow_log_ids):
        for flow_log_id in flow_log_ids:
            self.flow_logs.pop(flow_log_id, None)
        return True

    def mutating_calls(self):
        return sum(
            getattr(self, name).call_count
            for name in ("create_flow_logs", "delete_flow_logs", "add_flow_log_tags", "remove_flow_log_tags")
        )


def install(monkeypatch, module, aws):
    for name in WRAPPERS:
        if hasattr(module, name):
            monkeypatch.setattr(module, name, getattr(aws, name))


def run(monkeypatch, aws, args, check_mode=False, diff=False, module=ec2_vpc_flow_log):
    install(monkeypatch, module, aws)
    monkeypatch.setattr(ec2_vpc_flow_log, "VERIFY_DELAY", 0)
    args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    return run_main(module, args)


# name, existing flow logs, module args, check mode, expected: changed, calls made (name -> count), msg part
CASES = [
    (
        "create",
        [],
        base_args(tags={"Name": "web"}),
        False,
        dict(changed=True, calls={"create_flow_logs": 1, "delete_flow_logs": 0}, msg=None),
    ),
    (
        "already present, no change",
        [flow_log(tags={"Name": "web"})],
        base_args(tags={"Name": "web"}),
        False,
        dict(changed=False, calls={"create_flow_logs": 0, "add_flow_log_tags": 0, "remove_flow_log_tags": 0}, msg=None),
    ),
    (
        "tags not given, tags left alone",
        [flow_log(tags={"Owner": "ops"})],
        base_args(),
        False,
        dict(changed=False, calls={"add_flow_log_tags": 0, "remove_flow_log_tags": 0}, msg=None),
    ),
    (
        "tags changed, tags updated only",
        [flow_log(tags={"Name": "web", "Old": "x"})],
        base_args(tags={"Name": "api"}),
        False,
        dict(
            changed=True,
            calls={"add_flow_log_tags": 1, "remove_flow_log_tags": 1, "create_flow_logs": 0, "delete_flow_logs": 0},
            msg=None,
        ),
    ),
    (
        "purge_tags false keeps other tags",
        [flow_log(tags={"Name": "web", "Old": "x"})],
        base_args(tags={"Name": "api"}, purge_tags=False),
        False,
        dict(changed=True, calls={"add_flow_log_tags": 1, "remove_flow_log_tags": 0}, msg=None),
    ),
    (
        "aggregation interval differs, replaced",
        [flow_log()],
        base_args(max_aggregation_interval=60),
        False,
        dict(
            changed=True,
            calls={"create_flow_logs": 1, "delete_flow_logs": 1},
            msg="Replaced flow log fl-0001 with fl-new1: AWS cannot modify max_aggregation_interval (600 -> 60).",
        ),
    ),
    (
        "log format differs, replaced",
        [flow_log()],
        base_args(log_format=FORMAT),
        False,
        dict(changed=True, calls={"create_flow_logs": 1, "delete_flow_logs": 1}, msg="AWS cannot modify log_format"),
    ),
    (
        "role differs, replaced",
        [flow_log()],
        base_args(deliver_logs_permission_arn=OTHER_ROLE),
        False,
        dict(
            changed=True,
            calls={"create_flow_logs": 1, "delete_flow_logs": 1},
            msg="AWS cannot modify deliver_logs_permission_arn",
        ),
    ),
    (
        "other traffic type is another flow log, created",
        [flow_log(traffic_type="REJECT")],
        base_args(traffic_type="ACCEPT"),
        False,
        dict(changed=True, calls={"create_flow_logs": 1, "delete_flow_logs": 0}, msg=None),
    ),
    (
        "check mode create",
        [],
        base_args(),
        True,
        dict(changed=True, calls={"create_flow_logs": 0}, msg="Would have created"),
    ),
    (
        "check mode tags",
        [flow_log(tags={"Name": "web"})],
        base_args(tags={"Name": "api"}),
        True,
        dict(changed=True, calls={"add_flow_log_tags": 0, "remove_flow_log_tags": 0}, msg="Would have updated"),
    ),
    (
        "check mode replace",
        [flow_log()],
        base_args(max_aggregation_interval=60),
        True,
        dict(
            changed=True,
            calls={"create_flow_logs": 0, "delete_flow_logs": 0},
            msg="Would have replaced flow log fl-0001",
        ),
    ),
    (
        "absent when present, deleted",
        [flow_log()],
        base_args(state="absent"),
        False,
        dict(changed=True, calls={"delete_flow_logs": 1}, msg="Deleted flow log fl-0001."),
    ),
    (
        "absent when present, check mode",
        [flow_log()],
        base_args(state="absent"),
        True,
        dict(changed=True, calls={"delete_flow_logs": 0}, msg="Would have deleted flow log fl-0001"),
    ),
    (
        "absent when absent, no change",
        [],
        base_args(state="absent"),
        False,
        dict(changed=False, calls={"delete_flow_logs": 0}, msg="No matching flow log"),
    ),
    (
        "absent leaves a flow log with another destination alone",
        [flow_log(LogGroupName="/other")],
        base_args(state="absent"),
        False,
        dict(changed=False, calls={"delete_flow_logs": 0}, msg="No matching flow log"),
    ),
]


@pytest.mark.parametrize("existing, args, check_mode, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_main(monkeypatch, existing, args, check_mode, expected):
    aws = FakeAWS(existing)

    result = run(monkeypatch, aws, args, check_mode=check_mode).result

    assert "failed" not in result, result
    assert result["changed"] is expected["changed"]
    for name, count in expected["calls"].items():
        assert getattr(aws, name).call_count == count, name
    if check_mode:
        assert aws.mutating_calls() == 0
    if expected["msg"]:
        assert expected["msg"] in result["msg"]
    if args.get("state", "present") == "present" and not (check_mode and not existing):
        assert result["flow_log"]["resource_id"] == VPC
        if args.get("tags") is not None and args.get("purge_tags", True):
            assert result["flow_log"]["tags"] == args["tags"]


def test_create_passes_parameters(monkeypatch):
    aws = FakeAWS([])
    args = base_args(traffic_type="REJECT", log_format=FORMAT, max_aggregation_interval=60, tags={"Name": "web"})

    result = run(monkeypatch, aws, args).result

    (_client,) = aws.create_flow_logs.call_args.args
    token = aws.create_flow_logs.call_args.kwargs["ClientToken"]
    assert token.startswith("atelier-flow-log-") and len(token) == len("atelier-flow-log-") + 32
    assert aws.create_flow_logs.call_args.kwargs == dict(
        tags={"Name": "web"},
        ClientToken=token,
        ResourceIds=[VPC],
        ResourceType="VPC",
        TrafficType="REJECT",
        LogDestinationType="cloud-watch-logs",
        LogGroupName=GROUP,
        DeliverLogsPermissionArn=ROLE,
        LogFormat=FORMAT,
        MaxAggregationInterval=60,
    )
    assert result["flow_log"]["flow_log_id"] == "fl-new1"
    assert result["flow_log"]["tags"] == {"Name": "web"}
    assert result["flow_log"]["max_aggregation_interval"] == 60


def test_create_s3_destination(monkeypatch):
    aws = FakeAWS([])
    args = base_args(log_destination_type="s3", log_destination="arn:aws:s3:::bucket/vpc/", log_group_name=None)
    del args["deliver_logs_permission_arn"]

    result = run(monkeypatch, aws, args).result
    assert "failed" not in result, result

    kwargs = aws.create_flow_logs.call_args.kwargs
    assert kwargs["LogDestination"] == "arn:aws:s3:::bucket/vpc/"
    assert "LogGroupName" not in kwargs and "DeliverLogsPermissionArn" not in kwargs


def test_tag_update_calls(monkeypatch):
    aws = FakeAWS([flow_log(tags={"Name": "web", "Old": "x", "aws:cloudformation:stack-name": "s"})])

    run(monkeypatch, aws, base_args(tags={"Name": "api", "New": 1}))

    _client, flow_log_id, removed = aws.remove_flow_log_tags.call_args.args
    assert (flow_log_id, removed) == ("fl-0001", ["Old"])  # aws: tags are never purged
    _client, flow_log_id, added = aws.add_flow_log_tags.call_args.args
    assert (flow_log_id, added) == ("fl-0001", {"Name": "api", "New": 1})


def test_replace_creates_before_deleting_and_keeps_tags(monkeypatch):
    aws = FakeAWS([flow_log(tags={"Owner": "ops"})])
    order = []
    aws.create_flow_logs.side_effect = lambda *a, **k: order.append("create") or aws._create(*a, **k)
    aws.delete_flow_logs.side_effect = lambda *a, **k: order.append("delete") or aws._delete(*a, **k)

    result = run(monkeypatch, aws, base_args(max_aggregation_interval=60)).result

    assert order == ["create", "delete"]
    assert aws.create_flow_logs.call_args.kwargs["tags"] == {"Owner": "ops"}
    assert aws.delete_flow_logs.call_args.args[1] == ["fl-0001"]
    assert result["flow_log"]["flow_log_id"] == "fl-new1"


def test_replace_falls_back_to_delete_first_when_aws_refuses_duplicate(monkeypatch):
    aws = FakeAWS([flow_log()])
    refused = ClientError({"Error": {"Code": "FlowLogAlreadyExists", "Message": "exists"}}, "CreateFlowLogs")
    order = []

    def create(*args, **kwargs):
        order.append("create")
        if len(order) == 1:
            raise AnsibleEC2Error(message="Failed to create flow log", exception=refused)
        return aws._create(*args, **kwargs)

    aws.create_flow_logs.side_effect = create
    aws.delete_flow_logs.side_effect = lambda *a, **k: order.append("delete") or aws._delete(*a, **k)

    result = run(monkeypatch, aws, base_args(log_format=FORMAT)).result

    assert order == ["create", "delete", "create"]
    assert result["changed"] is True
    assert result["msg"].startswith("Deleted flow log fl-0001, then created fl-new1")


def test_duplicates_with_same_identity_are_removed(monkeypatch):
    aws = FakeAWS([flow_log("fl-0001", MaxAggregationInterval=60), flow_log("fl-0002")])

    result = run(monkeypatch, aws, base_args()).result

    assert result["changed"] is True
    assert result["flow_log"]["flow_log_id"] == "fl-0002"  # the one that already matches is kept
    assert aws.create_flow_logs.call_count == 0
    assert aws.delete_flow_logs.call_args.args[1] == ["fl-0001"]
    assert "duplicate flow log fl-0001" in result["msg"]


def test_aws_error_is_reported(monkeypatch):
    aws = FakeAWS([])
    error = ClientError({"Error": {"Code": "InvalidParameter", "Message": "bad role"}}, "CreateFlowLogs")
    aws.create_flow_logs.side_effect = AnsibleEC2Error(message="Failed to create flow log", exception=error)

    result = run(monkeypatch, aws, base_args()).result

    assert result["failed"] is True
    assert "Failed to create flow log" in result["msg"]
    assert result["error"]["code"] == "InvalidParameter"


@pytest.mark.parametrize(
    "args, message",
    [
        (base_args(deliver_logs_permission_arn=None), "deliver_logs_permission_arn is required"),
        (base_args(log_group_name=None), "log_group_name"),
        (base_args(log_destination_type="s3", log_group_name=None), "log_destination"),
        (base_args(log_destination="arn:aws:s3:::bucket"), "mutually exclusive"),
        (base_args(max_aggregation_interval=300), "max_aggregation_interval"),
        (dict(base_args(), log_group_name=None), "log_group_name is required"),
        (base_args(state="absent", log_destination_type="s3", log_group_name=None), "log_destination"),
    ],
    ids=[
        "cwl without role",
        "cwl without group",
        "s3 without destination",
        "group and destination",
        "bad interval",
        "group set to null",
        "absent without destination",
    ],
)
def test_invalid_arguments(monkeypatch, args, message):
    aws = FakeAWS([])

    result = run(monkeypatch, aws, args).result

    assert result["failed"] is True
    assert message in result["msg"]
    assert aws.mutating_calls() == 0


DIFF_CASES = [
    (
        "create",
        [],
        base_args(tags={"Name": "web"}),
        False,
        {},
        dict(
            flow_log_id="fl-new1",
            resource_id=VPC,
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_group_name=GROUP,
            deliver_logs_permission_arn=ROLE,
            log_format="${version} ${account-id}",
            max_aggregation_interval=600,
            tags={"Name": "web"},
        ),
    ),
    (
        "check mode create",
        [],
        base_args(),
        True,
        {},
        dict(
            resource_id=VPC,
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_group_name=GROUP,
            deliver_logs_permission_arn=ROLE,
            max_aggregation_interval=600,
            tags={},
        ),
    ),
    (
        "check mode tags",
        [flow_log(tags={"Name": "web"})],
        base_args(tags={"Name": "api"}),
        True,
        {"tags": {"Name": "web"}},
        {"tags": {"Name": "api"}},
    ),
    (
        "check mode replace",
        [flow_log()],
        base_args(max_aggregation_interval=60),
        True,
        {"flow_log_id": "fl-0001", "max_aggregation_interval": 600},
        {"max_aggregation_interval": 60},
    ),
    (
        "delete",
        [flow_log()],
        base_args(state="absent"),
        False,
        {"flow_log_id": "fl-0001", "log_group_name": GROUP},
        {},
    ),
]


@pytest.mark.parametrize(
    "existing, args, check_mode, before, after", [c[1:] for c in DIFF_CASES], ids=[c[0] for c in DIFF_CASES]
)
def test_diff(monkeypatch, existing, args, check_mode, before, after):
    aws = FakeAWS(existing)

    result = run(monkeypatch, aws, args, check_mode=check_mode, diff=True).result

    diff = result["diff"]
    # Every expected key is in the diff with that value; an empty dict means 'no flow log'.
    assert {k: diff["before"].get(k) for k in before} == before
    assert {k: diff["after"].get(k) for k in after} == after
    if not before:
        assert diff["before"] == {}
    if not after:
        assert diff["after"] == {}
    if check_mode and existing and args.get("max_aggregation_interval"):
        assert "flow_log_id" not in diff["after"]  # a replacement gets a new ID
    assert "creation_time" not in diff["after"] and "deliver_logs_status" not in diff["after"]


def test_check_mode_replace_returns_the_new_configuration(monkeypatch):
    aws = FakeAWS([flow_log(tags={"Owner": "ops"}, CreationTime="2025-01-31T12:00:00+00:00")])

    result = run(monkeypatch, aws, base_args(log_format=FORMAT), check_mode=True).result

    assert result["flow_log"]["log_format"] == FORMAT
    assert result["flow_log"]["tags"] == {"Owner": "ops"}
    assert not {"flow_log_id", "creation_time", "deliver_logs_status"} & set(result["flow_log"])


def test_no_diff_without_diff_mode(monkeypatch):
    result = run(monkeypatch, FakeAWS([]), base_args()).result
    assert "diff" not in result


def test_flow_log_is_snake_case_with_tag_dict(monkeypatch):
    aws = FakeAWS([flow_log(tags={"Name": "web", "CamelCase": "Value"})])

    result = run(monkeypatch, aws, base_args()).result

    returned = result["flow_log"]
    assert returned["tags"] == {"Name": "web", "CamelCase": "Value"}
    assert returned["deliver_logs_permission_arn"] == ROLE
    assert "FlowLogId" not in returned and returned["flow_log_id"] == "fl-0001"


INFO_CASES = [
    ("everything", {}, {}),
    ("by id", {"flow_log_ids": ["fl-0002"]}, {"FlowLogIds": ["fl-0002"]}),
    (
        "by filter",
        {"filters": {"resource-id": VPC}},
        {"Filter": [{"Name": "resource-id", "Values": [VPC]}]},
    ),
]


@pytest.mark.parametrize("args, call_kwargs", [c[1:] for c in INFO_CASES], ids=[c[0] for c in INFO_CASES])
def test_info(monkeypatch, args, call_kwargs):
    aws = FakeAWS([flow_log("fl-0001"), flow_log("fl-0002", traffic_type="REJECT", tags={"Name": "x"})])

    result = run(monkeypatch, aws, dict(args, region="us-east-1"), module=ec2_vpc_flow_log_info).result

    assert result["changed"] is False
    assert aws.describe_flow_logs.call_args.kwargs == call_kwargs
    ids = [fl["flow_log_id"] for fl in result["flow_logs"]]
    assert ids == (["fl-0002"] if "flow_log_ids" in args else ["fl-0001", "fl-0002"])
    assert all(isinstance(fl["tags"], dict) for fl in result["flow_logs"])


# ---- lost responses -----------------------------------------------------------------------------------------------


def test_the_token_is_the_same_for_the_same_flow_log_in_every_run(monkeypatch):
    """A create retried after a lost answer (here: the run made again) sends the same token, so AWS answers with the
    flow log the first request made instead of refusing a second one."""
    first, second = FakeAWS([]), FakeAWS([])
    run(monkeypatch, first, base_args(tags={"Name": "web"}))
    run(monkeypatch, second, base_args(tags={"Name": "other tags do not change it"}))
    assert first.create_flow_logs.call_args.kwargs["ClientToken"] == second.create_flow_logs.call_args.kwargs["ClientToken"]
    third = FakeAWS([])
    run(monkeypatch, third, base_args(traffic_type="REJECT"))
    assert third.create_flow_logs.call_args.kwargs["ClientToken"] != first.create_flow_logs.call_args.kwargs["ClientToken"]


def test_a_token_answered_with_a_deleted_flow_log_moves_to_the_next_generation(monkeypatch):
    aws = FakeAWS([])
    made = run(monkeypatch, aws, base_args()).result["flow_log"]["flow_log_id"]
    aws.flow_logs.clear()  # deleted (a teardown that kept the VPC), within AWS's token window

    again = run(monkeypatch, aws, base_args()).result

    assert again["changed"] is True and again["flow_log"]["flow_log_id"] != made
    tokens = [c.kwargs["ClientToken"] for c in aws.create_flow_logs.call_args_list]
    assert tokens[0] == tokens[1] and tokens[2] != tokens[0] and len(tokens) == 3


def test_flow_log_already_exists_on_create_adopts_the_flow_log_that_appeared(monkeypatch):
    aws = FakeAWS([])
    appeared = flow_log("fl-lost", tags={"Name": "web"})

    def refused(client, tags=None, **params):
        aws.flow_logs["fl-lost"] = copy.deepcopy(appeared)
        error = ClientError({"Error": {"Code": "FlowLogAlreadyExists", "Message": "exists"}}, "CreateFlowLogs")
        raise AnsibleEC2Error(message="Failed to create flow log", exception=error)

    aws.create_flow_logs.side_effect = refused
    result = run(monkeypatch, aws, base_args(tags={"Name": "web"})).result

    assert result["flow_log"]["flow_log_id"] == "fl-lost" and list(aws.flow_logs) == ["fl-lost"]


@pytest.mark.parametrize(
    "existing, args, actions",
    [
        ([], base_args(tags={"Name": "web-flow"}), ["create flow log web-flow"]),
        ([], base_args(), [f"create flow log {VPC}"]),
        ([flow_log(tags={"Name": "web-flow"})], base_args(tags={"Name": "web-flow"}), []),
        ([flow_log(tags={"Name": "old"})], base_args(tags={"Name": "web-flow"}), ["update flow log web-flow: tags"]),
        ([flow_log()], base_args(max_aggregation_interval=60), [f"replace flow log {VPC}: max_aggregation_interval"]),
        ([flow_log("fl-0001", MaxAggregationInterval=60), flow_log("fl-0002")], base_args(), ["delete flow log fl-0001"]),
        ([flow_log()], base_args(state="absent"), [f"delete flow log {VPC}"]),
        ([], base_args(state="absent"), []),
    ],
    ids=["create named", "create unnamed", "no change", "tags", "replace", "duplicate", "delete", "absent missing"],
)
@pytest.mark.parametrize("check_mode", [True, False])
def test_actions_one_line_per_change(monkeypatch, existing, args, actions, check_mode):
    result = run(monkeypatch, FakeAWS(existing), args, check_mode=check_mode).result
    assert "failed" not in result, result
    assert result["actions"] == actions
