# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The logging role's logic: its input checks, the logs key's policy, the log bucket's policy, outputs and kept."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import logging_role
from ansible_collections.atelier.infra.plugins.module_utils import stack

ACCOUNT = "123456789012"


def good(**more):
    inputs = {"logging_name_prefix": "prod-atelier", "logging_bucket_retention_days": 365, "logging_key_deletion_window_days": 30}
    inputs.update(more)
    return inputs


def test_good_inputs_have_no_errors():
    assert logging_role.errors(good()) == []
    assert logging_role.errors(good(logging_bucket_retention_days=0, logging_key_deletion_window_days="7")) == []


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"logging_name_prefix": "Prod"}, "logging_name_prefix must be 1-40 lowercase letters"),
        ({"logging_name_prefix": None}, "logging_name_prefix must be"),
        ({"logging_bucket_retention_days": -1}, "logging_bucket_retention_days must be a whole number of days"),
        ({"logging_bucket_retention_days": "a year"}, "logging_bucket_retention_days must be a whole number"),
        ({"logging_key_deletion_window_days": 3}, "logging_key_deletion_window_days must be 7 to 30 days, got 3"),
        ({"logging_key_deletion_window_days": 31}, "logging_key_deletion_window_days must be 7 to 30 days"),
    ],
)
def test_bad_inputs(change, fragment):
    assert any(fragment in e for e in logging_role.errors(good(**change))), logging_role.errors(good(**change))


def test_the_key_policy_lets_cloudwatch_logs_use_the_key_for_the_stacks_log_groups_only():
    policy = logging_role.key_policy("prod-atelier", "aws", ACCOUNT, "eu-west-1")
    admin, logs = policy["Statement"]
    assert admin["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"} and admin["Action"] == "kms:*"
    assert logs["Principal"] == {"Service": "logs.eu-west-1.amazonaws.com"}
    assert set(logs["Action"]) == {"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"}
    groups = logs["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
    names = stack.stack_names("prod-atelier", "web")
    assert groups == [
        f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:{names['flow_log_group']}",
        f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/aws/ec2/prod-atelier/*",
    ]
    # Every tier's log group (the contract's name) is covered by the pattern, another stack's is not.
    assert names["log_group"].startswith("/aws/ec2/prod-atelier/")
    assert not stack.stack_names("prod-other", "web")["log_group"].startswith("/aws/ec2/prod-atelier/")


@pytest.mark.parametrize(
    "partition, region, principal, condition",
    [
        ("aws", "eu-west-1", {"AWS": "arn:aws:iam::156460612806:root"}, None),
        ("aws", "us-east-1", {"AWS": "arn:aws:iam::127311923021:root"}, None),
        ("aws", "eu-central-2", {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}, {"StringEquals": {"aws:SourceAccount": ACCOUNT}}),
        ("aws-cn", "cn-north-1", {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}, {"StringEquals": {"aws:SourceAccount": ACCOUNT}}),
    ],
)
def test_the_bucket_policy_is_tls_only_and_lets_the_regions_elb_writer_put_the_stacks_access_logs(partition, region, principal, condition):
    policy = logging_role.bucket_policy("prod-atelier-logs", "prod-atelier", partition, ACCOUNT, region)
    tls, writes = policy["Statement"]
    arn = f"arn:{partition}:s3:::prod-atelier-logs"
    assert tls["Effect"] == "Deny" and tls["Principal"] == "*" and tls["Resource"] == [arn, f"{arn}/*"]
    assert tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert writes["Effect"] == "Allow" and writes["Action"] == "s3:PutObject" and writes["Principal"] == principal
    assert writes.get("Condition") == condition
    assert writes["Resource"] == f"{arn}/prod-atelier/alb/*/AWSLogs/{ACCOUNT}/*"
    # The alb role's prefix for a tier (stack contract) lies under it.
    assert stack.stack_names("prod-atelier", "web")["alb_log_prefix"] == "prod-atelier/alb/web"


def test_outputs_and_what_a_teardown_keeps():
    names = stack.stack_names("prod-atelier")
    out = logging_role.outputs(names, {"key_arn": "arn:aws:kms:eu-west-1:1:key/k"}, True, "eu-west-1")
    assert out["key_alias"] == "alias/prod-atelier-logs" and out["bucket_domain"] == "prod-atelier-logs.s3.amazonaws.com"
    assert len(out["summary"]) == 2
    assert logging_role.outputs(names, None, False, "eu-west-1") == {
        "key_alias": "", "key_arn": "", "bucket": "", "bucket_domain": "", "summary": []}
    kept = logging_role.kept(names, True, True)
    assert [line.split(" (")[0] for line in kept] == ["S3 bucket prod-atelier-logs", "KMS key alias/prod-atelier-logs"]
    assert logging_role.kept(names, True, True, delete_data=True) == []
    assert logging_role.kept(names, False, False) == []
