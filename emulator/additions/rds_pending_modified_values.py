"""An engine version or CA certificate change without ApplyImmediately waits for the maintenance window; no downgrade.

AWS: ModifyDBInstance applies ``EngineVersion`` and ``CACertificateIdentifier`` "during the next maintenance window,
unless the ApplyImmediately parameter is enabled" (both restart the instance). Until then DescribeDBInstances keeps
the current value and shows the new one in ``PendingModifiedValues`` (``EngineVersion``, ``CACertificateIdentifier``);
a later ModifyDBInstance with ``ApplyImmediately`` true applies "this change and any pending changes" at once. A
lower engine version is refused (``InvalidParameterCombination``, "Cannot upgrade postgres from 15.18 to 15.5"), and
so is another major version without ``AllowMajorVersionUpgrade`` ("The AllowMajorVersionUpgrade flag must be present
when upgrading to a new major version.").

moto 5.2.5 (moto/rds/models.py): ``RDSBackend.modify_db_instance`` passes every argument to ``DBInstance.update``,
which sets it at once whatever ``ApplyImmediately`` says, ``PendingModifiedValues`` is never described, and any
version, lower or of another major, is accepted. A role that schedules an upgrade for the maintenance window could
not be told from one that restarts the database in the middle of the day.

What this addition does: without ``ApplyImmediately``, a changed ``EngineVersion`` or ``CACertificateIdentifier`` is
kept aside and described in ``PendingModifiedValues`` (the instance keeps its values); with it, the pending values
are applied together with the request's own. The version checks run first and change nothing when they refuse. The
maintenance window itself never comes in the emulator (moto has no clock for it): apply pending values with a
ModifyDBInstance that sets ``ApplyImmediately``.

Reference: https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html,
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_PendingModifiedValues.html,
https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.PostgreSQL.html
"""

import re
from typing import Any

from moto.rds.exceptions import RDSClientError
from moto.rds.models import DBInstance, RDSBackend

_ORIGINAL_MODIFY = RDSBackend.modify_db_instance

# ModifyDBInstance's deferred settings this addition keeps aside: request argument -> PendingModifiedValues member.
DEFERRED = {"engine_version": "EngineVersion", "ca_certificate_identifier": "CACertificateIdentifier"}


def _version(text: str) -> tuple[int, ...]:
    """(major, minor, ...) of an engine version such as 15.18 or 11.22-rds.20241121."""
    return tuple(int(part) for part in re.findall(r"\d+", str(text).split("-", 1)[0]))


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def _check_version(instance: DBInstance, wanted: str, allow_major: bool) -> None:
    current = _version(instance.engine_version)
    target = _version(wanted)
    if not current or not target or target == current:
        return
    if target < current:
        raise RDSClientError(
            "InvalidParameterCombination", f"Cannot upgrade {instance.engine} from {instance.engine_version} to {wanted}"
        )
    if target[0] != current[0] and not allow_major:
        raise RDSClientError(
            "InvalidParameterCombination",
            "The AllowMajorVersionUpgrade flag must be present when upgrading to a new major version.",
        )


def _pending(instance: DBInstance) -> dict[str, Any]:
    return instance.__dict__.setdefault("_atelier_pending", {})


def _modify_db_instance(self, db_instance_identifier: str, db_kwargs: dict[str, Any]) -> DBInstance:
    instance = self.describe_db_instances(db_instance_identifier)[0]
    if db_kwargs.get("engine_version"):
        _check_version(instance, db_kwargs["engine_version"], _truthy(db_kwargs.get("allow_major_version_upgrade")))
    pending = _pending(instance)
    if _truthy(db_kwargs.get("apply_immediately")):
        for key, value in pending.items():
            db_kwargs.setdefault(key, value)
        pending.clear()
    else:
        for key in DEFERRED:
            value = db_kwargs.pop(key, None)
            if value is not None and value != getattr(instance, key, None):
                pending[key] = value
            elif value is not None:
                pending.pop(key, None)  # asked for what it has: nothing is pending any more
    return _ORIGINAL_MODIFY(self, db_instance_identifier, db_kwargs)


def _pending_modified_values(self) -> dict[str, Any] | None:
    pending = self.__dict__.get("_atelier_pending") or {}
    return {DEFERRED[key]: value for key, value in pending.items()} or None


def apply() -> None:
    """Keep deferred engine version and CA changes pending, describe them, and refuse downgrades."""
    RDSBackend.modify_db_instance = _modify_db_instance
    DBInstance.pending_modified_values = property(_pending_modified_values)
