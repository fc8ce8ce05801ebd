# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the pure part of atelier.infra.cloudwatch_alarm_set: validation, PutMetricAlarm
parameters, the normalised view (described alarm vs desired parameters) and the plan."""

import copy

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import cloudwatch_alarms as cw


def simple(name="p-cpu", **overrides):
    alarm = {
        "name": name,
        "namespace": "AWS/EC2",
        "metric_name": "CPUUtilization",
        "statistic": "Average",
        "dimensions": {"AutoScalingGroupName": "web", "B": "b"},
        "period": 300,
        "evaluation_periods": 2,
        "threshold": 80,
        "comparison_operator": "GreaterThanThreshold",
        "alarm_actions": ["arn:aws:sns:us-east-1:123456789012:b", "arn:aws:sns:us-east-1:123456789012:a"],
    }
    alarm.update(overrides)
    return alarm


def math(name="p-rate", **overrides):
    alarm = {
        "name": name,
        "evaluation_periods": 3,
        "threshold": 5,
        "comparison_operator": "GreaterThanThreshold",
        "metrics": [
            {"id": "e1", "expression": "100 * m1 / m2", "label": "rate", "return_data": True},
            {
                "id": "m1",
                "return_data": False,
                "metric_stat": {
                    "metric": {"namespace": "AWS/ApplicationELB", "metric_name": "HTTPCode_Target_5XX_Count",
                               "dimensions": {"LoadBalancer": "app/x/1"}},
                    "period": 60,
                    "stat": "Sum",
                },
            },
            {
                "id": "m2",
                "return_data": False,
                "metric_stat": {
                    "metric": {"namespace": "AWS/ApplicationELB", "metric_name": "RequestCount",
                               "dimensions": {"LoadBalancer": "app/x/1"}},
                    "period": 60,
                    "stat": "Sum",
                },
            },
        ],
    }
    alarm.update(overrides)
    return alarm


def params(*alarms, prefix="p-", state="present"):
    return {"name_prefix": prefix, "alarms": list(alarms), "state": state}


def described(alarm_params):
    """An alarm as DescribeAlarms returns it for the given PutMetricAlarm parameters (AWS-side shape)."""
    result = copy.deepcopy(alarm_params)
    result.update(
        AlarmArn=f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{alarm_params['AlarmName']}",
        StateValue="INSUFFICIENT_DATA",
        AlarmConfigurationUpdatedTimestamp="2026-01-01T00:00:00Z",
    )
    # AWS answers dimensions in its own order, actions likewise, and leaves out what was not set.
    result["Dimensions"] = list(reversed(result.get("Dimensions", [])))
    result["AlarmActions"] = list(reversed(result["AlarmActions"]))
    result["Metrics"] = list(reversed(result.get("Metrics", [])))
    return result


# ---------------------------------------------------------------- validation


def test_valid_set_has_no_errors():
    assert cw.validation_errors(params(simple(), math())) == []


@pytest.mark.parametrize(
    "alarms, fragment",
    [
        ([simple(), simple()], "Duplicate alarm names: p-cpu"),
        ([simple(name="other-cpu")], "does not start with name_prefix"),
        ([simple(statistic=None)], "exactly one of statistic and extended_statistic"),
        ([simple(extended_statistic="p99")], "exactly one of statistic and extended_statistic"),
        ([simple(namespace=None)], "set namespace and metric_name, or metrics"),
        ([simple(period=None)], "period is required without metrics"),
        ([simple(period=90)], "period 90 is invalid"),
        ([simple(period=0)], "period 0 is invalid"),
        ([simple(period=60, evaluation_periods=1441)], "must not exceed 86400"),
        ([simple(evaluation_periods=0)], "evaluation_periods must be at least 1"),
        ([simple(datapoints_to_alarm=3)], "datapoints_to_alarm must be between 1 and evaluation_periods"),
        ([simple(comparison_operator="GreaterThan")], "comparison_operator must be one of"),
        ([simple(treat_missing_data="zero")], "treat_missing_data must be one of"),
        ([simple(threshold=None)], "threshold is required"),
        ([math(namespace="AWS/EC2")], "namespace cannot be set with metrics"),
        ([math(dimensions={"a": "b"})], "dimensions cannot be set with metrics"),
    ],
)
def test_invalid_alarms(alarms, fragment):
    errors = cw.validation_errors(params(*alarms))
    assert any(fragment in error for error in errors), errors


def _math_with(change):
    alarm = math()
    change(alarm["metrics"])
    return alarm


@pytest.mark.parametrize(
    "change, fragment",
    [
        (lambda m: m[1].update(return_data=True), "exactly one metrics query must have return_data true (found 2)"),
        (lambda m: m[0].update(return_data=False), "(found 0)"),
        (lambda m: m[2].update(id="m1"), "duplicate metrics ids m1"),
        (lambda m: m[0].update(id="E1"), "id must start with a lower-case letter"),
        (lambda m: m[1].update(expression="m2"), "exactly one of expression and metric_stat"),
        (lambda m: m[1]["metric_stat"].update(period=45), "period 45 is invalid"),
        (lambda m: m[1]["metric_stat"].update(stat=None), "metric_stat needs stat"),
        (lambda m: m[1]["metric_stat"]["metric"].update(metric_name=None), "needs namespace and metric_name"),
    ],
)
def test_invalid_metric_math(change, fragment):
    errors = cw.validation_errors(params(_math_with(change)))
    assert any(fragment in error for error in errors), errors


@pytest.mark.parametrize("period", [10, 20, 30, 60, 120, 3600])
def test_valid_periods(period):
    assert cw.validation_errors(params(simple(period=period, evaluation_periods=1))) == []


def test_empty_prefix_is_refused_even_for_absent():
    assert "name_prefix must not be empty" in cw.validation_errors(params(prefix="", state="absent"))[0]


def test_absent_ignores_the_alarms():
    assert cw.validation_errors(params(simple(name="x"), prefix="p-", state="absent")) == []


# ---------------------------------------------------------------- parameters and normalisation


def test_put_params_simple():
    result = cw.put_params(simple(unit="Percent", treat_missing_data="notBreaching", description="d"))
    assert result["Dimensions"] == [{"Name": "AutoScalingGroupName", "Value": "web"}, {"Name": "B", "Value": "b"}]
    assert result["Threshold"] == 80.0
    assert result["Statistic"] == "Average" and "ExtendedStatistic" not in result
    assert result["Unit"] == "Percent" and result["TreatMissingData"] == "notBreaching"
    assert "Metrics" not in result and "DatapointsToAlarm" not in result


def test_put_params_metric_math_has_no_simple_metric_fields():
    result = cw.put_params(math())
    assert not {"Namespace", "MetricName", "Period", "Statistic", "Dimensions"} & set(result)
    assert [query["ReturnData"] for query in result["Metrics"]] == [True, False, False]
    assert result["Metrics"][1]["MetricStat"]["Metric"]["Dimensions"] == [{"Name": "LoadBalancer", "Value": "app/x/1"}]


@pytest.mark.parametrize("alarm", [simple(), math(), simple(extended_statistic="p99", statistic=None)])
def test_described_alarm_equals_desired(alarm):
    desired = cw.put_params(alarm)
    assert cw.normalise_alarm(described(desired)) == cw.normalise_alarm(desired)


def test_aws_defaults_are_filled_in():
    desired = cw.normalise_alarm(cw.put_params(math()))
    aws = described(cw.put_params(math()))
    # What AWS leaves out when not set: ReturnData (true), Dimensions, DatapointsToAlarm, TreatMissingData.
    returned = next(query for query in aws["Metrics"] if query["Id"] == "e1")
    returned.pop("ReturnData")  # the returned query, now implicitly
    aws["DatapointsToAlarm"] = 3
    aws["TreatMissingData"] = "missing"
    aws["Dimensions"] = []
    aws["AlarmDescription"] = ""
    aws["OKActions"] = []
    assert cw.normalise_alarm(aws) == desired


@pytest.mark.parametrize(
    "change, key",
    [
        (lambda a: a["Metrics"][0].update(Expression="m1"), "metrics"),
        (lambda a: a["Metrics"][1]["MetricStat"].update(Period=300), "metrics"),
        (lambda a: a["Metrics"][1]["MetricStat"]["Metric"]["Dimensions"].append({"Name": "x", "Value": "y"}), "metrics"),
        (lambda a: a.update(Threshold=6.0), "threshold"),
        (lambda a: a.update(AlarmActions=[]), "alarm_actions"),
        (lambda a: a.update(TreatMissingData="breaching"), "treat_missing_data"),
        (lambda a: a.update(ActionsEnabled=False), "actions_enabled"),
    ],
)
def test_differences_are_found(change, key):
    desired = cw.put_params(math(alarm_actions=["arn:a"]))
    current = described(desired)
    change(current)
    assert cw.differences(cw.normalise_alarm(current), cw.normalise_alarm(desired)) == [key]


# ---------------------------------------------------------------- plan


def _views(*alarms):
    return {alarm["name"]: cw.normalise_alarm(cw.put_params(alarm)) for alarm in alarms}


def test_plan_creates_updates_and_purges():
    desired = _views(simple(), math(), simple(name="p-new"))
    current = _views(simple(threshold=90), math(), simple(name="p-old"))
    to_create, to_update, to_delete = cw.plan(desired, current, purge=True)
    assert to_create == ["p-new"]
    assert to_update == {"p-cpu": ["threshold"]}
    assert to_delete == ["p-old"]


def test_plan_without_purge_keeps_unlisted_alarms():
    assert cw.plan(_views(simple()), _views(simple(), simple(name="p-old")), purge=False) == ([], {}, [])
