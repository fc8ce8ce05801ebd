# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The pure part of atelier.infra.cloudwatch_alarm_set: validation of the module's options, the
PutMetricAlarm parameters built from one alarm of the set, the normalised view of an alarm that the
module compares, returns and diffs, and the plan (which alarms to create, update, delete).

Both sides of a comparison go through the same normalise_alarm(): the parameters the module would
send and the alarm DescribeAlarms answers. The view fills in what AWS assumes for a field left out
(no description is '', actions enabled, TreatMissingData 'missing', DatapointsToAlarm equal to
EvaluationPeriods, ReturnData true, no dimensions), makes dimensions a dict (order does not
matter), sorts the action lists and the metric-math queries by Id, and makes the threshold a float.
"""

import re
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

COMPARISON_OPERATORS = (
    "GreaterThanOrEqualToThreshold",
    "GreaterThanThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
)
STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")
TREAT_MISSING_DATA = ("breaching", "notBreaching", "ignore", "missing")
HIGH_RESOLUTION_PERIODS = (10, 20, 30)
# Period x EvaluationPeriods: at most one day for periods under an hour, seven days otherwise.
MAX_RANGE_SHORT_PERIOD = 86400
MAX_RANGE = 604800
NAME_MAX_LENGTH = 255
QUERY_ID_PATTERN = re.compile(r"^[a-z][a-zA-Z0-9_]*$")
SIMPLE_METRIC_OPTIONS = ("namespace", "metric_name", "statistic", "extended_statistic", "period", "unit")


# ---------------------------------------------------------------- validation


def _period_errors(label: str, period: Any) -> List[str]:
    if period is None:
        return []
    if period in HIGH_RESOLUTION_PERIODS or (isinstance(period, int) and period >= 60 and period % 60 == 0):
        return []
    return [f"{label}: period {period} is invalid (10, 20, 30 or a multiple of 60 seconds)."]


def _query_errors(label: str, query: Dict[str, Any]) -> List[str]:
    errors = []
    query_id = query.get("id")
    where = f"{label}: metrics query {query_id!r}"
    if not query_id or not QUERY_ID_PATTERN.match(query_id):
        errors.append(f"{where}: id must start with a lower-case letter and hold only letters, digits and _.")
    stat = query.get("metric_stat")
    if bool(query.get("expression")) == bool(stat):
        errors.append(f"{where}: set exactly one of expression and metric_stat.")
    if stat:
        metric = stat.get("metric") or {}
        if not metric.get("namespace") or not metric.get("metric_name"):
            errors.append(f"{where}: metric_stat.metric needs namespace and metric_name.")
        if not stat.get("stat"):
            errors.append(f"{where}: metric_stat needs stat.")
        if stat.get("period") is None:
            errors.append(f"{where}: metric_stat needs period.")
        errors.extend(_period_errors(where, stat.get("period")))
    errors.extend(_period_errors(where, query.get("period")))
    return errors


def _alarm_errors(name_prefix: str, alarm: Dict[str, Any]) -> List[str]:
    name = alarm.get("name") or ""
    label = f"alarm {name!r}"
    errors = []
    if not name.startswith(name_prefix):
        errors.append(f"{label}: the name does not start with name_prefix {name_prefix!r}.")
    if len(name) > NAME_MAX_LENGTH:
        errors.append(f"{label}: the name is longer than {NAME_MAX_LENGTH} characters.")

    metrics = alarm.get("metrics")
    if metrics:
        simple = [option for option in SIMPLE_METRIC_OPTIONS if alarm.get(option) is not None]
        if alarm.get("dimensions"):
            simple.append("dimensions")
        if simple:
            errors.append(f"{label}: {', '.join(simple)} cannot be set with metrics (metric math).")
        ids = [query.get("id") for query in metrics]
        duplicates = sorted({str(query_id) for query_id in ids if ids.count(query_id) > 1})
        if duplicates:
            errors.append(f"{label}: duplicate metrics ids {', '.join(duplicates)}.")
        returned = [query.get("id") for query in metrics if query.get("return_data")]
        if len(returned) != 1:
            errors.append(f"{label}: exactly one metrics query must have return_data true (found {len(returned)}).")
        for query in metrics:
            errors.extend(_query_errors(label, query))
    else:
        if not alarm.get("namespace") or not alarm.get("metric_name"):
            errors.append(f"{label}: set namespace and metric_name, or metrics (metric math).")
        if bool(alarm.get("statistic")) == bool(alarm.get("extended_statistic")):
            errors.append(f"{label}: set exactly one of statistic and extended_statistic.")
        if alarm.get("statistic") and alarm["statistic"] not in STATISTICS:
            errors.append(f"{label}: statistic must be one of {', '.join(STATISTICS)}.")
        if alarm.get("period") is None:
            errors.append(f"{label}: period is required without metrics.")
        errors.extend(_period_errors(label, alarm.get("period")))

    evaluation_periods = alarm.get("evaluation_periods")
    if evaluation_periods is None or evaluation_periods < 1:
        errors.append(f"{label}: evaluation_periods must be at least 1.")
    datapoints = alarm.get("datapoints_to_alarm")
    if datapoints is not None and (datapoints < 1 or (evaluation_periods and datapoints > evaluation_periods)):
        errors.append(f"{label}: datapoints_to_alarm must be between 1 and evaluation_periods.")
    period = alarm.get("period")
    if not metrics and isinstance(period, int) and evaluation_periods and evaluation_periods >= 1:
        limit = MAX_RANGE_SHORT_PERIOD if period < 3600 else MAX_RANGE
        if period * evaluation_periods > limit:
            errors.append(f"{label}: period x evaluation_periods must not exceed {limit} seconds.")
    if alarm.get("threshold") is None:
        errors.append(f"{label}: threshold is required.")
    if alarm.get("comparison_operator") not in COMPARISON_OPERATORS:
        errors.append(f"{label}: comparison_operator must be one of {', '.join(COMPARISON_OPERATORS)}.")
    if alarm.get("treat_missing_data") is not None and alarm["treat_missing_data"] not in TREAT_MISSING_DATA:
        errors.append(f"{label}: treat_missing_data must be one of {', '.join(TREAT_MISSING_DATA)}.")
    return errors


def validation_errors(params: Dict[str, Any]) -> List[str]:
    """Every error in the module's options (an empty list when they are valid)."""
    name_prefix = params.get("name_prefix") or ""
    if not name_prefix:
        return ["name_prefix must not be empty (purge and state=absent act on every alarm with the prefix)."]
    if params.get("state") == "absent":
        return []
    alarms = params.get("alarms") or []
    errors = []
    names = [alarm.get("name") for alarm in alarms]
    duplicates = sorted({str(name) for name in names if names.count(name) > 1})
    if duplicates:
        errors.append(f"Duplicate alarm names: {', '.join(duplicates)}.")
    for alarm in alarms:
        errors.extend(_alarm_errors(name_prefix, alarm))
    return errors


