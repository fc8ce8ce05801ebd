#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudwatch_alarm_set
version_added: 0.1.0
short_description: Converge a set of CloudWatch metric alarms sharing a name prefix in one call
description:
  - Create, update and delete the CloudWatch metric alarms whose names start with O(name_prefix) so
    that they are exactly the alarms of O(alarms), in one module call (one task instead of a loop
    of M(amazon.aws.cloudwatch_metric_alarm) tasks).
  - Fills three gaps of M(amazon.aws.cloudwatch_metric_alarm) (amazon.aws 10.x). That module
    re-puts an alarm that uses metric math (C(metrics)) on every run and reports it changed, because it
    drops C(Metrics) from the described alarm but keeps it in the desired one, so they never
    compare equal. It has no tags. And it cannot remove the alarms that are no longer wanted.
  - Each alarm is compared with what C(DescribeAlarms) returns, normalised the same way on both
    sides (dimensions regardless of order, actions regardless of order, metric-math queries field
    by field with the defaults AWS fills in); C(PutMetricAlarm) is called only for new or changed
    alarms. C(PutMetricAlarm) replaces a whole alarm, so an option left out of an alarm is removed
    from it.
  - With O(purge=true), the metric alarms whose names start with O(name_prefix) and that are not
    in O(alarms) are deleted. Composite alarms are never touched.
  - The options are validated before any AWS call.
author:
  - Atelier infra developers (@atelier-infra)
