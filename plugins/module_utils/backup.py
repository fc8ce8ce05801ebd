# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
Wrappers around the AWS Backup API calls used by atelier.infra.backup_recovery_points.

Every function is one boto3 call (paginated inside) with amazon.aws' retry decorator and an error handler that turns
botocore exceptions into AnsibleBackupError, following the pattern of amazon.aws module_utils/ec2.py. AWS Backup
answers AccessDeniedException (not ResourceNotFoundException) for a vault that does not exist, even to a caller
allowed to read it (amazon.aws backup_vault reads it the same way): both mean "no such vault" here.
"""

from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES

VAULT_MISSING = ["AccessDeniedException", "ResourceNotFoundException"]


class AnsibleBackupError(AnsibleAWSError):
    pass


class BackupErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleBackupError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(VAULT_MISSING)


@BackupErrorHandler.list_error_handler("describe backup vault", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_backup_vault(client, name: str) -> Optional[Dict[str, Any]]:
    """The vault, or None when it does not exist."""
    return client.describe_backup_vault(BackupVaultName=name)


@BackupErrorHandler.list_error_handler("list recovery points", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_recovery_points(client, vault: str) -> List[Dict[str, Any]]:
    """Every recovery point of the vault ([] when the vault does not exist)."""
    paginator = client.get_paginator("list_recovery_points_by_backup_vault")
    return paginator.paginate(BackupVaultName=vault).build_full_result().get("RecoveryPoints", [])


@BackupErrorHandler.deletion_error_handler("delete recovery point")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def delete_recovery_point(client, vault: str, arn: str) -> bool:
    client.delete_recovery_point(BackupVaultName=vault, RecoveryPointArn=arn)
    return True
