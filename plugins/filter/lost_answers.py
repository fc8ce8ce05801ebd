# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters for the tasks whose create takes no idempotency token (see atelier.infra.aws_exists_already)."""

from collections.abc import Mapping

# The codes AWS answers a create of a name that exists (IAM, RDS, SSM, ECR, Auto Scaling, CloudWatch Logs, ...).
EXISTS_ALREADY = ("AlreadyExists", "ResourceExistsException")


def aws_exists_already(result):
    """True when a module run failed because AWS refused to create what exists already (its error code names an
    existing resource: EntityAlreadyExists, DBInstanceAlreadyExists, ParameterAlreadyExists,
    RepositoryAlreadyExistsException, AlreadyExists, ...). A create whose answer was lost is retried by botocore and
    refused so, although its first request made the resource: the task's second run adopts it by name."""
    if not isinstance(result, Mapping) or not result.get("failed"):
        return False
    error = result.get("error")
    code = str(error.get("code") or "") if isinstance(error, Mapping) else ""
    return any(part in code for part in EXISTS_ALREADY)


class FilterModule:
    """Lost-answer filters."""

    def filters(self):
        return {"aws_exists_already": aws_exists_already}
