# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The backup role's logic (the filters of plugins/filter/backup_role.py).

* ``names``: the vault, plan, selection and IAM role of a stack, from its name prefix (the stack contract);
* ``errors`` checks the role's inputs (the ``backup_*`` variables as one dict) for what its argument spec cannot;
* ``trust_policy``: AWS Backup (``backup.amazonaws.com``) may assume the role only for this account
  (``aws:SourceAccount``) and its own resources (``aws:SourceArn`` ``arn:<partition>:backup:*:<account>:*``): the
  confused-deputy protection AWS documents for service roles;
* ``rules``: the plan's rules (amazon.aws ``backup_plan``'s ``rules``), ``selection``: the resources and the
  conditions on the stack's ownership tags (amazon.aws ``backup_selection``'s ``resources`` / ``conditions``);
* ``outputs`` and ``kept``: what the role publishes, what a teardown keeps and why.

Pure Python: no boto3, no Ansible imports.
"""

import json
import re
from collections.abc import Mapping

from ansible_collections.atelier.infra.plugins.module_utils import stack

P = "backup_"
# AWS Backup's schedule: a cron expression of six fields (minutes hours day-of-month month day-of-week year).
SCHEDULE = re.compile(r"^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$")
KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-zA-Z-]+$")
WHOLE = re.compile(r"^[0-9]+$")
# What the selection covers, by resource type: the ARN patterns of the stack's data stores.
RESOURCE_ARNS = {
    "dynamodb": "arn:{partition}:dynamodb:*:*:table/*",
    "rds": "arn:{partition}:rds:*:*:db:*",
    "ebs": "arn:{partition}:ec2:*:*:volume/*",
}
# AWS's managed policies of the AWS Backup service role (backups and restores).
MANAGED_POLICIES = (
    "arn:{partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    "arn:{partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
)
# AWS Backup's limits: a recovery point in cold storage stays there at least 90 days; retention at most 100 years.
COLD_MINIMUM_DAYS = 90
MAX_DAYS = 36500


def names(prefix):
    """The stack's backup names: the vault and the plan carry the prefix, the role ``<prefix>-backup``."""
    return {
        "backup_vault": prefix,
        "backup_plan": prefix,
        "backup_selection": f"{prefix}-data",
        "backup_role": f"{prefix}-backup",
    }


def _whole(value):
    return int(value) if not isinstance(value, bool) and WHOLE.match(str(value).strip()) else None


def errors(inputs):
    """What is wrong with the backup role's inputs (a dict of the backup_* variables), beyond types and choices;
    empty when all is well. Keys it does not know are ignored."""
    inputs = dict(inputs or {})
    found = []
    prefix = inputs.get(P + "name_prefix")
    if not isinstance(prefix, str) or not stack.PREFIX.match(prefix):
        found.append(f"{P}name_prefix must be 1-40 lowercase letters, digits and single hyphens starting with a letter, got {prefix!r}")
    schedule = inputs.get(P + "schedule", "")
    if not isinstance(schedule, str) or not SCHEDULE.match(schedule.strip()):
        found.append(f"{P}schedule must be an AWS Backup cron expression of six fields such as 'cron(0 5 ? * * *)', got {schedule!r}")
    retention = _whole(inputs.get(P + "retention_days", 35))
    if retention is None or not 1 <= retention <= MAX_DAYS:
        found.append(f"{P}retention_days must be a whole number of days from 1 to {MAX_DAYS}, got {inputs.get(P + 'retention_days')!r}")
    cold = _whole(inputs.get(P + "cold_storage_after_days", 0))
    if cold is None or cold > MAX_DAYS:
        found.append(
            f"{P}cold_storage_after_days must be a whole number of days (0: no cold storage), got {inputs.get(P + 'cold_storage_after_days')!r}"
        )
    elif cold and retention is not None and retention < cold + COLD_MINIMUM_DAYS:
        found.append(
            f"{P}retention_days ({retention}) must be at least {P}cold_storage_after_days + {COLD_MINIMUM_DAYS} "
            f"({cold + COLD_MINIMUM_DAYS}): AWS Backup keeps a recovery point at least {COLD_MINIMUM_DAYS} days in cold storage"
        )
    key = inputs.get(P + "kms_key_arn", "")
    if key not in ("", None) and (not isinstance(key, str) or not KMS_KEY_ARN.match(key)):
        found.append(f"{P}kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) or '' for AWS's default key, got {key!r}")
    types = inputs.get(P + "resource_types", list(RESOURCE_ARNS))
    if not isinstance(types, list) or not types:
        found.append(f"{P}resource_types must name at least one of {', '.join(RESOURCE_ARNS)}, got {types!r}")
    return found


