"""gp3 DB instances describe their baseline Iops and StorageThroughput, and refuse them below the striping threshold.

AWS: a gp3 DB instance always has IOPS and throughput. Below the engine's threshold (400 GiB for Db2, MariaDB,
MySQL and PostgreSQL, 200 GiB for Oracle) the storage is one volume with the baseline 3,000 IOPS and 125 MiB/s, and
DescribeDBInstances reports ``Iops`` 3000 and ``StorageThroughput`` 125; at or above it the storage is striped and the
baseline is 12,000 IOPS and 500 MiB/s (SQL Server: 3,000 / 125 at any size). Below the threshold the values cannot be
set, not even to the baseline: CreateDBInstance / ModifyDBInstance with ``Iops`` or ``StorageThroughput`` fail with
``InvalidParameterCombination`` "You can't specify IOPS or storage throughput for engine postgres and a storage size
less than 400." (as AWS answers it in cloud-gov/terraform-provision#1556, cloudtools/troposphere#2141 and #2153).

moto 5.2.5 (moto/rds/models.py): ``DBInstance.__init__`` stores ``iops`` as given (None) and the
``storage_throughput`` setter keeps None unless a value was sent, so a gp3 instance describes neither field, and
any value is accepted at any size. amazon.aws ``rds_instance`` reads ``instance["StorageThroughput"]`` and
``instance["Iops"]`` for a gp3 instance on its second run and crashes with ``KeyError: 'StorageThroughput'``.

What this addition does: ``DBInstance.iops`` and ``DBInstance.storage_throughput`` answer the baseline for the size
and engine when the instance is gp3 and no value was set (computed when read, so a change of size or storage type
follows), and CreateDBInstance / ModifyDBInstance refuse explicit values for gp3 below the threshold.

Reference: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html#gp3-storage,
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html,
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html
"""

from typing import Any

from moto.rds.exceptions import InvalidParameterCombination
from moto.rds.models import DBInstance, RDSBackend

_ORIGINAL_THROUGHPUT = DBInstance.storage_throughput
_ORIGINAL_CREATE = RDSBackend.create_db_instance
_ORIGINAL_MODIFY = RDSBackend.modify_db_instance

SMALL_BASELINE = (3000, 125)
STRIPED_BASELINE = (12000, 500)


def _threshold(engine: str | None) -> int | None:
    """The allocated storage (GiB) from which gp3 is striped; None when it never is (SQL Server)."""
    engine = engine or ""
    if engine.startswith("sqlserver"):
        return None
    if engine.startswith("oracle"):
        return 200
    return 400


def _baseline(instance: DBInstance) -> tuple[int, int] | None:
    if getattr(instance, "storage_type", None) != "gp3":
        return None
    threshold = _threshold(instance.engine)
    size = int(getattr(instance, "_allocated_storage", 0) or 0)
    if threshold is not None and size >= threshold:
        return STRIPED_BASELINE
    return SMALL_BASELINE


def _get_iops(self) -> Any:
    value = self.__dict__.get("_iops")
    if value is None:
        baseline = _baseline(self)
        if baseline is not None:
            return baseline[0]
    return value


def _set_iops(self, value: Any) -> None:
    self.__dict__["_iops"] = value


def _get_storage_throughput(self) -> int | None:
    value = _ORIGINAL_THROUGHPUT.fget(self)
    if value is None:
        baseline = _baseline(self)
        if baseline is not None:
            return baseline[1]
    return value


def _refuse_below_threshold(engine: str, storage_type: str | None, size: Any, kwargs: dict[str, Any]) -> None:
    if storage_type != "gp3" or (kwargs.get("iops") is None and kwargs.get("storage_throughput") is None):
        return
    threshold = _threshold(engine)
    if threshold is not None and int(size or 0) < threshold:
        raise InvalidParameterCombination(
            f"You can't specify IOPS or storage throughput for engine {engine} and a storage size less than "
            f"{threshold}."
        )


def _create_db_instance(self, db_kwargs: dict[str, Any]) -> DBInstance:
    if db_kwargs.get("db_cluster_identifier") is None:
        _refuse_below_threshold(
            db_kwargs.get("engine"), db_kwargs.get("storage_type"), db_kwargs.get("allocated_storage"), db_kwargs
        )
    return _ORIGINAL_CREATE(self, db_kwargs)


def _modify_db_instance(self, db_instance_identifier: str, db_kwargs: dict[str, Any]) -> DBInstance:
    (database,) = self.describe_db_instances(db_instance_identifier)
    if getattr(database, "storage_type", None) is not None:
        _refuse_below_threshold(
            database.engine,
            db_kwargs.get("storage_type") or database.storage_type,
            db_kwargs.get("allocated_storage") or database.allocated_storage,
            db_kwargs,
        )
    return _ORIGINAL_MODIFY(self, db_instance_identifier, db_kwargs)


def apply() -> None:
    """Make Iops / StorageThroughput computed properties of DBInstance and check explicit values."""
    DBInstance.iops = property(_get_iops, _set_iops)
    DBInstance.storage_throughput = property(_get_storage_throughput, _ORIGINAL_THROUGHPUT.fset)
    RDSBackend.create_db_instance = _create_db_instance
    RDSBackend.modify_db_instance = _modify_db_instance
