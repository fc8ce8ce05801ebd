# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.cloudwatch_alarm_set: main() is driven with module args, and our
own module_utils wrappers are replaced by a fake CloudWatch (no boto3 call, no network)."""

import copy
from unittest.mock import MagicMock

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import cloudwatch_alarms
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch import AnsibleCloudWatchError
from ansible_collections.atelier.infra.plugins.modules import cloudwatch_alarm_set

from tests.unit.plugins.modules.utils import AnsibleExitJson
from tests.unit.plugins.modules.utils import AnsibleFailJson
from tests.unit.plugins.modules.utils import run_main

# Our wrapper -> the fake's method standing in for it.
WRAPPERS = {
    "describe_metric_alarms": "_describe",
    "put_metric_alarm": "_put",
    "delete_alarms_in_batches": "_delete",
    "list_tags": "_list_tags",
    "tag_resource": "_tag_resource",
    "untag_resource": "_untag_resource",
}
ARN = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:{}"


def cpu(name="dev-cpu", **overrides):
    alarm = dict(name=name, namespace="AWS/EC2", metric_name="CPUUtilization", statistic="Average",
                 dimensions={"AutoScalingGroupName": "dev-web"}, period=300, evaluation_periods=2, threshold=80,
                 comparison_operator="GreaterThanThreshold")
    alarm.update(overrides)
    return alarm


def rate(name="dev-rate", **overrides):
    def stat(metric_name):
        return {"metric": {"namespace": "AWS/ApplicationELB", "metric_name": metric_name,
                           "dimensions": {"LoadBalancer": "app/x/1"}}, "period": 60, "stat": "Sum"}

    alarm = dict(name=name, evaluation_periods=3, threshold=5, comparison_operator="GreaterThanThreshold",
                 metrics=[{"id": "e1", "expression": "100 * m1 / m2", "return_data": True},
                          {"id": "m1", "metric_stat": stat("HTTPCode_Target_5XX_Count")},
                          {"id": "m2", "metric_stat": stat("RequestCount")}])
    alarm.update(overrides)
    return alarm


def args(*alarms, **overrides):
    result = {"name_prefix": "dev-", "alarms": list(alarms), "region": "us-east-1"}
    result.update(overrides)
    return result


class FakeCloudWatch:
    """Metric alarms and their tags, behind mocks of our module_utils wrappers."""

    def __init__(self, monkeypatch, alarms=(), tags=None):
        self.alarms = {}
        self.tags = {}
        for alarm in alarms:
            self._put(None, cloudwatch_alarms.put_params(_filled(alarm)), tags=tags)
        for name, method in WRAPPERS.items():
            mock = MagicMock(side_effect=getattr(self, method))
            setattr(self, name, mock)
            monkeypatch.setattr(cloudwatch_alarm_set, name, mock)

    def _describe(self, client, prefix):
        # Like AWS: shuffled dimensions, ReturnData left out on the returned query.
        result = []
        for name in sorted(self.alarms):
            alarm = copy.deepcopy(self.alarms[name])
            alarm["Dimensions"] = list(reversed(alarm.get("Dimensions", [])))
            for query in alarm.get("Metrics", []):
                if query["ReturnData"]:
                    del query["ReturnData"]
            if name.startswith(prefix):
                result.append(dict(alarm, AlarmArn=ARN.format(name), StateValue="OK"))
        return result

    def _put(self, client, params, tags=None):
        if params["AlarmName"] not in self.alarms:
            self.tags[ARN.format(params["AlarmName"])] = dict(tags or {})
        self.alarms[params["AlarmName"]] = copy.deepcopy(params)

    def _delete(self, client, names):
        for name in names:
            self.alarms.pop(name)

    def _list_tags(self, client, arn):
        return dict(self.tags[arn])

    def _tag_resource(self, client, arn, tags):
        self.tags[arn].update(tags)

    def _untag_resource(self, client, arn, keys):
        for key in keys:
            self.tags[arn].pop(key)

    def writes(self):
        return sum(getattr(self, name).call_count for name in WRAPPERS if name not in ("describe_metric_alarms", "list_tags"))


def _filled(alarm):
    """The alarm with the argument spec's defaults, as main() sees it."""
    result = dict(alarm_actions=[], ok_actions=[], insufficient_data_actions=[], actions_enabled=True)
    result.update(alarm)
    for query in result.get("metrics") or []:
        query.setdefault("return_data", False)
    return result


