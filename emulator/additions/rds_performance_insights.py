"""Performance Insights settings of DB instances are kept on create and modify and described.

AWS: CreateDBInstance and ModifyDBInstance take ``EnablePerformanceInsights``, ``PerformanceInsightsKMSKeyId`` (key
ARN, key id, alias ARN or alias name; "If you don't specify a value ..., then Amazon RDS uses your default KMS key",
the account's ``aws/rds`` key) and ``PerformanceInsightsRetentionPeriod`` (7, the default; month * 31 for 1 to 23
months; or 731: "If you specify a retention period that isn't valid, such as 94, Amazon RDS returns an error").
DescribeDBInstances answers ``PerformanceInsightsEnabled`` (false when it is off) and, while it is on,
``PerformanceInsightsKMSKeyId`` as the key's ARN and ``PerformanceInsightsRetentionPeriod``.

moto 5.2.5 (moto/rds/models.py): ``DBInstance.__init__`` swallows the three arguments in ``**kwargs``, and
``DBInstance.update`` sets them as attributes under the request's names (``enable_performance_insights``), which
moto's serializer never reads: ``PerformanceInsightsEnabled`` is never described. amazon.aws ``rds_instance`` with
``enable_performance_insights: true`` compares it with the absent field and modifies the instance on every run.

What this addition does: properties on ``DBInstance`` keep the three settings from CreateDBInstance,
ModifyDBInstance (only the ones given) and snapshot restores, describe them as AWS does (the key resolved to its ARN
through moto's KMS backend; the ``aws/rds`` key, created as an AWS managed key when first needed, when none was
given; retention 7 by default), and refuse an invalid retention period (``InvalidParameterValue``) before changing
anything.

Reference: https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html,
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html,
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html
"""

from typing import Any

from moto.rds.exceptions import InvalidParameterValue
from moto.rds.models import DBInstance, RDSBackend

from emulator.additions._rds_kms import default_rds_key

_ORIGINAL_INIT = DBInstance.__init__
_ORIGINAL_CREATE = RDSBackend.create_db_instance
_ORIGINAL_MODIFY = RDSBackend.modify_db_instance

DEFAULT_RETENTION = 7
VALID_RETENTION = frozenset([7, 731] + [31 * month for month in range(1, 24)])


def _check_retention(kwargs: dict[str, Any]) -> None:
    period = kwargs.get("performance_insights_retention_period")
    if period is not None and int(period) not in VALID_RETENTION:
        raise InvalidParameterValue(
            f"Invalid Performance Insights retention period: {period}. Valid values are 7, month * 31 (where month is "
            "a number of months from 1-23), and 731."
        )


def _key_arn(instance: DBInstance, key_id: str | None) -> str | None:
    """The ARN of ``key_id`` (any form moto's KMS knows, else as given), or of the aws/rds key when None."""
    kms = instance.backend.kms
    if key_id is None:
        key_id = default_rds_key(kms)
    try:
        return kms.describe_key(key_id).arn
    except Exception:  # an unknown key: keep what the caller gave
        return key_id


def _get_enabled(self) -> bool:
    return bool(self.__dict__.get("_performance_insights_enabled", False))


def _set_enabled(self, value: Any) -> None:
    if value is not None:
        self.__dict__["_performance_insights_enabled"] = bool(value)


def _get_kms_key_id(self) -> str | None:
    if not _get_enabled(self):
        return None
    if self.__dict__.get("_performance_insights_kms_key_arn") is None:
        self.__dict__["_performance_insights_kms_key_arn"] = _key_arn(self, None)
    return self.__dict__["_performance_insights_kms_key_arn"]


def _set_kms_key_id(self, value: str | None) -> None:
    if value:
        self.__dict__["_performance_insights_kms_key_arn"] = _key_arn(self, value)


def _get_retention(self) -> int | None:
    if not _get_enabled(self):
        return None
    return self.__dict__.get("_performance_insights_retention", DEFAULT_RETENTION)


def _set_retention(self, value: Any) -> None:
    if value is not None:
        self.__dict__["_performance_insights_retention"] = int(value)


def _init(self, backend, *args: Any, **kwargs: Any) -> None:
    _ORIGINAL_INIT(self, backend, *args, **kwargs)
    # A restore from a snapshot passes the stored fields back under their attribute names.
    enabled = kwargs.get("enable_performance_insights", kwargs.get("performance_insights_enabled"))
    _set_enabled(self, enabled)
    _set_kms_key_id(self, kwargs.get("performance_insights_kms_key_id", kwargs.get("performance_insights_kms_key_arn")))
    _set_retention(
        self, kwargs.get("performance_insights_retention_period", kwargs.get("performance_insights_retention"))
    )


def _create_db_instance(self, db_kwargs: dict[str, Any]) -> DBInstance:
    _check_retention(db_kwargs)
    return _ORIGINAL_CREATE(self, db_kwargs)


def _modify_db_instance(self, db_instance_identifier: str, db_kwargs: dict[str, Any]) -> DBInstance:
    _check_retention(db_kwargs)
    return _ORIGINAL_MODIFY(self, db_instance_identifier, db_kwargs)


def apply() -> None:
    """Add the Performance Insights properties to DBInstance and check the retention period."""
    DBInstance.__init__ = _init
    enabled = property(_get_enabled, _set_enabled)
    DBInstance.performance_insights_enabled = enabled
    DBInstance.enable_performance_insights = enabled  # ModifyDBInstance sets the request's name
    DBInstance.performance_insights_kms_key_id = property(_get_kms_key_id, _set_kms_key_id)
    DBInstance.performance_insights_retention_period = property(_get_retention, _set_retention)
    RDSBackend.create_db_instance = _create_db_instance
    RDSBackend.modify_db_instance = _modify_db_instance
