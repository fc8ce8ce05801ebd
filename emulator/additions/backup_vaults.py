"""AWS Backup vaults as AWS answers for them: a missing vault is AccessDeniedException, a vault counts its recovery
points, StartBackupJob / ListRecoveryPointsByBackupVault / DeleteRecoveryPoint, and no DeleteBackupVault of a vault
that holds recovery points.

AWS: DescribeBackupVault and ListRecoveryPointsByBackupVault of a vault that does not exist answer
``AccessDeniedException`` (HTTP 403) "Insufficient privileges to perform this action." even to a caller allowed to
read it (amazon.aws ``backup_vault`` takes that answer for "no such vault"); DescribeBackupVault always gives
``NumberOfRecoveryPoints``. StartBackupJob (``PUT /backup-jobs``) backs up one resource into a vault (a recovery point,
``RecoveryPointArn``; the job completes later); ListRecoveryPointsByBackupVault lists them (``ResourceArn``,
``ResourceType``, ``Status``, ``Lifecycle``, ...); DeleteRecoveryPoint deletes one. DeleteBackupVault of a vault that
still holds recovery points is ``InvalidRequestException`` and keeps it.

moto 5.2.5: ``BackupBackend.describe_backup_vault`` (moto/backup/models.py) raises ``ResourceNotFoundException``
(HTTP 400) for a missing vault, so amazon.aws ``backup_vault`` fails ("Unable to get vault facts") instead of
creating it; the answer has no ``NumberOfRecoveryPoints`` (``Vault.num_of_recovery_points`` is not a member name);
``BackupResponse`` (moto/backup/responses.py) has no ``start_backup_job``, ``list_recovery_points_by_backup_vault``
nor ``delete_recovery_point`` and moto/backup/urls.py no route for them (HTTP 404); ``delete_backup_vault`` deletes
any vault.

What this addition does: answers AccessDeniedException for a missing vault (DescribeBackupVault,
ListRecoveryPointsByBackupVault, StartBackupJob), adds ``NumberOfRecoveryPoints``, keeps recovery points on the
backend instance (``/moto-api/reset`` drops them; a job's recovery point is ``COMPLETED`` at once), adds the routes
and the three operations, and refuses ``delete_backup_vault`` of a vault with recovery points.

References: https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeBackupVault.html
            https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartBackupJob.html
            https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListRecoveryPointsByBackupVault.html
            https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DeleteRecoveryPoint.html
            https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DeleteBackupVault.html
"""

import json
from urllib.parse import unquote

from moto.backup import urls as backup_urls
from moto.backup.exceptions import InvalidRequestException, ResourceNotFoundException
from moto.backup.models import BackupBackend
from moto.backup.responses import BackupResponse
from moto.core.exceptions import JsonRESTError
from moto.core.utils import unix_time
from moto.moto_api._internal import mock_random
from moto.utilities.utils import get_partition

_ORIGINAL = {}
# The ResourceType of a recovery point, by the service (and resource) of the resource's ARN.
RESOURCE_TYPES = {"dynamodb": "DynamoDB", "rds": "RDS", "ec2": "EBS", "elasticfilesystem": "EFS", "s3": "S3"}


class AccessDeniedException(JsonRESTError):
    code = 403

    def __init__(self) -> None:
        super().__init__("AccessDeniedException", "Insufficient privileges to perform this action.")


def _points(backend: BackupBackend) -> dict:
    """The backend's recovery points: vault name -> recovery point ARN -> its ListRecoveryPointsByBackupVault entry."""
    if not hasattr(backend, "atelier_recovery_points"):
        backend.atelier_recovery_points = {}
    return backend.atelier_recovery_points


def _vault(backend: BackupBackend, name: str):
    vault = backend.vaults.get(name)
    if vault is None:
        raise AccessDeniedException()
    return vault


def _json(body: dict):
    return 200, {"Content-Type": "application/json"}, json.dumps(body)


def _vault_name(path: str) -> str:
    return unquote(path.split("/backup-vaults/", 1)[1].split("/", 1)[0])


def _describe_backup_vault(self):
    backend = self.backup_backend
    vault = _vault(backend, _vault_name(self.path))
    answer = vault.to_list_dict()
    answer["NumberOfRecoveryPoints"] = len(_points(backend).get(vault.backup_vault_name, {}))
    answer.setdefault("VaultType", "BACKUP_VAULT")
    answer.setdefault("VaultState", "AVAILABLE")
    return _json(answer)


def _start_backup_job(self):
    backend = self.backup_backend
    params = json.loads(self.body or "{}")
    vault = _vault(backend, params.get("BackupVaultName", ""))
    resource = params.get("ResourceArn", "")
    partition = get_partition(backend.region_name)
    arn = f"arn:{partition}:backup:{backend.region_name}:{backend.account_id}:recovery-point:{mock_random.uuid4()}"
    now = unix_time()
    service = resource.split(":")[2] if resource.count(":") >= 5 else ""
    _points(backend).setdefault(vault.backup_vault_name, {})[arn] = {
        "RecoveryPointArn": arn,
        "BackupVaultName": vault.backup_vault_name,
        "BackupVaultArn": vault.backup_vault_arn,
        "ResourceArn": resource,
        "ResourceType": RESOURCE_TYPES.get(service, service),
        "CreatedBy": {},
        "IamRoleArn": params.get("IamRoleArn", ""),
        "Status": "COMPLETED",
        "CreationDate": now,
        "CompletionDate": now,
        "BackupSizeInBytes": 0,
        "Lifecycle": params.get("Lifecycle") or {},
        "EncryptionKeyArn": vault.encryption_key_arn or "",
        "IsEncrypted": True,
    }
    return _json({"BackupJobId": str(mock_random.uuid4()), "RecoveryPointArn": arn, "CreationDate": now})


def _list_recovery_points_by_backup_vault(self):
    backend = self.backup_backend
    vault = _vault(backend, _vault_name(self.path))
    return _json({"RecoveryPoints": list(_points(backend).get(vault.backup_vault_name, {}).values())})


def _delete_recovery_point(self):
    backend = self.backup_backend
    vault = _vault(backend, _vault_name(self.path))
    arn = unquote(self.path.split("/recovery-points/", 1)[1])
    points = _points(backend).get(vault.backup_vault_name, {})
    if arn not in points:
        raise ResourceNotFoundException(msg=f"Recovery point {arn} not found")
    del points[arn]
    return 200, {"Content-Type": "application/json"}, "{}"


def _delete_backup_vault(self, backup_vault_name: str) -> None:
    held = len(_points(self).get(backup_vault_name, {}))
    if held:
        raise InvalidRequestException(msg=f"Backup vault cannot be deleted (contains {held} recovery points)")
    _points(self).pop(backup_vault_name, None)
    _ORIGINAL["delete_backup_vault"](self, backup_vault_name)


def apply() -> None:
    """Add the routes and operations of recovery points; answer for a missing vault as AWS does."""
    backup_urls.url_paths["{0}/backup-jobs$"] = BackupResponse.dispatch
    backup_urls.url_paths["{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/$"] = BackupResponse.dispatch
    backup_urls.url_paths["{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/(?P<arn>.+)$"] = BackupResponse.dispatch
    _ORIGINAL["delete_backup_vault"] = BackupBackend.delete_backup_vault
    BackupBackend.delete_backup_vault = _delete_backup_vault
    BackupResponse.describe_backup_vault = _describe_backup_vault
    BackupResponse.start_backup_job = _start_backup_job
    BackupResponse.list_recovery_points_by_backup_vault = _list_recovery_points_by_backup_vault
    BackupResponse.delete_recovery_point = _delete_recovery_point