# ---------------------------------------------------------------- PutMetricAlarm parameters


def _dimension_list(dimensions: Optional[Dict[str, Any]]) -> List[Dict[str, str]]:
    return [{"Name": str(key), "Value": str(value)} for key, value in sorted((dimensions or {}).items())]


def _query_params(query: Dict[str, Any]) -> Dict[str, Any]:
    params = {"Id": query["id"], "ReturnData": bool(query.get("return_data"))}
    if query.get("expression"):
        params["Expression"] = query["expression"]
    if query.get("label"):
        params["Label"] = query["label"]
    if query.get("period") is not None:
        params["Period"] = query["period"]
    stat = query.get("metric_stat")
    if stat:
        metric = stat["metric"]
        params["MetricStat"] = {
            "Metric": {
                "Namespace": metric["namespace"],
                "MetricName": metric["metric_name"],
                "Dimensions": _dimension_list(metric.get("dimensions")),
            },
            "Period": stat["period"],
            "Stat": stat["stat"],
        }
        if stat.get("unit"):
            params["MetricStat"]["Unit"] = stat["unit"]
    return params


def put_params(alarm: Dict[str, Any]) -> Dict[str, Any]:
    """The PutMetricAlarm parameters of one alarm of the set (without Tags)."""
    params = {
        "AlarmName": alarm["name"],
        "ActionsEnabled": alarm.get("actions_enabled", True) is not False,
        "AlarmActions": list(alarm.get("alarm_actions") or []),
        "OKActions": list(alarm.get("ok_actions") or []),
        "InsufficientDataActions": list(alarm.get("insufficient_data_actions") or []),
        "EvaluationPeriods": alarm["evaluation_periods"],
        "Threshold": float(alarm["threshold"]),
        "ComparisonOperator": alarm["comparison_operator"],
    }
    if alarm.get("description"):
        params["AlarmDescription"] = alarm["description"]
    if alarm.get("datapoints_to_alarm") is not None:
        params["DatapointsToAlarm"] = alarm["datapoints_to_alarm"]
    if alarm.get("treat_missing_data"):
        params["TreatMissingData"] = alarm["treat_missing_data"]
    if alarm.get("metrics"):
        params["Metrics"] = [_query_params(query) for query in alarm["metrics"]]
        return params
    params.update(
        Namespace=alarm["namespace"],
        MetricName=alarm["metric_name"],
        Period=alarm["period"],
        Dimensions=_dimension_list(alarm.get("dimensions")),
    )
    if alarm.get("statistic"):
        params["Statistic"] = alarm["statistic"]
    else:
        params["ExtendedStatistic"] = alarm["extended_statistic"]
    if alarm.get("unit"):
        params["Unit"] = alarm["unit"]
    return params


