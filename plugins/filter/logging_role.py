# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of the logging role: the checks of its inputs, the policies of the stack's logs key and log bucket, and
what it publishes.

The logic is plugins/module_utils/logging_role.py; the documentation of each filter is beside this file
(logging_errors.yml, logging_key_policy.yml, logging_bucket_policy.yml, logging_outputs.yml, logging_kept.yml).
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import logging_role
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import plain


def _text(name, what, value):
    if not isinstance(value, str) or not value:
        raise AnsibleFilterError(f"{name}: the {what} must be a non-empty string, got {value!r}")
    return value


def logging_errors(inputs):
    """What is wrong with the logging role's inputs that its argument spec cannot see; empty when all is well."""
    if not isinstance(inputs, Mapping):
        raise AnsibleFilterError(f"logging_errors: the role's inputs are a dict of logging_* names to values, got {type(inputs).__name__}")
    return logging_role.errors(plain(inputs))


def logging_key_policy(prefix, partition, account, region):
    """The key policy of the stack's logs key: the account administers it, CloudWatch Logs uses it for the stack's
    log groups only."""
    values = [_text("logging_key_policy", what, value) for what, value in
              (("name prefix", prefix), ("partition", partition), ("account", account), ("region", region))]
    return logging_role.key_policy(*values)


def logging_bucket_policy(bucket, prefix, partition, account, region):
    """The policy of the stack's log bucket: TLS only, and Elastic Load Balancing writes the stack's access logs."""
    values = [_text("logging_bucket_policy", what, value) for what, value in
              (("bucket", bucket), ("name prefix", prefix), ("partition", partition), ("account", account), ("region", region))]
    return logging_role.bucket_policy(*values)


def logging_outputs(names, key=None, bucket_found=False, region=""):
    """logging_outputs: the key's alias and ARN, the bucket's name and domain, and the summary lines."""
    if not isinstance(names, Mapping) or "logs_key_alias" not in names or "log_bucket" not in names:
        raise AnsibleFilterError("logging_outputs: expected the stack's names (atelier.infra.stack_names)")
    return logging_role.outputs(plain(names), plain(key) if isinstance(key, Mapping) else {}, bool(bucket_found), str(region))


def logging_kept(names, bucket_found=False, key_found=False, delete_data=False):
    """logging_kept: the bucket and the key a teardown keeps, and why."""
    if not isinstance(names, Mapping) or "logs_key_alias" not in names or "log_bucket" not in names:
        raise AnsibleFilterError("logging_kept: expected the stack's names (atelier.infra.stack_names)")
    return logging_role.kept(plain(names), bool(bucket_found), bool(key_found), bool(delete_data))


class FilterModule:
    """logging role filters."""

    def filters(self):
        return {
            "logging_errors": logging_errors,
            "logging_key_policy": logging_key_policy,
            "logging_bucket_policy": logging_bucket_policy,
            "logging_outputs": logging_outputs,
            "logging_kept": logging_kept,
        }
