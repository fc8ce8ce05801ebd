#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudwatch_log_group
version_added: 0.1.0
short_description: Manage a CloudWatch Logs log group, its retention, its KMS key and its tags
description:
  - Create, update or delete a CloudWatch Logs log group with its retention, its customer managed KMS key and its tags.
  - Fills the gaps of C(amazon.aws.cloudwatchlogs_log_group) (10.x) - it gives an existing log group no KMS key
    (C(kms_key_id) is used on create only, no C(AssociateKmsKey) / C(DisassociateKmsKey)), it changes the retention of
    an existing group in check mode (C(PutRetentionPolicy) is called whatever the mode), it deletes a log group it just
    created when the retention is invalid, and it takes the key as an ARN only.
  - O(kms_key) may be a key ARN, a key id, an alias name (C(alias/<name>)) or an alias ARN; anything but a key ARN costs
    one C(kms:DescribeKey) call to find the key's ARN, which is what CloudWatch Logs takes.
  - Only what differs is changed; a second run makes no call that changes anything. The options are checked before any
    AWS call.
author:
  - Atelier infra developers (@atelier-infra)
options:
  name:
    description:
      - The name of the log group.
    required: true
    type: str
  retention:
    description:
      - Days the log events are kept, one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150,
        180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), or V(0) to keep them forever.
      - Not given, the retention is left as it is (a new group keeps its events forever).
    type: int
  kms_key:
    description:
      - The customer managed KMS key that encrypts the log group's data (a key ARN, a key id, an alias name or an alias
        ARN, in the log group's region). Its key policy must let C(logs.<region>.amazonaws.com) use it for this log
        group (the encryption context C(aws:logs:arn)); CloudWatch Logs refuses the key otherwise.
      - An empty string removes the key (CloudWatch Logs' own encryption again); data encrypted before stays readable
        only while the key is usable. Not given, the key is left as it is.
    type: str
  state:
    description:
      - Whether the log group should exist. V(absent) deletes it with its log events.
    default: present
    choices: ['present', 'absent']
    type: str
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Returns the log group's retention, key and tags before and after the change when run with C(--diff).
    support: full
notes:
  - The key's ARN is looked up in the region of the module (the log group's).
  - Writers of the log group (an instance's CloudWatch agent, Docker's C(awslogs) driver, VPC flow logs) need no KMS
    permission; CloudWatch Logs encrypts on their behalf.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: The containers' log group, a year of logs, encrypted with the stack's key
  atelier.infra.cloudwatch_log_group:
    name: /aws/ec2/prod-atelier/backend
    retention: 365
    kms_key: alias/prod-atelier-logs
    tags:
      atelier:env: prod

- name: Back to CloudWatch Logs' own encryption
  atelier.infra.cloudwatch_log_group:
    name: /aws/ec2/prod-atelier/backend
    kms_key: ""

- name: Remove the log group and its events
  atelier.infra.cloudwatch_log_group:
    name: /aws/ec2/prod-atelier/backend
    state: absent
"""

RETURN = r"""
actions:
  description: What the run did (would do, in check mode), one line for the plan callback.
  returned: always
  type: list
  elements: str
  sample: ["update log group /aws/ec2/p/web: kms_key_id"]
log_group:
  description: The log group as it is (or, in check mode, as it would be); empty when it does not exist.
  returned: always
  type: dict
  contains:
    name:
      description: The log group's name.
      type: str
      sample: /aws/ec2/prod-atelier/backend
    arn:
      description: The log group's ARN (without C(:*)); empty in check mode for a group that would be created.
      type: str
      sample: arn:aws:logs:eu-west-1:123456789012:log-group:/aws/ec2/prod-atelier/backend
    retention_in_days:
      description: Days the events are kept, C(0) for ever.
      type: int
      sample: 365
    kms_key_id:
      description: The ARN of the KMS key, empty for CloudWatch Logs' own encryption.
      type: str
      sample: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    tags:
      description: The log group's tags.
      type: dict
      sample: {"atelier:env": "prod"}
msg:
  description: What the module did, or would have done in check mode.
  returned: always
  type: str
  sample: "Would have created the log group /aws/ec2/prod-atelier/backend if not in check mode."
diff:
  description: The log group before and after the change.
  returned: when run with C(--diff)
  type: dict
  contains:
    before:
      description: The log group before, empty when it did not exist.
      type: dict
    after:
      description: The log group after, empty when it is deleted.
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import AnsibleCloudWatchLogsError
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import associate_kms_key
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import create_log_group
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import delete_log_group
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import delete_retention_policy
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import describe_key
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import describe_log_group
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import desired_view
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import disassociate_kms_key
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import is_key_arn
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import list_tags
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import log_group_view
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import option_errors
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import plan
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import put_retention_policy
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import tag_resource
from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch_logs import untag_resource