def trust_policy(partition, account):
    """The role's trust policy: AWS Backup of this account only."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "backup.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": account},
                    "ArnLike": {"aws:SourceArn": f"arn:{partition}:backup:*:{account}:*"},
                },
            }
        ],
    }


def managed_policies(partition):
    """The AWS managed policies the role has."""
    return [arn.format(partition=partition) for arn in MANAGED_POLICIES]


def rules(vault, schedule, retention_days, cold_storage_after_days=0):
    """The plan's rule (amazon.aws backup_plan ``rules``; the module fills in the windows and the time zone)."""
    lifecycle = {"delete_after_days": int(retention_days)}
    if int(cold_storage_after_days or 0):
        lifecycle["move_to_cold_storage_after_days"] = int(cold_storage_after_days)
    return [
        {
            "rule_name": "daily",
            "target_backup_vault_name": vault,
            "schedule_expression": schedule.strip(),
            "lifecycle": lifecycle,
        }
    ]


def selection(env, stack_name, resource_types, partition="aws"):
    """The selection: resources (ARN patterns of the types asked) and the conditions on the ownership tags (all of
    them: only this stack's data stores), as amazon.aws backup_selection takes them."""
    resources = [RESOURCE_ARNS[kind].format(partition=partition) for kind in resource_types if kind in RESOURCE_ARNS]
    equals = [
        {"condition_key": f"aws:ResourceTag/{stack.TAG_ENV}", "condition_value": env},
        {"condition_key": f"aws:ResourceTag/{stack.TAG_STACK}", "condition_value": stack_name},
    ]
    return {"resources": resources, "conditions": {"string_equals": equals}}


def settings(inputs, env, stack_name, partition="aws", account=""):
    """Everything the role converges, from its inputs (the backup_* variables): names, the role's trust and managed
    policies (with the account), the plan's rules and the selection."""
    inputs = dict(inputs or {})
    found = names(inputs.get(P + "name_prefix"))
    chosen = selection(env, stack_name, inputs.get(P + "resource_types") or list(RESOURCE_ARNS), partition)
    return {
        "names": found,
        "trust_policy": trust_policy(partition, account) if account else {},
        "managed_policies": managed_policies(partition),
        "rules": rules(found["backup_vault"], inputs.get(P + "schedule", ""), inputs.get(P + "retention_days", 35),
                       inputs.get(P + "cold_storage_after_days", 0)),
        "resources": chosen["resources"],
        "conditions": chosen["conditions"],
    }


def outputs(backup_names, vault_arn, plan_id, role_arn, retention_days, schedule):
    """backup_outputs: the vault, plan and role, and the summary line."""
    return {
        "vault_name": backup_names["backup_vault"],
        "vault_arn": vault_arn,
        "plan_name": backup_names["backup_plan"],
        "plan_id": plan_id,
        "role_arn": role_arn,
        "retention_days": int(retention_days),
        "summary": [
            f"AWS Backup: plan {backup_names['backup_plan']} {schedule} to vault {backup_names['backup_vault']}, "
            f"kept {int(retention_days)} days"
        ],
    }


def kept(backup_names, vault_found, recovery_points, delete_data):
    """What a teardown keeps: the vault while it holds recovery points, unless the teardown deletes the data."""
    if not vault_found or delete_data or not recovery_points:
        return []
    return [
        f"{backup_names['backup_vault']} (AWS Backup vault: holds {int(recovery_points)} recovery points; set backup_delete_data or "
        "atelier_teardown_delete_data to delete them and the vault)"
    ]


def plan_would_change(check_result, found_plans, purge_tags=True):
    """Whether amazon.aws.backup_plan's CHECK-MODE result (check_result) is a real change of the plan found by
    amazon.aws.backup_plan_info (found_plans): amazon.aws 10 reports every tagged plan as changed in check mode (it
    answers before comparing the tags), so the rules, advanced settings and tags are compared here as the module
    compares them when it runs (rules without their rule_id, JSON with sorted keys; tags with purge_tags).
    A failed or unexpected result keeps its own verdict."""
    if not isinstance(check_result, Mapping) or not check_result.get("changed") or "backup_plan" not in check_result:
        return bool(isinstance(check_result, Mapping) and check_result.get("changed"))
    found = [p for p in found_plans or [] if isinstance(p, Mapping)]
    if not found:
        return True
    existing, wanted = found[0].get("backup_plan") or {}, check_result["backup_plan"] or {}

    def dumped(rules):
        return json.dumps([{k: v for k, v in rule.items() if k != "rule_id"} for rule in rules or []], sort_keys=True)

    if dumped(existing.get("rules")) != dumped(wanted.get("rules")):
        return True
    if json.dumps(existing.get("advanced_backup_settings") or [], sort_keys=True) != json.dumps(
            wanted.get("advanced_backup_settings") or [], sort_keys=True):
        return True
    have, want = dict(found[0].get("tags") or {}), wanted.get("tags")
    if want is None:
        return False
    want = dict(want)
    return any(have.get(k) != v for k, v in want.items()) or bool(purge_tags and set(have) - set(want))
