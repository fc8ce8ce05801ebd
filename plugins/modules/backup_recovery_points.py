#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: backup_recovery_points
version_added: 0.1.0
short_description: List or delete the recovery points of an AWS Backup vault
description:
  - Lists the recovery points of an AWS Backup vault (O(state=query)) or deletes every one of them (O(state=absent)),
    so that the vault can be deleted (AWS refuses to delete a vault that holds recovery points).
  - M(amazon.aws.backup_vault) deletes only an empty vault, M(amazon.aws.backup_vault_info) does not count or list
    recovery points, and neither amazon.aws nor community.aws (10.0.0) has a module that lists or deletes recovery
    points; this module fills that gap for a teardown that was asked to delete the backups.
  - A vault that does not exist is not an error - RV(exists=false), nothing listed or changed.
author:
  - Atelier infra developers (@atelier-infra)
options:
  backup_vault_name:
    description:
      - The name of the vault.
    required: true
    type: str
  state:
    description:
      - V(query) lists the recovery points and changes nothing; V(absent) deletes every recovery point of the vault.
    type: str
    choices: [query, absent]
    default: query
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Returns the recovery points before and after the change when run with C(--diff).
    support: full
notes:
  - Deleting a recovery point deletes the backup it holds. A recovery point that is being deleted (C(DELETING)) is
    not deleted again.
  - AWS Backup answers AccessDeniedException for a vault that does not exist; the module reads it as "no such vault",
    as M(amazon.aws.backup_vault) does.
seealso:
  - module: amazon.aws.backup_vault
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Count the recovery points of the vault
  atelier.infra.backup_recovery_points:
    backup_vault_name: prod-atelier
  register: points

- name: Delete every recovery point, then the vault
  atelier.infra.backup_recovery_points:
    backup_vault_name: prod-atelier
    state: absent

- name: Delete the empty vault
  amazon.aws.backup_vault:
    backup_vault_name: prod-atelier
    state: absent
"""

RETURN = r"""
exists:
  description: Whether the vault exists.
  returned: always
  type: bool
  sample: true
recovery_points:
  description: The vault's recovery points before any deletion.
  returned: always
  type: list
  elements: dict
  contains:
    recovery_point_arn:
      description: The recovery point's ARN.
      type: str
    resource_arn:
      description: The ARN of the resource it backs up.
      type: str
    resource_type:
      description: The type of that resource (C(DynamoDB), C(RDS), C(EBS), ...).
      type: str
    status:
      description: C(COMPLETED), C(PARTIAL), C(DELETING), C(EXPIRED) or C(AVAILABLE).
      type: str
  sample: [{"recovery_point_arn": "arn:aws:backup:eu-west-1:123456789012:recovery-point:1a2b", "resource_arn":
            "arn:aws:dynamodb:eu-west-1:123456789012:table/prod-atelier-AtelierDB", "resource_type": "DynamoDB",
            "status": "COMPLETED"}]
actions:
  description: One line per recovery point deleted (in check mode, that would be deleted).
  returned: always
  type: list
  elements: str
  sample: ["delete recovery point arn:aws:backup:eu-west-1:123456789012:recovery-point:1a2b"]
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.backup import AnsibleBackupError
from ansible_collections.atelier.infra.plugins.module_utils.backup import delete_recovery_point
from ansible_collections.atelier.infra.plugins.module_utils.backup import describe_backup_vault
from ansible_collections.atelier.infra.plugins.module_utils.backup import list_recovery_points

FIELDS = (("RecoveryPointArn", "recovery_point_arn"), ("ResourceArn", "resource_arn"), ("ResourceType", "resource_type"),
          ("Status", "status"))


def summary(point):
    """A recovery point as the module returns it."""
    return {snake: point.get(camel, "") for camel, snake in FIELDS}


def run(module, client):
    """Read the vault's recovery points and, with state=absent, delete them; return the result."""
    vault = module.params["backup_vault_name"]
    if describe_backup_vault(client, vault) is None:
        return dict(changed=False, exists=False, recovery_points=[], actions=[])
    points = [summary(p) for p in list_recovery_points(client, vault)]
    doomed = [p for p in points if p["status"] != "DELETING"] if module.params["state"] == "absent" else []
    if not module.check_mode:
        for point in doomed:
            delete_recovery_point(client, vault, point["recovery_point_arn"])
    result = dict(
        changed=bool(doomed),
        exists=True,
        recovery_points=points,
        actions=[f"delete recovery point {p['recovery_point_arn']}" for p in doomed],
    )
    if module._diff:
        gone = {p["recovery_point_arn"] for p in doomed}
        after = [p["recovery_point_arn"] for p in points if p["recovery_point_arn"] not in gone]
        result["diff"] = {"before": {"recovery_points": [p["recovery_point_arn"] for p in points]}, "after": {"recovery_points": after}}
    return result


def main():
    argument_spec = dict(
        backup_vault_name=dict(type="str", required=True),
        state=dict(type="str", choices=["query", "absent"], default="query"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("backup")
    try:
        module.exit_json(**run(module, client))
    except AnsibleBackupError as e:
        module.fail_json_aws_error(e)


if __name__ == "__main__":
    main()