def actions(name, changed, before, after):
    """The run's action line for the plan callback: create, delete or update (with the settings that differ)."""
    if not changed:
        return []
    if not before:
        return [f"create log group {name}"]
    if not after:
        return [f"delete log group {name}"]
    differing = [key for key in ("retention_in_days", "kms_key_id", "tags") if before.get(key) != after.get(key)]
    return [f"update log group {name}: " + ", ".join(differing)]


def finish(module, changed, before, after, msg):
    result = {"changed": changed, "log_group": after, "msg": msg,
              "actions": actions(module.params["name"], changed, before, after)}
    if module._diff:
        result["diff"] = {"before": before, "after": after}
    module.exit_json(**result)


def find(module, client):
    """The log group's view ({} when there is none)."""
    try:
        group = describe_log_group(client, module.params["name"])
        return log_group_view(group, list_tags(client, log_group_view(group)["arn"]) if group else None)
    except AnsibleCloudWatchLogsError as e:
        module.fail_json_aws_error(e)


def key_arn(module):
    """The ARN of the key the options name: None when not given, "" for none."""
    key = module.params["kms_key"]
    if key is None or key == "" or is_key_arn(key):
        return key
    try:
        metadata = describe_key(module.client("kms"), key)
    except AnsibleCloudWatchLogsError as e:
        module.fail_json_aws_error(e)
    if not metadata:
        module.fail_json(msg=f"The KMS key {key} does not exist in {module.region}: create it first, or give another kms_key.")
    return metadata["Arn"]


def apply(module, client, before, after, steps):
    name = module.params["name"]
    arn = before.get("arn")
    if "create" in steps:
        create_log_group(client, name, after["kms_key_id"] or None, after["tags"])
    if "put_retention" in steps:
        put_retention_policy(client, name, after["retention_in_days"])
    if "delete_retention" in steps:
        delete_retention_policy(client, name)
    if "associate_key" in steps:
        associate_kms_key(client, name, after["kms_key_id"])
    if "disassociate_key" in steps:
        disassociate_kms_key(client, name)
    if "untag" in steps:
        untag_resource(client, arn, sorted(set(before["tags"]) - set(after["tags"])))
    if "tag" in steps:
        tag_resource(client, arn, {k: v for k, v in after["tags"].items() if before["tags"].get(k) != v})


def ensure_present(module, client, before):
    name = module.params["name"]
    after = desired_view(
        before, name, module.params["retention"], key_arn(module), module.params["tags"], module.params["purge_tags"]
    )
    steps = plan(before, after)
    if not steps:
        finish(module, False, before, before, f"The log group {name} is as described.")
    verb = "created" if not before else "updated (" + ", ".join(steps) + ")"
    if module.check_mode:
        finish(module, True, before, after, f"Would have {verb} the log group {name} if not in check mode.")
    try:
        apply(module, client, before, after, steps)
    except AnsibleCloudWatchLogsError as e:
        if before or not already_exists(e):
            module.fail_json_aws_error(e)
        adopt(module, client)
    finish(module, True, before, find(module, client), f"The log group {name} was {verb}.")


def already_exists(error):
    response = getattr(error.exception, "response", None) or {}
    return response.get("Error", {}).get("Code") == "ResourceAlreadyExistsException"


def adopt(module, client):
    """The create was refused because the log group exists: made by a first request whose answer was lost (botocore
    retried it) or by a run beside this one. Converge that log group instead of failing (CreateLogGroup takes no
    idempotency token; the name is the identity)."""
    found = find(module, client)
    after = desired_view(
        found, module.params["name"], module.params["retention"], key_arn(module), module.params["tags"],
        module.params["purge_tags"],
    )
    try:
        apply(module, client, found, after, plan(found, after))
    except AnsibleCloudWatchLogsError as e:
        module.fail_json_aws_error(e)


def ensure_absent(module, client, before):
    name = module.params["name"]
    if not before:
        finish(module, False, {}, {}, f"No log group {name}, nothing to delete.")
    if module.check_mode:
        finish(module, True, before, {}, f"Would have deleted the log group {name} if not in check mode.")
    try:
        delete_log_group(client, name)
    except AnsibleCloudWatchLogsError as e:
        module.fail_json_aws_error(e)
    finish(module, True, before, {}, f"Deleted the log group {name}.")


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        retention=dict(type="int"),
        kms_key=dict(type="str", no_log=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    errors = option_errors(module.params)
    if errors:
        module.fail_json(msg="; ".join(errors), errors=errors)

    client = module.client("logs")
    before = find(module, client)
    if module.params["state"] == "present":
        ensure_present(module, client, before)
    else:
        ensure_absent(module, client, before)


if __name__ == "__main__":
    main()