def test_creates_the_set_with_tags(monkeypatch):
    aws = FakeCloudWatch(monkeypatch)
    result = run_main(cloudwatch_alarm_set, args(cpu(), rate(), tags={"env": "dev"}))
    assert isinstance(result, AnsibleExitJson)
    assert result.result["changed"] is True
    assert result.result["created"] == ["dev-cpu", "dev-rate"]
    assert result.result["alarms"] == [{"name": "dev-cpu", "arn": ARN.format("dev-cpu")},
                                       {"name": "dev-rate", "arn": ARN.format("dev-rate")}]
    assert aws.tags[ARN.format("dev-rate")] == {"env": "dev"}
    assert aws.alarms["dev-rate"]["Metrics"][0] == {"Id": "e1", "Expression": "100 * m1 / m2", "ReturnData": True}


def test_second_run_changes_nothing_with_metric_math(monkeypatch):
    aws = FakeCloudWatch(monkeypatch, [cpu(), rate()], tags={"env": "dev"})
    # Dimensions in another order than the described ones; the returned query has no ReturnData there.
    reordered = cpu(dimensions={"AutoScalingGroupName": "dev-web"})
    result = run_main(cloudwatch_alarm_set, args(rate(), reordered, tags={"env": "dev"}))
    assert result.result["changed"] is False, result.result
    assert (result.result["created"], result.result["updated"], result.result["deleted"]) == ([], [], [])
    assert aws.writes() == 0


def test_changed_alarm_is_put_again(monkeypatch):
    aws = FakeCloudWatch(monkeypatch, [cpu(), rate()])
    result = run_main(cloudwatch_alarm_set, args(cpu(threshold=90), rate()))
    assert result.result["updated"] == ["dev-cpu"]
    assert aws.put_metric_alarm.call_count == 1
    assert aws.alarms["dev-cpu"]["Threshold"] == 90.0


def test_changed_tags_only_use_tag_calls(monkeypatch):
    aws = FakeCloudWatch(monkeypatch, [cpu()], tags={"env": "dev", "old": "x"})
    result = run_main(cloudwatch_alarm_set, args(cpu(), tags={"env": "prod"}))
    assert result.result["updated"] == ["dev-cpu"]
    assert aws.put_metric_alarm.call_count == 0
    assert aws.tags[ARN.format("dev-cpu")] == {"env": "prod"}


def test_tags_not_set_are_left_alone(monkeypatch):
    aws = FakeCloudWatch(monkeypatch, [cpu()], tags={"env": "dev"})
    result = run_main(cloudwatch_alarm_set, args(cpu()))
    assert result.result["changed"] is False
    assert aws.list_tags.call_count == 0


@pytest.mark.parametrize("purge, deleted", [(True, ["dev-rate"]), (False, [])])
def test_purge_deletes_only_unlisted_alarms_with_the_prefix(monkeypatch, purge, deleted):
    aws = FakeCloudWatch(monkeypatch, [cpu(), rate(), cpu(name="prod-cpu")])
    result = run_main(cloudwatch_alarm_set, args(cpu(), purge=purge))
    assert result.result["deleted"] == deleted
    assert result.result["changed"] is bool(deleted)
    assert "prod-cpu" in aws.alarms and "dev-cpu" in aws.alarms


def test_absent_deletes_every_alarm_with_the_prefix(monkeypatch):
    aws = FakeCloudWatch(monkeypatch, [cpu(), rate(), cpu(name="prod-cpu")])
    result = run_main(cloudwatch_alarm_set, args(state="absent", purge=False))
    assert result.result["deleted"] == ["dev-cpu", "dev-rate"]
    assert list(aws.alarms) == ["prod-cpu"]
    assert run_main(cloudwatch_alarm_set, args(state="absent")).result["changed"] is False


def test_check_mode_reports_and_writes_nothing(monkeypatch):
    aws = FakeCloudWatch(monkeypatch, [cpu(), cpu(name="dev-old")], tags={"env": "dev"})
    result = run_main(cloudwatch_alarm_set, args(cpu(threshold=95), rate(), tags={"env": "dev"},
                                                 _ansible_check_mode=True, _ansible_diff=True))
    assert result.result["changed"] is True
    assert (result.result["created"], result.result["updated"], result.result["deleted"]) == (
        ["dev-rate"], ["dev-cpu"], ["dev-old"])
    assert result.result["msg"].startswith("Would have created 1, updated 1 and deleted 1")
    assert result.result["alarms"] == [{"name": "dev-cpu", "arn": ARN.format("dev-cpu")}, {"name": "dev-rate"}]
    diff = result.result["diff"]
    assert diff["before"]["dev-cpu"]["threshold"] == 80.0 and diff["after"]["dev-cpu"]["threshold"] == 95.0
    assert "dev-old" in diff["before"] and "dev-old" not in diff["after"]
    assert diff["after"]["dev-rate"]["tags"] == {"env": "dev"}
    assert aws.writes() == 0


