# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The backup role's logic: its input checks, names, the role's trust policy, the plan's rule, the selection,
outputs and kept."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import backup_role

ACCOUNT = "123456789012"


def good(**more):
    inputs = {
        "backup_name_prefix": "prod-atelier",
        "backup_schedule": "cron(0 5 ? * * *)",
        "backup_retention_days": 35,
        "backup_cold_storage_after_days": 0,
        "backup_kms_key_arn": "",
        "backup_resource_types": ["dynamodb", "rds", "ebs"],
        "backup_outputs": {"ignored": True},
    }
    inputs.update(more)
    return inputs


def test_good_inputs_have_no_errors():
    assert backup_role.errors(good()) == []
    assert backup_role.errors(good(backup_retention_days="365", backup_cold_storage_after_days=30)) == []
    assert backup_role.errors(good(backup_kms_key_arn="arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")) == []


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"backup_name_prefix": "Prod"}, "backup_name_prefix must be 1-40 lowercase letters"),
        ({"backup_schedule": "rate(1 day)"}, "backup_schedule must be an AWS Backup cron expression of six fields"),
        ({"backup_schedule": "cron(0 5 * * *)"}, "backup_schedule must be an AWS Backup cron expression"),
        ({"backup_retention_days": 0}, "backup_retention_days must be a whole number of days from 1 to 36500, got 0"),
        ({"backup_retention_days": 36501}, "backup_retention_days must be a whole number of days from 1 to 36500"),
        ({"backup_retention_days": True}, "backup_retention_days must be a whole number"),
        ({"backup_cold_storage_after_days": -1}, "backup_cold_storage_after_days must be a whole number of days"),
        ({"backup_cold_storage_after_days": 30, "backup_retention_days": 119},
         "backup_retention_days (119) must be at least backup_cold_storage_after_days + 90 (120)"),
        ({"backup_kms_key_arn": "alias/aws/backup"}, "backup_kms_key_arn must be a KMS key ARN"),
        ({"backup_resource_types": []}, "backup_resource_types must name at least one of dynamodb, rds, ebs"),
    ],
)
def test_bad_inputs(change, fragment):
    found = backup_role.errors(good(**change))
    assert any(fragment in e for e in found), found


def test_names_derive_from_the_prefix():
    assert backup_role.names("prod-atelier") == {
        "backup_vault": "prod-atelier",
        "backup_plan": "prod-atelier",
        "backup_selection": "prod-atelier-data",
        "backup_role": "prod-atelier-backup",
    }


def test_the_trust_policy_is_aws_backup_of_this_account_only():
    statement = backup_role.trust_policy("aws", ACCOUNT)["Statement"]
    assert statement == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "backup.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": ACCOUNT},
                "ArnLike": {"aws:SourceArn": f"arn:aws:backup:*:{ACCOUNT}:*"},
            },
        }
    ]


def test_the_managed_policies_follow_the_partition():
    assert backup_role.managed_policies("aws-us-gov") == [
        "arn:aws-us-gov:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
        "arn:aws-us-gov:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    ]


def test_the_rule_keeps_the_days_and_moves_to_cold_storage_only_when_asked():
    assert backup_role.rules("v", " cron(0 3 ? * * *) ", "35") == [
        {"rule_name": "daily", "target_backup_vault_name": "v", "schedule_expression": "cron(0 3 ? * * *)",
         "lifecycle": {"delete_after_days": 35}}
    ]
    lifecycle = backup_role.rules("v", "cron(0 3 ? * * *)", 365, 30)[0]["lifecycle"]
    assert lifecycle == {"delete_after_days": 365, "move_to_cold_storage_after_days": 30}


def test_the_selection_covers_the_types_asked_of_this_stack_only():
    chosen = backup_role.selection("prod", "atelier", ["rds", "dynamodb"])
    assert chosen["resources"] == ["arn:aws:rds:*:*:db:*", "arn:aws:dynamodb:*:*:table/*"]
    assert chosen["conditions"] == {
        "string_equals": [
            {"condition_key": "aws:ResourceTag/atelier:env", "condition_value": "prod"},
            {"condition_key": "aws:ResourceTag/atelier:stack", "condition_value": "atelier"},
        ]
    }
    assert backup_role.selection("prod", "atelier", ["ebs"], "aws-cn")["resources"] == ["arn:aws-cn:ec2:*:*:volume/*"]


def test_settings_gather_everything_and_need_the_account_for_the_trust_policy():
    settings = backup_role.settings(good(backup_resource_types=["ebs"]), "prod", "atelier", "aws", ACCOUNT)
    assert settings["names"]["backup_role"] == "prod-atelier-backup"
    assert settings["trust_policy"]["Statement"][0]["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT}
    assert settings["rules"][0]["target_backup_vault_name"] == "prod-atelier"
    assert settings["resources"] == ["arn:aws:ec2:*:*:volume/*"]
    assert backup_role.settings(good(), "prod", "atelier")["trust_policy"] == {}


def test_outputs_and_their_summary():
    out = backup_role.outputs(backup_role.names("p"), "arn:v", "id", "arn:r", "35", "cron(0 5 ? * * *)")
    assert (out["vault_arn"], out["plan_id"], out["role_arn"], out["retention_days"]) == ("arn:v", "id", "arn:r", 35)
    assert out["summary"] == ["AWS Backup: plan p cron(0 5 ? * * *) to vault p, kept 35 days"]


@pytest.mark.parametrize(
    "found, points, delete, kept",
    [
        (True, 2, False, ["p (AWS Backup vault: holds 2 recovery points; set backup_delete_data or atelier_teardown_delete_data to delete them and the vault)"]),
        (True, 2, True, []),
        (True, 0, False, []),
        (False, 0, False, []),
    ],
)
def test_the_vault_is_kept_while_it_holds_recovery_points(found, points, delete, kept):
    assert backup_role.kept(backup_role.names("p"), found, points, delete) == kept