options:
  name_prefix:
    description:
      - The prefix every alarm of the set starts with, for example C(dev-web-).
      - The set is every metric alarm whose name starts with it; it must not be empty.
    required: true
    type: str
  alarms:
    description:
      - The alarms of the set. Every name must start with O(name_prefix) and be unique.
      - A simple alarm sets O(alarms[].namespace), O(alarms[].metric_name), O(alarms[].period)
        and one of O(alarms[].statistic) and O(alarms[].extended_statistic); a metric-math alarm
        sets O(alarms[].metrics) instead.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description:
          - The name of the alarm, starting with O(name_prefix), at most 255 characters.
        required: true
        type: str
      description:
        description:
          - The description of the alarm.
        type: str
      namespace:
        description:
          - The namespace of the metric, for example C(AWS/EC2).
        type: str
      metric_name:
        description:
          - The name of the metric, for example C(CPUUtilization).
        type: str
      statistic:
        description:
          - The statistic of the metric. Exclusive with O(alarms[].extended_statistic).
        type: str
        choices: ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']
      extended_statistic:
        description:
          - A percentile or other extended statistic, for example C(p99).
        type: str
      dimensions:
        description:
          - The dimensions of the metric, name to value.
        type: dict
      period:
        description:
          - The length of one evaluation period in seconds, V(10), V(20), V(30) or a multiple of V(60).
          - Required for simple alarms; metric-math alarms set the period of each query.
        type: int
      evaluation_periods:
        description:
          - The number of periods compared with the threshold, at least V(1).
        required: true
        type: int
      datapoints_to_alarm:
        description:
          - The number of breaching data points among O(alarms[].evaluation_periods) that put
            the alarm in the C(ALARM) state. Defaults to O(alarms[].evaluation_periods) on AWS.
        type: int
      threshold:
        description:
          - The value the statistic is compared with.
        required: true
        type: float
      comparison_operator:
        description:
          - How the statistic is compared with the threshold.
        required: true
        type: str
        choices: ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold']
      treat_missing_data:
        description:
          - How missing data points are treated. AWS assumes V(missing) when it is not set.
        type: str
        choices: ['breaching', 'notBreaching', 'ignore', 'missing']
      unit:
        description:
          - The unit of the metric, for example C(Percent).
        type: str
      metrics:
        description:
          - The metric-math queries of the alarm. Exactly one must have
            O(alarms[].metrics[].return_data=true), the one whose result is compared with the threshold.
        type: list
        elements: dict
        suboptions:
          id:
            description:
              - The id of the query, starting with a lower-case letter, used in expressions.
            required: true
            type: str
          expression:
            description:
              - A metric-math expression over the other queries' ids, for example C(100 * m1 / m2).
              - Exclusive with O(alarms[].metrics[].metric_stat).
            type: str
          label:
            description:
              - A label for the query.
            type: str
          return_data:
            description:
              - Whether this query is the alarm's value.
            type: bool
            default: false
          period:
            description:
              - The period of an expression query, in seconds.
            type: int
          metric_stat:
            description:
              - The metric the query reads. Exclusive with O(alarms[].metrics[].expression).
            type: dict
            suboptions:
              metric:
                description:
                  - The metric.
                type: dict
                required: true
                suboptions:
                  namespace:
                    description: The namespace of the metric.
                    type: str
                    required: true
                  metric_name:
                    description: The name of the metric.
                    type: str
                    required: true
                  dimensions:
                    description: The dimensions of the metric, name to value.
                    type: dict
              period:
                description:
                  - The period in seconds, V(10), V(20), V(30) or a multiple of V(60).
                type: int
                required: true
              stat:
                description:
                  - The statistic, for example C(Sum) or C(p99).
                type: str
                required: true
              unit:
                description:
                  - The unit of the metric.
                type: str
      alarm_actions:
        description:
          - The ARNs of the actions when the alarm goes to C(ALARM), for example an SNS topic.
        type: list
        elements: str
        default: []
      ok_actions:
        description:
          - The ARNs of the actions when the alarm goes to C(OK).
        type: list
        elements: str
        default: []
      insufficient_data_actions:
        description:
          - The ARNs of the actions when the alarm goes to C(INSUFFICIENT_DATA).
        type: list
        elements: str
        default: []
      actions_enabled:
        description:
          - Whether the actions run when the alarm changes state.
        type: bool
        default: true
  purge:
    description:
      - Whether to delete the metric alarms whose names start with O(name_prefix) and that are not
        in O(alarms).
    type: bool
    default: true
  tags_lookup:
    description:
      - How the tags of the existing alarms are read, to compare them with O(tags).
      - V(alarms) reads each alarm's (C(ListTagsForResource), one call per alarm).
      - V(tagging_api) lists those that carry O(tags) with one paginated Resource Groups Tagging API C(GetResources)
        call (resource type C(cloudwatch:alarm)). An alarm it does not list, or lists with other tags, is read again with
        its own C(ListTagsForResource) before anything changes. That API is eventually consistent, so a tag changed by hand a
        moment ago may be found only by a later run; a change is never made from its answer alone.
      - V(tagging_api) needs C(tag:GetResources) and O(tags) with at least one tag; otherwise the alarms are read one
        by one.
    type: str
    choices: [alarms, tagging_api]
    default: alarms
    version_added: 0.2.0
  state:
    description:
      - V(present) converges the set; V(absent) deletes every metric alarm whose name starts with
        O(name_prefix) (O(alarms) is then ignored).
    default: present
    choices: ['present', 'absent']
    type: str
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Returns the alarms with the prefix before and after the change when run with C(--diff).
    support: full
notes:
  - O(tags) apply to every alarm of the set. AWS applies the tags of C(PutMetricAlarm) only to a new
    alarm; the tags of an existing alarm are changed with C(TagResource) and C(UntagResource).
  - When O(tags) is not set, the tags of the alarms are left as they are.
seealso:
  - module: amazon.aws.cloudwatch_metric_alarm
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Converge the alarms of the dev web tier, removing the others with the prefix
  atelier.infra.cloudwatch_alarm_set:
    name_prefix: dev-web-
    tags:
      Environment: dev
    alarms:
      - name: dev-web-cpu-high
        description: Average CPU of the web tier above 80 %
        namespace: AWS/EC2
        metric_name: CPUUtilization
        statistic: Average
        dimensions:
          AutoScalingGroupName: dev-web
        period: 300
        evaluation_periods: 2
        threshold: 80
        comparison_operator: GreaterThanThreshold
        treat_missing_data: notBreaching
        alarm_actions:
          - arn:aws:sns:eu-west-1:123456789012:dev-alarms
      - name: dev-web-5xx-rate
        description: More than 5 % of the ALB's requests answered 5xx
        evaluation_periods: 3
        threshold: 5
        comparison_operator: GreaterThanThreshold
        metrics:
          - id: e1
            expression: 100 * m1 / m2
            label: 5xx rate
            return_data: true
          - id: m1
            metric_stat:
              metric:
                namespace: AWS/ApplicationELB
                metric_name: HTTPCode_Target_5XX_Count
                dimensions:
                  LoadBalancer: app/dev-web/0123456789abcdef
              period: 60
              stat: Sum
          - id: m2
            metric_stat:
              metric:
                namespace: AWS/ApplicationELB
                metric_name: RequestCount
                dimensions:
                  LoadBalancer: app/dev-web/0123456789abcdef
              period: 60
              stat: Sum

