#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ec2_vpc_flow_log
version_added: 0.1.0
short_description: Manage a VPC flow log
description:
  - Create, update the tags of, replace or delete a VPC flow log attached to a VPC, a subnet
    or a network interface.
  - Neither the C(amazon.aws) nor the C(community.aws) collection ships a module that manages
    VPC flow logs; this module fills that gap in the style of the amazon.aws EC2 modules.
  - A flow log is identified by O(resource_id), O(traffic_type) and its destination
    (O(log_group_name) for CloudWatch Logs, O(log_destination) otherwise).
  - AWS cannot modify a flow log except for its tags. When O(log_format),
    O(max_aggregation_interval) or O(deliver_logs_permission_arn) differ from the existing flow
    log, the module replaces it (creates the new one, then deletes the old one) and says so in
    RV(msg). A flow log holds no data, so replacing it loses nothing already delivered. The
    replacement keeps the old flow log's tags unless O(tags) is set.
  - If AWS refuses to create the replacement next to the old flow log (error
    C(FlowLogAlreadyExists)), the old flow log is deleted first and the new one created right after.
  - No duplicate when a create response is lost. C(CreateFlowLogs) gets an idempotency token derived from the flow
    log's configuration (the same in every run), so a create retried after a lost answer returns the flow log the
    first request made. The flow log a token answers with is looked up by its id; when it is gone (deleted within
    AWS's 24-hour token window), the create is made again with the token's next generation. A create AWS refuses with
    C(FlowLogAlreadyExists) (a flow log of this identity appeared since the lookup) converges that flow log instead.
author:
  - Atelier infra developers (@atelier-infra)
options:
  resource_id:
    description:
      - The ID of the VPC, subnet or network interface whose traffic is logged.
    required: true
    type: str
  resource_type:
    description:
      - The type of O(resource_id).
    default: VPC
    choices: ['VPC', 'Subnet', 'NetworkInterface']
    type: str
  traffic_type:
    description:
      - The type of traffic to log.
    default: ALL
    choices: ['ACCEPT', 'REJECT', 'ALL']
    type: str
  log_destination_type:
    description:
      - Where the flow log records are published.
    default: cloud-watch-logs
    choices: ['cloud-watch-logs', 's3', 'kinesis-data-firehose']
    type: str
  log_group_name:
    description:
      - The name of the CloudWatch Logs log group to publish to.
      - Required when O(log_destination_type=cloud-watch-logs); not allowed with the other
        destination types.
    type: str
  log_destination:
    description:
      - The ARN of the destination, an S3 bucket (optionally with a folder,
        V(arn:aws:s3:::bucket/folder/)) or a Kinesis Data Firehose delivery stream.
      - Required when O(log_destination_type) is V(s3) or V(kinesis-data-firehose).
    type: str
  deliver_logs_permission_arn:
    description:
      - The ARN of the IAM role that allows the flow log to publish to the destination.
      - Required when O(state=present) and O(log_destination_type=cloud-watch-logs).
      - When set and different from the existing flow log's role, the flow log is replaced.
    type: str
  log_format:
    description:
      - The fields to include in the flow log record, for example
        V(${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${action}).
      - When not set, AWS uses its default format on creation and an existing flow log keeps
        whatever format it has.
      - When set and different from the existing flow log's format, the flow log is replaced.
    type: str
  max_aggregation_interval:
    description:
      - The maximum interval, in seconds, during which a flow of packets is captured and
        aggregated into a record.
      - When different from the existing flow log's interval, the flow log is replaced.
    default: 600
    choices: [60, 600]
    type: int
  state:
    description:
      - Whether the flow log should exist.
    default: present
    choices: ['present', 'absent']
    type: str
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Returns the flow log's configuration before and after the change when run with C(--diff).
    support: full
notes:
  - Flow logs are created in the C(ACTIVE) state; there is nothing to wait for.
  - With O(state=absent) every flow log that matches O(resource_id), O(traffic_type) and the
    destination is deleted.
seealso:
  - module: atelier.infra.ec2_vpc_flow_log_info
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Log rejected traffic of a VPC to CloudWatch Logs
  atelier.infra.ec2_vpc_flow_log:
    resource_id: vpc-0123456789abcdef0
    traffic_type: REJECT
    log_group_name: /vpc/flow-logs/web
    deliver_logs_permission_arn: arn:aws:iam::123456789012:role/vpc-flow-logs
    tags:
      Environment: production

- name: Log all traffic of a subnet to S3, one-minute aggregation
  atelier.infra.ec2_vpc_flow_log:
    resource_id: subnet-0123456789abcdef0
    resource_type: Subnet
    log_destination_type: s3
    log_destination: arn:aws:s3:::my-flow-log-bucket/web/
    max_aggregation_interval: 60
    log_format: "${version} ${interface-id} ${srcaddr} ${dstaddr} ${dstport} ${action}"

- name: Remove the flow log
  atelier.infra.ec2_vpc_flow_log:
    resource_id: vpc-0123456789abcdef0
    traffic_type: REJECT
    log_group_name: /vpc/flow-logs/web
    state: absent
"""

RETURN = r"""
actions:
  description:
    - What the run did, or in check mode would do, one line per change (C(create), C(replace) or C(update) with the
      settings that differ, C(delete)), the flow log named by its C(Name) tag, else by O(resource_id). Empty when
      nothing changes.
  returned: always
  type: list
  elements: str
  sample: ["replace flow log prod-atelier-flow-log: traffic_type", "delete flow log fl-0123456789abcdef0"]
msg:
  description: What the module did, or would have done in check mode, when it is not obvious (replacement, deletion).
  returned: when a flow log is replaced or deleted, when there is nothing to delete, and in check mode when something would change
  type: str
  sample: "Replaced flow log fl-0a1b2c3d4e5f67890 with fl-0fedcba9876543210: AWS cannot modify max_aggregation_interval (600 -> 60)."
flow_log:
  description:
    - The flow log, with snake_case keys and its tags as a dictionary.
    - In check mode, the flow log as it would be; not returned when it would be created.
  returned: when O(state=present)
  type: dict
  contains:
    flow_log_id:
      description: The ID of the flow log.
      type: str
      sample: fl-0a1b2c3d4e5f67890
    resource_id:
      description: The ID of the VPC, subnet or network interface.
      type: str
      sample: vpc-0123456789abcdef0
    traffic_type:
      description: The type of traffic logged.
      type: str
      sample: ALL
    log_destination_type:
      description: The type of destination.
      type: str
      sample: cloud-watch-logs
    log_group_name:
      description: The CloudWatch Logs log group, for a CloudWatch Logs destination.
      type: str
      sample: /vpc/flow-logs/web
    log_destination:
      description: The ARN of the destination.
      type: str
      sample: arn:aws:s3:::my-flow-log-bucket/web/
    deliver_logs_permission_arn:
      description: The ARN of the IAM role that publishes the records.
      type: str
      sample: arn:aws:iam::123456789012:role/vpc-flow-logs
    deliver_logs_status:
      description: The status of the logs delivery, V(SUCCESS) or V(FAILED).
      type: str
      sample: SUCCESS
    flow_log_status:
      description: The status of the flow log.
      type: str
      sample: ACTIVE
    log_format:
      description: The format of the flow log records.
      type: str
      sample: "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${action}"
    max_aggregation_interval:
      description: The aggregation interval, in seconds.
      type: int
      sample: 600
    creation_time:
      description: When the flow log was created (ISO 8601).
      type: str
      sample: "2025-01-31T12:00:00+00:00"
    tags:
      description: The tags of the flow log.
      type: dict
      sample: {"Environment": "production"}
diff:
  description: The flow log configuration before and after the change.
  returned: when run with C(--diff)
  type: dict
  contains:
    before:
      description: The configuration before the change, empty when there was no flow log.
      type: dict
    after:
      description: The configuration after the change, empty when the flow log is deleted.
      type: dict
"""

import time
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import is_ansible_aws_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags
from ansible_collections.amazon.aws.plugins.module_utils.transformation import ansible_dict_to_boto3_filter_list

from ansible_collections.atelier.infra.plugins.module_utils.ec2_flow_logs import add_flow_log_tags
from ansible_collections.atelier.infra.plugins.module_utils.ec2_flow_logs import client_token
from ansible_collections.atelier.infra.plugins.module_utils.ec2_flow_logs import create_flow_logs
from ansible_collections.atelier.infra.plugins.module_utils.ec2_flow_logs import delete_flow_logs
from ansible_collections.atelier.infra.plugins.module_utils.ec2_flow_logs import describe_flow_logs
from ansible_collections.atelier.infra.plugins.module_utils.ec2_flow_logs import normalize_flow_log
from ansible_collections.atelier.infra.plugins.module_utils.ec2_flow_logs import remove_flow_log_tags

# A token AWS answered with a flow log deleted since is tried again with the next generation, this many times in all.
TOKEN_GENERATIONS = 3
# A flow log made with a token is looked up by its id (AWS may take a few seconds to show it) before it is used.
VERIFY_ATTEMPTS = 5
VERIFY_DELAY = 2
# The keys of the normalised flow log that describe its configuration (what --diff shows).
DIFF_KEYS = (
    "flow_log_id",
    "resource_id",
    "traffic_type",
    "log_destination_type",
    "log_group_name",
    "log_destination",
    "deliver_logs_permission_arn",
    "log_format",
    "max_aggregation_interval",
    "tags",
)


def _same_destination(flow_log: Dict[str, Any], params: Dict[str, Any]) -> bool:
    if flow_log.get("LogDestinationType", "cloud-watch-logs") != params["log_destination_type"]:
        return False
    if params["log_destination_type"] == "cloud-watch-logs":
        return flow_log.get("LogGroupName") == params["log_group_name"]
    return (flow_log.get("LogDestination") or "").rstrip("/") == params["log_destination"].rstrip("/")


def _normalize_format(log_format: Optional[str]) -> Optional[str]:
    return " ".join(log_format.split()) if log_format else log_format


def find_flow_logs(module: AnsibleAWSModule, client) -> List[Dict[str, Any]]:
    """The flow logs with the requested identity: resource, traffic type and destination."""
    params = module.params
    destination_option = "log_group_name" if params["log_destination_type"] == "cloud-watch-logs" else "log_destination"
    if not params[destination_option]:
        # required_if only checks that the option is present; a null value is refused here.
        module.fail_json(
            msg=f"{destination_option} is required when log_destination_type={params['log_destination_type']}."
        )
    filters = ansible_dict_to_boto3_filter_list(
        {"resource-id": params["resource_id"], "traffic-type": params["traffic_type"]}
    )
    try:
        flow_logs = describe_flow_logs(client, Filter=filters)
    except AnsibleEC2Error as e:
        module.fail_json_aws_error(e)
    return [
        fl
        for fl in flow_logs
        if fl.get("ResourceId") == params["resource_id"]
        and fl.get("TrafficType") == params["traffic_type"]
        and _same_destination(fl, params)
    ]


def replacement_reasons(module: AnsibleAWSModule, flow_log: Dict[str, Any]) -> List[str]:
    """Attributes that AWS cannot modify and that differ from what the user asked for."""
    params = module.params
    reasons = []
    if params["log_format"] is not None and _normalize_format(params["log_format"]) != _normalize_format(
        flow_log.get("LogFormat")
    ):
        reasons.append(f"log_format ({flow_log.get('LogFormat')!r} -> {params['log_format']!r})")
    if params["max_aggregation_interval"] != flow_log.get("MaxAggregationInterval", 600):
        reasons.append(
            f"max_aggregation_interval ({flow_log.get('MaxAggregationInterval')} -> {params['max_aggregation_interval']})"
        )
    if params["deliver_logs_permission_arn"] is not None and params["deliver_logs_permission_arn"] != flow_log.get(
        "DeliverLogsPermissionArn"
    ):
        reasons.append(
            f"deliver_logs_permission_arn ({flow_log.get('DeliverLogsPermissionArn')} -> {params['deliver_logs_permission_arn']})"
        )
    return reasons


def desired_tags(module: AnsibleAWSModule, current: Optional[Dict[str, str]]) -> Dict[str, str]:
    """The tags the flow log should end up with (amazon.aws tags / purge_tags semantics)."""
    current = dict(current or {})
    tags = module.params["tags"]
    if tags is None:
        return current
    tags_to_set, tags_to_unset = compare_aws_tags(current, tags, module.params["purge_tags"])
    for key in tags_to_unset:
        current.pop(key, None)
    current.update({key: str(value) for key, value in tags_to_set.items()})
    return current


def predicted_flow_log(module: AnsibleAWSModule, before: Dict[str, Any], tags: Dict[str, str]) -> Dict[str, Any]:
    """The normalised flow log as it would be after the change (check mode and diff)."""
    params = module.params
    after = dict(before)
    after.update(
        resource_id=params["resource_id"],
        traffic_type=params["traffic_type"],
        log_destination_type=params["log_destination_type"],
        max_aggregation_interval=params["max_aggregation_interval"],
        tags=tags,
    )
    if params["log_destination_type"] == "cloud-watch-logs":
        after["log_group_name"] = params["log_group_name"]
    else:
        after["log_destination"] = params["log_destination"]
    for key in ("deliver_logs_permission_arn", "log_format"):
        if params[key] is not None:
            after[key] = params[key]
    return after


def _diff_view(flow_log: Dict[str, Any]) -> Dict[str, Any]:
    return {key: flow_log[key] for key in DIFF_KEYS if flow_log.get(key) is not None}


def flow_log_label(module: AnsibleAWSModule) -> str:
    """The flow log in action lines: its Name tag, else the resource it watches."""
    return (module.params["tags"] or {}).get("Name") or module.params["resource_id"]


def actions(label: str, changed: bool, before: Dict[str, Any], after: Dict[str, Any], replaced: Optional[List[str]] = None,
            duplicates: Optional[List[str]] = None) -> List[str]:
    """One line per change: create, replace (with the settings AWS cannot modify, replacement_reasons), update with the
    keys that differ, or delete; then the duplicates deleted."""
    lines = []
    if changed:
        if not before:
            lines.append(f"create flow log {label}")
        elif not after:
            lines.append(f"delete flow log {label}")
        else:
            old, new = _diff_view(before), _diff_view(after)
            keys = sorted(key for key in set(old) | set(new) if key != "flow_log_id" and old.get(key) != new.get(key))
            if replaced:
                lines.append(f"replace flow log {label}: {', '.join(sorted(reason.split(' ')[0] for reason in replaced))}")
            elif keys:
                lines.append(f"update flow log {label}: {', '.join(keys)}")
    return lines + [f"delete flow log {flow_log_id}" for flow_log_id in duplicates or []]


def exit_with(module: AnsibleAWSModule, changed: bool, before: Dict[str, Any], after: Dict[str, Any], replaced: Optional[List[str]] = None,
              duplicates: Optional[List[str]] = None, **result):
    result["actions"] = actions(flow_log_label(module), changed, before, after, replaced, duplicates)
    if module._diff:
        result["diff"] = dict(before=_diff_view(before), after=_diff_view(after))
    module.exit_json(changed=changed, **result)


def create_flow_log(module: AnsibleAWSModule, client, tags: Dict[str, str]) -> str:
    params = module.params
    create_params = dict(
        ResourceIds=[params["resource_id"]],
        ResourceType=params["resource_type"],
        TrafficType=params["traffic_type"],
        LogDestinationType=params["log_destination_type"],
        MaxAggregationInterval=params["max_aggregation_interval"],
    )
    if params["log_destination_type"] == "cloud-watch-logs":
        create_params["LogGroupName"] = params["log_group_name"]
    else:
        create_params["LogDestination"] = params["log_destination"]
    if params["deliver_logs_permission_arn"] is not None:
        create_params["DeliverLogsPermissionArn"] = params["deliver_logs_permission_arn"]
    if params["log_format"] is not None:
        create_params["LogFormat"] = params["log_format"]
    for generation in range(TOKEN_GENERATIONS):
        token = client_token(create_params, generation)
        flow_log_id = create_flow_logs(client, tags=tags, ClientToken=token, **create_params)[0]
        if find_by_id(client, flow_log_id) is not None:
            return flow_log_id
    raise AnsibleEC2Error(
        message=f"Failed to create flow log: AWS answered {TOKEN_GENERATIONS} idempotency tokens with a deleted flow log"
    )


def find_by_id(client, flow_log_id: str) -> Optional[Dict[str, Any]]:
    """The flow log of that id, looked up a few times (AWS may take seconds to show a new one); None when it is not
    there (a token answered with a flow log deleted since)."""
    for attempt in range(VERIFY_ATTEMPTS):
        found = describe_flow_logs(client, FlowLogIds=[flow_log_id])
        if found:
            return found[0]
        if attempt + 1 < VERIFY_ATTEMPTS:
            time.sleep(VERIFY_DELAY)
    return None


def describe_one(module: AnsibleAWSModule, client, flow_log_id: str) -> Dict[str, Any]:
    try:
        found = describe_flow_logs(client, FlowLogIds=[flow_log_id])
    except AnsibleEC2Error as e:
        module.fail_json_aws_error(e)
    if not found:
        module.fail_json(msg=f"Flow log {flow_log_id} was created but cannot be described.")
    return found[0]


def replace_flow_log(module: AnsibleAWSModule, client, old: Dict[str, Any], tags: Dict[str, str]) -> Tuple[str, str]:
    """Create the new flow log, then delete the old one. If AWS refuses a second flow log with
    the same destination, delete the old one first. Returns the new ID and what was done."""
    old_id = old["FlowLogId"]
    try:
        try:
            new_id = create_flow_log(module, client, tags)
        except is_ansible_aws_error_code("FlowLogAlreadyExists"):
            delete_flow_logs(client, [old_id])
            new_id = create_flow_log(module, client, tags)
            return (
                new_id,
                f"deleted flow log {old_id}, then created {new_id} (AWS refused two flow logs to one destination)",
            )
        delete_flow_logs(client, [old_id])
    except AnsibleEC2Error as e:
        module.fail_json_aws_error(e)
    return new_id, f"replaced flow log {old_id} with {new_id}"


def _sentence(notes: List[str]) -> str:
    text = "; ".join(notes)
    return f"{text[:1].upper()}{text[1:]}."


def ensure_present(module: AnsibleAWSModule, client, existing: List[Dict[str, Any]]) -> None:
    params = module.params
    if params["log_destination_type"] == "cloud-watch-logs" and not params["deliver_logs_permission_arn"]:
        module.fail_json(msg="deliver_logs_permission_arn is required when log_destination_type=cloud-watch-logs.")

    if not existing:
        tags = desired_tags(module, {})
        if module.check_mode:
            after = predicted_flow_log(module, {}, tags)
            exit_with(module, True, {}, after, msg="Would have created the flow log if not in check mode.")
        try:
            new_id = create_flow_log(module, client, tags)
        except AnsibleEC2Error as e:
            code = (getattr(e.exception, "response", None) or {}).get("Error", {}).get("Code")
            found = find_flow_logs(module, client) if code == "FlowLogAlreadyExists" else []
            if not found:
                module.fail_json_aws_error(e)
            # A flow log of this identity appeared since the lookup (made by a create whose answer was lost, or by
            # another run): converge that one.
            ensure_present(module, client, found)
        flow_log = normalize_flow_log(describe_one(module, client, new_id))
        exit_with(module, True, {}, flow_log, flow_log=flow_log)

    # Keep the flow log that already has the requested configuration; any other one with the
    # same identity (resource, traffic type, destination) is a duplicate and is removed.
    existing = sorted(existing, key=lambda fl: len(replacement_reasons(module, fl)))
    current, duplicates = existing[0], existing[1:]
    before = normalize_flow_log(current)
    tags = desired_tags(module, before["tags"])
    reasons = replacement_reasons(module, current)
    duplicate_ids = [fl["FlowLogId"] for fl in duplicates]
    notes = [f"deleted duplicate flow log {dup_id}" for dup_id in duplicate_ids]

    if reasons:
        why = f"AWS cannot modify {', '.join(reasons)}"
        if module.check_mode:
            # The replacement is a new flow log: only the configuration carries over.
            after = predicted_flow_log(module, _diff_view(before), tags)
            after.pop("flow_log_id", None)
            msg = f"Would have replaced flow log {current['FlowLogId']}: {why}."
            if duplicate_ids:
                msg += f" Would also have deleted duplicate flow log {', '.join(duplicate_ids)}."
            exit_with(module, True, before, after, replaced=reasons, duplicates=duplicate_ids, msg=msg, flow_log=after)
        flow_log_id, what = replace_flow_log(module, client, current, tags)
        notes.insert(0, f"{what}: {why}")
    else:
        tags_to_set, tags_to_unset = {}, []
        if params["tags"] is not None:
            tags_to_set, tags_to_unset = compare_aws_tags(before["tags"], params["tags"], params["purge_tags"])
        if not (tags_to_set or tags_to_unset or duplicate_ids):
            exit_with(module, False, before, before, flow_log=before)
        if module.check_mode:
            after = predicted_flow_log(module, before, tags)
            done = ["updated the flow log's tags"] if (tags_to_set or tags_to_unset) else []
            done.extend(notes)
            msg = f"Would have {' and '.join(done)} if not in check mode."
            exit_with(module, True, before, after, duplicates=duplicate_ids, msg=msg, flow_log=after)
        flow_log_id = current["FlowLogId"]
        try:
            if tags_to_unset:
                remove_flow_log_tags(client, flow_log_id, tags_to_unset)
            if tags_to_set:
                add_flow_log_tags(client, flow_log_id, tags_to_set)
        except AnsibleEC2Error as e:
            module.fail_json_aws_error(e)

    if duplicate_ids:
        try:
            delete_flow_logs(client, duplicate_ids)
        except AnsibleEC2Error as e:
            module.fail_json_aws_error(e)

    flow_log = normalize_flow_log(describe_one(module, client, flow_log_id))
    result = dict(flow_log=flow_log)
    if notes:
        result["msg"] = _sentence(notes)
    exit_with(module, True, before, flow_log, replaced=reasons, duplicates=duplicate_ids, **result)


def ensure_absent(module: AnsibleAWSModule, client, existing: List[Dict[str, Any]]) -> None:
    if not existing:
        exit_with(module, False, {}, {}, msg="No matching flow log, nothing to delete.")

    flow_log_ids = ", ".join(fl["FlowLogId"] for fl in existing)
    before = normalize_flow_log(existing[0])
    if module.check_mode:
        exit_with(module, True, before, {}, msg=f"Would have deleted flow log {flow_log_ids} if not in check mode.")
    try:
        delete_flow_logs(client, [fl["FlowLogId"] for fl in existing])
    except AnsibleEC2Error as e:
        module.fail_json_aws_error(e)
    exit_with(module, True, before, {}, msg=f"Deleted flow log {flow_log_ids}.")


def main():
    argument_spec = dict(
        resource_id=dict(type="str", required=True),
        resource_type=dict(type="str", default="VPC", choices=["VPC", "Subnet", "NetworkInterface"]),
        traffic_type=dict(type="str", default="ALL", choices=["ACCEPT", "REJECT", "ALL"]),
        log_destination_type=dict(
            type="str", default="cloud-watch-logs", choices=["cloud-watch-logs", "s3", "kinesis-data-firehose"]
        ),
        log_group_name=dict(type="str"),
        log_destination=dict(type="str"),
        deliver_logs_permission_arn=dict(type="str"),
        log_format=dict(type="str"),
        max_aggregation_interval=dict(type="int", default=600, choices=[60, 600]),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )

    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        mutually_exclusive=[["log_group_name", "log_destination"]],
        required_if=[
            ["log_destination_type", "cloud-watch-logs", ["log_group_name"]],
            ["log_destination_type", "s3", ["log_destination"]],
            ["log_destination_type", "kinesis-data-firehose", ["log_destination"]],
        ],
        supports_check_mode=True,
    )

    client = module.client("ec2")

    existing = find_flow_logs(module, client)

    if module.params["state"] == "present":
        ensure_present(module, client, existing)
    else:
        ensure_absent(module, client, existing)


if __name__ == "__main__":
    main()