# ---------------------------------------------------------------- normalised view


def _dimension_dict(dimensions: Optional[List[Dict[str, str]]]) -> Dict[str, str]:
    return {dimension["Name"]: dimension["Value"] for dimension in dimensions or []}


def _without_none(values: Dict[str, Any]) -> Dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def _normalise_query(query: Dict[str, Any]) -> Dict[str, Any]:
    view = {
        "id": query.get("Id"),
        "expression": query.get("Expression") or None,
        "label": query.get("Label") or None,
        # AWS assumes ReturnData true when it is left out.
        "return_data": query.get("ReturnData", True) is not False,
        "period": query.get("Period"),
    }
    stat = query.get("MetricStat")
    if stat:
        metric = stat.get("Metric") or {}
        view["metric_stat"] = _without_none(
            {
                "metric": {
                    "namespace": metric.get("Namespace"),
                    "metric_name": metric.get("MetricName"),
                    "dimensions": _dimension_dict(metric.get("Dimensions")),
                },
                "period": stat.get("Period"),
                "stat": stat.get("Stat"),
                "unit": stat.get("Unit") or None,
            }
        )
    return _without_none(view)


def normalise_alarm(alarm: Dict[str, Any]) -> Dict[str, Any]:
    """The comparable, snake_case view of an alarm given as PutMetricAlarm parameters or as DescribeAlarms returns it."""
    evaluation_periods = alarm.get("EvaluationPeriods")
    threshold = alarm.get("Threshold")
    view = {
        "name": alarm.get("AlarmName"),
        "description": alarm.get("AlarmDescription") or "",
        "actions_enabled": alarm.get("ActionsEnabled", True) is not False,
        "alarm_actions": sorted(alarm.get("AlarmActions") or []),
        "ok_actions": sorted(alarm.get("OKActions") or []),
        "insufficient_data_actions": sorted(alarm.get("InsufficientDataActions") or []),
        "namespace": alarm.get("Namespace") or None,
        "metric_name": alarm.get("MetricName") or None,
        "statistic": alarm.get("Statistic") or None,
        "extended_statistic": alarm.get("ExtendedStatistic") or None,
        "dimensions": _dimension_dict(alarm.get("Dimensions")),
        "period": alarm.get("Period"),
        "unit": alarm.get("Unit") or None,
        "evaluation_periods": evaluation_periods,
        "datapoints_to_alarm": alarm.get("DatapointsToAlarm") or evaluation_periods,
        "threshold": float(threshold) if threshold is not None else None,
        "comparison_operator": alarm.get("ComparisonOperator"),
        "treat_missing_data": alarm.get("TreatMissingData") or "missing",
        "metrics": sorted((_normalise_query(query) for query in alarm.get("Metrics") or []), key=lambda q: q["id"] or ""),
    }
    return _without_none(view)


def differences(before: Dict[str, Any], after: Dict[str, Any]) -> List[str]:
    """The keys whose values differ between two normalised views."""
    return sorted(key for key in set(before) | set(after) if before.get(key) != after.get(key))


# ---------------------------------------------------------------- plan


def plan(
    desired: Dict[str, Dict[str, Any]], current: Dict[str, Dict[str, Any]], purge: bool
) -> Tuple[List[str], Dict[str, List[str]], List[str]]:
    """(names to create, {name to update: changed keys}, names to delete) from normalised views by name."""
    to_create = sorted(name for name in desired if name not in current)
    to_update = {}
    for name in sorted(desired):
        if name in current:
            changed = differences(current[name], desired[name])
            if changed:
                to_update[name] = changed
    to_delete = sorted(name for name in current if name not in desired) if purge else []
    return to_create, to_update, to_delete