- name: Remove every alarm of the dev web tier
  atelier.infra.cloudwatch_alarm_set:
    name_prefix: dev-web-
    state: absent
"""

RETURN = r"""
actions:
  description:
    - What the run did, or in check mode would do, one line per alarm (C(create), C(update) with the settings that
      differ, or C(delete), then the alarm). Empty when nothing changes.
  returned: always
  type: list
  elements: str
  sample: ["create cloudwatch alarm prod-atelier/frontend/cpu-high", "update cloudwatch alarm prod-atelier/rds/cpu-high: threshold"]
created:
  description: The names of the alarms created (or that would be, in check mode).
  returned: always
  type: list
  elements: str
  sample: ["dev-web-cpu-high"]
updated:
  description: The names of the alarms changed, their configuration or their tags (or that would be, in check mode).
  returned: always
  type: list
  elements: str
  sample: ["dev-web-5xx-rate"]
deleted:
  description: The names of the alarms deleted (or that would be, in check mode).
  returned: always
  type: list
  elements: str
  sample: ["dev-web-old"]
alarms:
  description:
    - The alarms of the set after the run, sorted by name; empty when O(state=absent).
    - In check mode, an alarm that would be created has no RV(alarms[].arn).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The name of the alarm.
      type: str
      sample: dev-web-cpu-high
    arn:
      description: The ARN of the alarm.
      type: str
      sample: arn:aws:cloudwatch:eu-west-1:123456789012:alarm:dev-web-cpu-high
msg:
  description: What the module did, or would have done in check mode.
  returned: always
  type: str
  sample: "Would have created 1, updated 0 and deleted 0 alarms with prefix dev-web- if not in check mode."
diff:
  description: The normalised alarms with the prefix, by name, before and after the change.
  returned: when run with C(--diff)
  type: dict
  contains:
    before:
      description: The alarms before the change.
      type: dict
    after:
      description: The alarms after the change.
      type: dict