@pytest.mark.parametrize(
    "module_args, fragment",
    [
        (args(cpu(name="prod-cpu")), "does not start with name_prefix"),
        (args(cpu(), cpu()), "Duplicate alarm names: dev-cpu"),
        (args(cpu(period=45)), "period 45 is invalid"),
        (args(rate(metrics=[{"id": "e1", "expression": "1", "return_data": False}])), "(found 0)"),
        (args(name_prefix=""), "name_prefix must not be empty"),
    ],
)
def test_bad_input_fails_before_any_call(monkeypatch, module_args, fragment):
    aws = FakeCloudWatch(monkeypatch)
    result = run_main(cloudwatch_alarm_set, module_args)
    assert isinstance(result, AnsibleFailJson)
    assert fragment in result.result["msg"]
    assert aws.describe_metric_alarms.call_count == 0


def test_aws_error_fails_the_module(monkeypatch):
    aws = FakeCloudWatch(monkeypatch)
    aws.put_metric_alarm.side_effect = AnsibleCloudWatchError(message="Failed to put metric alarm")
    result = run_main(cloudwatch_alarm_set, args(cpu()))
    assert isinstance(result, AnsibleFailJson)
    assert "Failed to put metric alarm" in result.result["msg"]


@pytest.mark.parametrize("check_mode", [True, False])
def test_actions_one_line_per_alarm_with_the_settings_that_differ(monkeypatch, check_mode):
    FakeCloudWatch(monkeypatch, [cpu(), cpu(name="dev-old")], tags={"env": "dev"})
    result = run_main(cloudwatch_alarm_set, args(cpu(threshold=95), rate(), tags={"env": "prod"}, _ansible_check_mode=check_mode))
    assert result.result["actions"] == [
        "create cloudwatch alarm dev-rate",
        "update cloudwatch alarm dev-cpu: tags, threshold",
        "delete cloudwatch alarm dev-old",
    ]


def test_actions_empty_without_change(monkeypatch):
    FakeCloudWatch(monkeypatch, [cpu()])
    assert run_main(cloudwatch_alarm_set, args(cpu())).result["actions"] == []


def _tagging_api(monkeypatch, listed):
    """The Resource Groups Tagging API answering with listed ({arn: tags}), whatever the filters; returns its mock."""
    mock = MagicMock(return_value=[{"ResourceARN": arn, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}
                                   for arn, tags in listed.items()])
    monkeypatch.setattr(cloudwatch_alarm_set, "get_resources", mock)
    return mock


def test_tagging_api_lookup_reads_every_alarm_s_tags_in_one_call(monkeypatch):
    aws = FakeCloudWatch(monkeypatch, [cpu(), rate()], tags={"env": "dev"})
    tagging = _tagging_api(monkeypatch, {ARN.format(n): {"env": "dev"} for n in ("dev-cpu", "dev-rate")})
    result = run_main(cloudwatch_alarm_set, args(cpu(), rate(), tags={"env": "dev"}, tags_lookup="tagging_api"))
    assert result.result["changed"] is False
    assert tagging.call_count == 1 and tagging.call_args.args[1:] == ([{"Key": "env", "Values": ["dev"]}], ["cloudwatch:alarm"])
    assert aws.list_tags.call_count == 0 and aws.writes() == 0


def test_tagging_api_lookup_confirms_a_difference_before_changing(monkeypatch):
    """Not listed (new to the API, or a tag taken away), or listed with other tags (its answer may lag): the alarm's
    own tags decide. A stale answer saying they differ changes nothing; a real difference is corrected."""
    aws = FakeCloudWatch(monkeypatch, [cpu(), rate()], tags={"env": "dev"})
    aws.tags[ARN.format("dev-rate")] = {"env": "dev", "by": "hand"}
    _tagging_api(monkeypatch, {ARN.format("dev-cpu"): {"env": "dev", "stale": "x"}})
    result = run_main(cloudwatch_alarm_set, args(cpu(), rate(), tags={"env": "dev"}, tags_lookup="tagging_api"))
    assert sorted(c.args[1] for c in aws.list_tags.call_args_list) == [ARN.format("dev-cpu"), ARN.format("dev-rate")]
    assert result.result["updated"] == ["dev-rate"]
    assert aws.untag_resource.call_count == 1 and aws.tags[ARN.format("dev-rate")] == {"env": "dev"}
    assert aws.tags[ARN.format("dev-cpu")] == {"env": "dev"}


def test_tagging_api_lookup_is_not_used_without_tags(monkeypatch):
    aws = FakeCloudWatch(monkeypatch, [cpu()], tags={"env": "dev"})
    tagging = _tagging_api(monkeypatch, {})
    result = run_main(cloudwatch_alarm_set, args(cpu(), tags={}, tags_lookup="tagging_api"))
    assert tagging.call_count == 0 and aws.list_tags.call_count == 1
    assert result.result["updated"] == ["dev-cpu"]
