# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The logging role's logic: the checks of its inputs, the key policy of the stack's logs key and the policy of its
log bucket (the filters of plugins/filter/logging_role.py).

* ``errors`` checks the role's inputs (the ``logging_*`` variables as one dict) for what its argument spec cannot;
* ``key_policy``: the account administers the key (its IAM policies decide who may), and CloudWatch Logs
  (``logs.<region>.amazonaws.com``) may use it only for the stack's log groups - the condition
  ``kms:EncryptionContext:aws:logs:arn`` names the VPC flow-log group and the tiers' groups of the stack contract,
  which is CloudWatch Logs' confused-deputy protection (the encryption context is the log group's ARN, in this
  account);
* ``bucket_policy``: every request must use TLS, and Elastic Load Balancing may write the stack's ALB access logs
  (``s3:PutObject`` under ``<prefix>/alb/*/AWSLogs/<account>/``): the service principal
  ``logdelivery.elasticloadbalancing.amazonaws.com`` with ``aws:SourceAccount`` where AWS documents it (Regions opened
  from August 2022), the Region's Elastic Load Balancing account in the older Regions. CloudFront's standard logs
  (legacy) are written under the bucket's ACL (CloudFront grants the ``awslogsdelivery`` account when a distribution
  logs to it), not its policy.

Names come from the stack contract (module_utils/stack.py). Pure Python: no boto3, no Ansible imports.
"""

import re
from collections.abc import Mapping

from ansible_collections.atelier.infra.plugins.module_utils import stack
from ansible_collections.atelier.infra.plugins.module_utils.static_site import tls_only_statement

P = "logging_"
# The Elastic Load Balancing account of each Region opened before August 2022, which writes the access logs there
# (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html). Elsewhere the
# service principal writes them.
ELB_ACCOUNTS = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-southeast-3": "589379963580",
    "ap-south-1": "718504428378",
    "ap-northeast-3": "383597477331",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-south-1": "635631232127",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
}
ELB_LOG_DELIVERY = "logdelivery.elasticloadbalancing.amazonaws.com"
# What CloudWatch Logs does with a log group's key ("Encrypt log data in CloudWatch Logs using AWS KMS", step 2).
LOGS_KEY_ACTIONS = ["kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
PREFIX = re.compile(r"^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,39}$")
WHOLE = re.compile(r"^[0-9]+$")


def _whole(value):
    return int(value) if not isinstance(value, bool) and WHOLE.match(str(value).strip()) else None


def errors(inputs):
    """What is wrong with the logging role's inputs (a dict of the logging_* variables), beyond types and choices;
    empty when all is well. Keys it does not know are ignored."""
    inputs = dict(inputs or {})
    found = []
    prefix = inputs.get(P + "name_prefix")
    if not isinstance(prefix, str) or not PREFIX.match(prefix):
        found.append(f"{P}name_prefix must be 1-40 lowercase letters, digits and single hyphens starting with a letter, got {prefix!r}")
    elif not BUCKET.match(stack.data_names(prefix)["log_bucket"]):
        found.append(f"the log bucket name {stack.data_names(prefix)['log_bucket']} is not an S3 bucket name")
    days = inputs.get(P + "bucket_retention_days", 0)
    if _whole(days) is None:
        found.append(f"{P}bucket_retention_days must be a whole number of days (0 keeps the logs forever), got {days!r}")
    window = inputs.get(P + "key_deletion_window_days", 30)
    if _whole(window) is None or not 7 <= _whole(window) <= 30:
        found.append(f"{P}key_deletion_window_days must be 7 to 30 days, got {window!r}")
    return found


def log_group_arns(prefix, partition, account, region):
    """The ARNs of the stack's log groups (stack contract): the VPC flow-log group and every tier's container group."""
    network = stack.network_names(prefix)
    tiers = stack.tier_names(prefix, "*")
    return [
        f"arn:{partition}:logs:{region}:{account}:log-group:{name}" for name in (network["flow_log_group"], tiers["log_group"])
    ]


def key_policy(prefix, partition, account, region):
    """The policy of the stack's logs key (alias/<prefix>-logs)."""
    return {
        "Version": "2012-10-17",
        "Id": f"{prefix}-logs",
        "Statement": [
            {
                "Sid": "TheAccountAdministersTheKey",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:{partition}:iam::{account}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "CloudWatchLogsEncryptsTheStacksLogGroups",
                "Effect": "Allow",
                "Principal": {"Service": f"logs.{region}.amazonaws.com"},
                "Action": LOGS_KEY_ACTIONS,
                "Resource": "*",
                "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": log_group_arns(prefix, partition, account, region)}},
            },
        ],
    }


def _elb_writer(partition, account, region):
    """The Principal (and Condition) of the statement that lets ELB write access logs in the region."""
    if partition == "aws" and region in ELB_ACCOUNTS:
        return {"AWS": f"arn:aws:iam::{ELB_ACCOUNTS[region]}:root"}, None
    return {"Service": ELB_LOG_DELIVERY}, {"StringEquals": {"aws:SourceAccount": account}}


def bucket_policy(bucket, prefix, partition, account, region):
    """The policy of the stack's log bucket: TLS only, and ELB writes the stack's ALB access logs."""
    arn = f"arn:{partition}:s3:::{bucket}"
    alb_logs = stack.tier_names(prefix, "*")["alb_log_prefix"]
    principal, condition = _elb_writer(partition, account, region)
    writes = {
        "Sid": "ElasticLoadBalancingWritesTheStacksAccessLogs",
        "Effect": "Allow",
        "Principal": principal,
        "Action": "s3:PutObject",
        "Resource": f"{arn}/{alb_logs}/AWSLogs/{account}/*",
    }
    if condition:
        writes["Condition"] = condition
    return {
        "Version": "2012-10-17",
        "Statement": [
            tls_only_statement(arn),
            writes,
        ],
    }


def outputs(names, key, bucket_found, region):
    """logging_outputs: the key's alias and ARN, the bucket's name and domain (as CloudFront names it) and a summary."""
    key = key if isinstance(key, Mapping) else {}
    key_arn = key.get("key_arn") or ""
    lines = []
    if key_arn:
        lines.append(f"Logs key {names['logs_key_alias']} ({key_arn}), rotated yearly")
    if bucket_found:
        lines.append(f"Log bucket {names['log_bucket']} in {region} (ALB access logs, CloudFront standard logs)")
    return {
        "key_alias": names["logs_key_alias"] if key_arn else "",
        "key_arn": key_arn,
        "bucket": names["log_bucket"] if bucket_found else "",
        "bucket_domain": f"{names['log_bucket']}.s3.amazonaws.com" if bucket_found else "",
        "summary": lines,
    }


def kept(names, bucket_found, key_found, delete_data=False):
    """logging_kept: what a teardown keeps (the bucket holds the logs, the key protects the kept log groups) and why;
    nothing with delete_data."""
    if delete_data:
        return []
    lines = []
    if bucket_found:
        lines.append(
            f"S3 bucket {names['log_bucket']} (holds the ALB and CloudFront logs; logging_delete_data=true deletes it)"
        )
    if key_found:
        lines.append(
            f"KMS key {names['logs_key_alias']} (encrypts the kept log groups; logging_delete_data=true schedules "
            "its deletion)"
        )
    return lines
