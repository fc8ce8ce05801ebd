# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of the cicd role: its checks, its pipelines as data, the artifacts bucket's policy and what a teardown kept.

The logic is plugins/module_utils/cicd.py; the documentation of each filter is beside this file (cicd_names.yml, cicd_errors.yml,
cicd_pipelines.yml, cicd_removed.yml, cicd_bucket_policy.yml, cicd_kept.yml).
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import cicd
from ansible_collections.atelier.infra.plugins.module_utils import stack


def _inputs(inputs, name):
    if not isinstance(inputs, Mapping):
        raise AnsibleFilterError(f"{name}: the role's inputs are a dict of cicd_* names to values, got {type(inputs).__name__}")
    return inputs


def cicd_names(prefix, pipeline=None):
    """The delivery part's names from the stack contract (stack.cicd_names)."""
    if not isinstance(prefix, str) or not prefix:
        raise AnsibleFilterError(f"cicd_names: the name prefix must be a non-empty string, got {prefix!r}")
    return stack.cicd_names(prefix, pipeline)


def cicd_errors(inputs):
    """What is wrong with the cicd role's inputs, before any AWS call."""
    return cicd.errors(_inputs(inputs, "cicd_errors"))


def cicd_pipelines(inputs, caller):
    """Every pipeline with its names, ARNs, CodeBuild project, CodePipeline structure and service roles, for the
    account and partition of aws_caller_info's answer."""
    _inputs(inputs, "cicd_pipelines")
    if not isinstance(caller, Mapping) or not caller.get("account") or not str(caller.get("arn", "")).startswith("arn:"):
        raise AnsibleFilterError("cicd_pipelines: the caller is amazon.aws.aws_caller_info's answer (account and arn)")
    errors = cicd.errors(inputs)
    if errors:
        raise AnsibleFilterError(f"cicd_pipelines: {'; '.join(errors)}")
    return cicd.pipelines(inputs, caller["account"], str(caller["arn"]).split(":")[1])


def cicd_removed(inputs):
    """The names of what cicd_state absent removes, per pipeline."""
    return cicd.removed(_inputs(inputs, "cicd_removed"))


def cicd_bucket_policy(bucket, partition="aws"):
    """The artifacts bucket's policy: TLS only."""
    if not isinstance(bucket, str) or not bucket:
        raise AnsibleFilterError(f"cicd_bucket_policy: the bucket is a name, got {bucket!r}")
    return cicd.artifacts_bucket_policy(bucket, str(partition or "aws"))


def cicd_kept(bucket, objects, delete_data):
    """What the teardown kept and why (the artifacts bucket while it holds objects)."""
    try:
        count = int(objects or 0)
    except (TypeError, ValueError) as e:
        raise AnsibleFilterError(f"cicd_kept: the number of objects must be a whole number, got {objects!r}") from e
    return cicd.kept(str(bucket), count, bool(delete_data))


class FilterModule:
    """cicd role filters."""

    def filters(self):
        return {
            "cicd_names": cicd_names,
            "cicd_errors": cicd_errors,
            "cicd_pipelines": cicd_pipelines,
            "cicd_removed": cicd_removed,
            "cicd_bucket_policy": cicd_bucket_policy,
            "cicd_kept": cicd_kept,
        }