"""

from typing import Any
from typing import Dict
from typing import List
from typing import Tuple

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch import AnsibleCloudWatchError
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch import delete_alarms_in_batches
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch import describe_metric_alarms
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch import list_tags
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch import put_metric_alarm
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch import tag_resource
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch import untag_resource
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_alarms import normalise_alarm
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_alarms import plan
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_alarms import put_params
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_alarms import validation_errors
from ansible_collections.atelier.infra.plugins.module_utils.tagging import AnsibleTaggingError
from ansible_collections.atelier.infra.plugins.module_utils.tagging import get_resources
from ansible_collections.atelier.infra.plugins.module_utils.tagging import tag_filters

# The Resource Groups Tagging API's type of a metric alarm.
ALARM_TYPE = "cloudwatch:alarm"


def validate(module: AnsibleAWSModule) -> None:
    """Fail on invalid options before any AWS call."""
    errors = validation_errors(module.params)
    if errors:
        module.fail_json(msg=" ".join(errors), errors=errors)


def find_current(module: AnsibleAWSModule, client) -> Dict[str, Dict[str, Any]]:
    """The described metric alarms with the prefix, by name."""
    try:
        alarms = describe_metric_alarms(client, module.params["name_prefix"])
    except AnsibleCloudWatchError as e:
        module.fail_json_aws_error(e)
    # AlarmNamePrefix is the filter; the check keeps a fake or a lax endpoint from widening the set.
    return {alarm["AlarmName"]: alarm for alarm in alarms if alarm["AlarmName"].startswith(module.params["name_prefix"])}


def tag_changes(
    module: AnsibleAWSModule, client, current: Dict[str, Dict[str, Any]], names: List[str]
) -> Tuple[Dict[str, Tuple[Dict[str, str], List[str]]], Dict[str, Dict[str, str]]]:
    """({name: (tags to set, keys to unset)} for the existing alarms whose tags differ, {name: current tags})."""
    changes = {}
    tags_before = {}
    wanted = module.params["tags"]
    if wanted is None:
        return changes, tags_before
    listed = listed_tags(module) if names else {}
    for name in names:
        arn = current[name]["AlarmArn"]
        tags = listed.get(arn)
        # Trusted only when it says nothing differs: an alarm not listed, or listed with other tags, is read itself.
        if tags is None or any(compare_aws_tags(tags, wanted, module.params["purge_tags"])):
            try:
                tags = list_tags(client, arn)
            except AnsibleCloudWatchError as e:
                module.fail_json_aws_error(e)
        tags_before[name] = tags
        to_set, to_unset = compare_aws_tags(tags, wanted, module.params["purge_tags"])
        if to_set or to_unset:
            changes[name] = (to_set, to_unset)
    return changes, tags_before


def listed_tags(module: AnsibleAWSModule) -> Dict[str, Dict[str, str]]:
    """{alarm ARN: tags} of the alarms that carry O(tags), from the Resource Groups Tagging API (O(tags_lookup=tagging_api));
    {} otherwise."""
    if module.params["tags_lookup"] != "tagging_api" or not module.params["tags"]:
        return {}
    try:
        mappings = get_resources(module.client("resourcegroupstaggingapi"), tag_filters(module.params["tags"]), [ALARM_TYPE])
    except AnsibleTaggingError as e:
        module.fail_json_aws_error(e)
    return {m["ResourceARN"]: boto3_tag_list_to_ansible_dict(m.get("Tags") or []) for m in mappings}


def _with_tags(view: Dict[str, Any], tags: Any) -> Dict[str, Any]:
    return dict(view, tags=tags) if tags is not None else view


def converge(module: AnsibleAWSModule, client, current: Dict[str, Dict[str, Any]]) -> None:
    params = module.params
    present = params["state"] == "present"
    wanted = {alarm["name"]: put_params(alarm) for alarm in params["alarms"]} if present else {}
    desired = {name: normalise_alarm(alarm_params) for name, alarm_params in wanted.items()}
    before = {name: normalise_alarm(alarm) for name, alarm in current.items()}

    to_create, to_update, to_delete = plan(desired, before, purge=params["purge"] or not present)
    kept = sorted(name for name in desired if name in current)
    tags_to_change, tags_before = tag_changes(module, client, current, kept)
    updated = sorted(set(to_update) | set(tags_to_change))
    changed = bool(to_create or updated or to_delete)

    new_tags = params["tags"]
    diff_before = {name: _with_tags(view, tags_before.get(name)) for name, view in before.items()}
    diff_after = {name: view for name, view in diff_before.items() if name not in to_delete}
    for name, view in desired.items():
        tags = None
        if new_tags is not None:
            to_set, to_unset = tags_to_change.get(name, ({}, []))
            old = tags_before.get(name, {})
            tags = dict({key: value for key, value in old.items() if key not in to_unset}, **to_set)
            if name not in current:
                tags = dict(new_tags)
        diff_after[name] = _with_tags(view, tags)

    counts = f"created {len(to_create)}, updated {len(updated)} and deleted {len(to_delete)}"
    prefix = params["name_prefix"]
    if module.check_mode:
        msg = f"Would have {counts} alarms with prefix {prefix} if not in check mode." if changed else "No change."
        alarms = [dict(name=name, arn=current[name]["AlarmArn"]) if name in current else dict(name=name) for name in sorted(desired)]
        exit_with(module, changed, diff_before, diff_after, to_create, updated, to_delete, alarms, msg)

    try:
        for name in to_create:
            put_metric_alarm(client, wanted[name], tags=new_tags)
        for name in sorted(to_update):
            put_metric_alarm(client, wanted[name])
        for name, (to_set, to_unset) in sorted(tags_to_change.items()):
            arn = current[name]["AlarmArn"]
            if to_unset:
                untag_resource(client, arn, to_unset)
            if to_set:
                tag_resource(client, arn, to_set)
        if to_delete:
            delete_alarms_in_batches(client, to_delete)
    except AnsibleCloudWatchError as e:
        module.fail_json_aws_error(e)

    arns = {name: alarm["AlarmArn"] for name, alarm in current.items()}
    if to_create:
        arns.update({name: alarm["AlarmArn"] for name, alarm in find_current(module, client).items()})
    alarms = [dict(name=name, arn=arns.get(name)) for name in sorted(desired)]
    msg = f"{counts[0].upper()}{counts[1:]} alarms with prefix {prefix}." if changed else "No change."
    exit_with(module, changed, diff_before, diff_after, to_create, updated, to_delete, alarms, msg)


def actions(before, after, created, updated, deleted):
    """One line per alarm created, updated (with the settings that differ, tags included) or deleted."""
    lines = [f"create cloudwatch alarm {name}" for name in created]
    for name in updated:
        old, new = before.get(name) or {}, after.get(name) or {}
        keys = sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))
        lines.append(f"update cloudwatch alarm {name}: {', '.join(keys) or 'settings'}")
    return lines + [f"delete cloudwatch alarm {name}" for name in deleted]


def exit_with(module, changed, before, after, created, updated, deleted, alarms, msg):
    result = dict(changed=changed, created=created, updated=updated, deleted=deleted, alarms=alarms, msg=msg)
    result["actions"] = actions(before, after, created, updated, deleted)
    if module._diff:
        result["diff"] = dict(before=before, after=after)
    module.exit_json(**result)


def metric_stat_spec() -> Dict[str, Any]:
    return dict(
        metric=dict(
            type="dict",
            required=True,
            options=dict(
                namespace=dict(type="str", required=True),
                metric_name=dict(type="str", required=True),
                dimensions=dict(type="dict"),
            ),
        ),
        period=dict(type="int", required=True),
        stat=dict(type="str", required=True),
        unit=dict(type="str"),
    )


def alarm_spec() -> Dict[str, Any]:
    return dict(
        name=dict(type="str", required=True),
        description=dict(type="str"),
        namespace=dict(type="str"),
        metric_name=dict(type="str"),
        statistic=dict(type="str", choices=["SampleCount", "Average", "Sum", "Minimum", "Maximum"]),
        extended_statistic=dict(type="str"),
        dimensions=dict(type="dict"),
        period=dict(type="int"),
        evaluation_periods=dict(type="int", required=True),
        datapoints_to_alarm=dict(type="int"),
        threshold=dict(type="float", required=True),
        comparison_operator=dict(
            type="str",
            required=True,
            choices=[
                "GreaterThanOrEqualToThreshold",
                "GreaterThanThreshold",
                "LessThanThreshold",
                "LessThanOrEqualToThreshold",
            ],
        ),
        treat_missing_data=dict(type="str", choices=["breaching", "notBreaching", "ignore", "missing"]),
        unit=dict(type="str"),
        metrics=dict(
            type="list",
            elements="dict",
            options=dict(
                id=dict(type="str", required=True),
                expression=dict(type="str"),
                label=dict(type="str"),
                return_data=dict(type="bool", default=False),
                period=dict(type="int"),
                metric_stat=dict(type="dict", options=metric_stat_spec()),
            ),
        ),
        alarm_actions=dict(type="list", elements="str", default=[]),
        ok_actions=dict(type="list", elements="str", default=[]),
        insufficient_data_actions=dict(type="list", elements="str", default=[]),
        actions_enabled=dict(type="bool", default=True),
    )


def main():
    argument_spec = dict(
        name_prefix=dict(type="str", required=True),
        alarms=dict(type="list", elements="dict", default=[], options=alarm_spec()),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        purge=dict(type="bool", default=True),
        tags_lookup=dict(type="str", default="alarms", choices=["alarms", "tagging_api"]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    validate(module)

    client = module.client("cloudwatch")

    current = find_current(module, client)

    converge(module, client, current)


if __name__ == "__main__":
    main()
