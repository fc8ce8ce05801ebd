"""DB instances are ``creating`` for a while after CreateDBInstance and ``deleting`` for a while after
DeleteDBInstance.

AWS: CreateDBInstance (and the restores and read replicas) answers ``DBInstanceStatus: creating``; the instance is
``creating`` (then backing up) until ``available``, about ten minutes for a small instance. Meanwhile operations that
need an available instance fail with ``InvalidDBInstanceState``. DeleteDBInstance answers ``deleting``; the instance
is still described (``deleting``) and its identifier still taken until it is gone, then DescribeDBInstances answers
``DBInstanceNotFound``. A second DeleteDBInstance of a deleting instance is ``InvalidDBInstanceState`` ("Instance ...
is already being deleted."). Clients wait with the ``db_instance_available`` / ``db_instance_deleted`` waiters
(amazon.aws ``rds_instance`` with ``wait: true``).

moto 5.2.5: ``DBInstance.__init__`` (moto/rds/models.py) sets ``status = "available"``;
``RDSBackend.delete_db_instance`` pops the instance from ``databases`` at once (answering ``deleting``).

What this addition does: ``DBInstance.status`` becomes a property that answers ``creating`` while the instance is
younger than ``ATELIER_EMULATOR_RDS_INSTANCE_CREATE_DELAY`` seconds (moto's own status checks, e.g. StopDBInstance's,
see it too); ``delete_db_instance`` is wrapped to put the deleted instance back in ``databases`` as ``deleting`` for
``ATELIER_EMULATOR_RDS_INSTANCE_DELETE_DELAY`` seconds; at the start of each RDS request (and in the EC2 dependency
checks) the instances whose time is up are dropped. Both delays default to 0 (moto's behaviour); the
realistic-latency profile sets them. ``DeleteDBSubnetGroup`` of a group a live (or deleting) instance uses is
``InvalidDBSubnetGroupStateFault`` (moto: deleted).

Reference: https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
           https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html
           https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBSubnetGroup.html
           https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/accessing-monitoring.html
"""

import threading
import time

from moto.rds.exceptions import RDSClientError
from moto.rds.models import DBInstance, RDSBackend
from moto.rds.responses import RDSResponse

from emulator import knobs
from emulator.additions._lifecycle import timed_status

CREATE_DELAY = "ATELIER_EMULATOR_RDS_INSTANCE_CREATE_DELAY"
DELETE_DELAY = "ATELIER_EMULATOR_RDS_INSTANCE_DELETE_DELAY"
DELETED_AT = "_atelier_deleted_at"

_lock = threading.RLock()
_originals: dict = {}


def settle(backend: RDSBackend) -> None:
    """Drop the deleting instances whose delete delay is over."""
    delay = knobs.get_float(DELETE_DELAY)
    now = time.time()
    with _lock:
        for identifier, database in list(backend.databases.items()):
            deleted_at = database.__dict__.get(DELETED_AT)
            if deleted_at is not None and now - deleted_at >= delay:
                backend.databases.pop(identifier, None)


def _delete_db_instance(self, db_instance_identifier: str, *args, **kwargs):
    with _lock:
        settle(self)
        current = self.databases.get(str(db_instance_identifier).lower())
        if current is not None and DELETED_AT in current.__dict__:
            raise RDSClientError(
                "InvalidDBInstanceState", f"Instance {current.db_instance_identifier} is already being deleted."
            )
        database = _originals["delete_db_instance"](self, db_instance_identifier, *args, **kwargs)
        if knobs.get_float(DELETE_DELAY) > 0:
            database.__dict__[DELETED_AT] = time.time()
            self.databases[database.db_instance_identifier] = database
    return database


def _delete_subnet_group(self, subnet_name: str):
    settle(self)
    users = [
        database.db_instance_identifier
        for database in self.databases.values()
        if getattr(getattr(database, "db_subnet_group", None), "name", None) == str(subnet_name).lower()
    ]
    if users:
        raise RDSClientError(
            "InvalidDBSubnetGroupStateFault",
            f"Cannot delete the subnet group '{subnet_name}' because at least one database instance: {users[0]} is "
            "still using it.",
        )
    return _originals["delete_subnet_group"](self, subnet_name)


def _call_action(self):
    settle(self.backend)
    return _originals["call_action"](self)


def apply() -> None:
    """Time-scaled creating/deleting statuses; subnet groups in use are kept."""
    DBInstance.status = timed_status("status", CREATE_DELAY, "creating", "available")
    _originals.setdefault("delete_db_instance", RDSBackend.delete_db_instance)
    _originals.setdefault("delete_subnet_group", RDSBackend.delete_subnet_group)
    _originals.setdefault("call_action", RDSResponse.call_action)
    RDSBackend.delete_db_instance = _delete_db_instance
    RDSBackend.delete_subnet_group = _delete_subnet_group
    RDSResponse.call_action = _call_action
