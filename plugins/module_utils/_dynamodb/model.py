# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The two shapes a DynamoDB table takes in atelier.infra, built from what the API returns
(pure functions, no AWS call):

* the *configuration*: what the module manages, normalised so that two tables configured
  alike compare equal whatever the order AWS lists things in: attribute definitions, indexes
  and replicas are dictionaries keyed by name or region, tags a dictionary. The planner
  compares the current configuration with the desired one; ``--diff`` shows both.
* the *table* the modules return: DescribeTable in snake_case plus the settings DynamoDB
  reports through other calls (TTL, point-in-time recovery, tags, each replica's deletion
  protection and point-in-time recovery), under stable names.
"""

import datetime
from typing import Any
from typing import Dict
from typing import Optional
from typing import Tuple

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

DEFAULT_TABLE_CLASS = "STANDARD"
# Replica states in which a replica is being created, updated or deleted.
REPLICA_BUSY_STATUSES = ("CREATING", "UPDATING", "DELETING")
# Replica states that mean it is on its way out (or out) of the global table.
REPLICA_GONE_STATUSES = ("DELETING", "ARCHIVING", "ARCHIVED")
# Replica states that do not get better by waiting.
REPLICA_FAILED_STATUSES = (
    "CREATION_FAILED",
    "REGION_DISABLED",
    "INACCESSIBLE_ENCRYPTION_CREDENTIALS",
    "REPLICATION_NOT_AUTHORIZED",
)


def key_names(key_schema) -> Tuple[Optional[str], Optional[str]]:
    hash_key = range_key = None
    for key in key_schema or []:
        if key.get("KeyType") == "HASH":
            hash_key = key.get("AttributeName")
        elif key.get("KeyType") == "RANGE":
            range_key = key.get("AttributeName")
    return hash_key, range_key


def billing_mode_of(table: Dict[str, Any]) -> str:
    # BillingModeSummary is not always there for tables that were always PROVISIONED.
    return (table.get("BillingModeSummary") or {}).get("BillingMode") or "PROVISIONED"


def _capacities(throughput, billing_mode: str) -> Tuple[Optional[int], Optional[int]]:
    # On-demand tables report a throughput of 0/0: no provisioned throughput at all.
    if billing_mode != "PROVISIONED":
        return None, None
    throughput = throughput or {}
    return throughput.get("ReadCapacityUnits"), throughput.get("WriteCapacityUnits")


def _projection(projection) -> Tuple[str, list]:
    projection = projection or {}
    return projection.get("ProjectionType") or "ALL", sorted(projection.get("NonKeyAttributes") or [])


def sse_of(table: Optional[Dict[str, Any]]) -> Tuple[str, Optional[str]]:
    """(sse_type, kms key ARN): no SSEDescription, or one not using KMS, is an AWS owned key."""
    sse = (table or {}).get("SSEDescription") or {}
    if sse.get("SSEType") == "KMS" and sse.get("Status") in ("ENABLED", "ENABLING", "UPDATING"):
        return "KMS", sse.get("KMSMasterKeyArn")
    return "AWS_OWNED", None


def table_class_of(table: Optional[Dict[str, Any]]) -> str:
    return ((table or {}).get("TableClassSummary") or {}).get("TableClass") or DEFAULT_TABLE_CLASS


def ttl_attribute_of(ttl: Optional[Dict[str, Any]]) -> str:
    """The TTL attribute, "" when TTL is disabled (or being disabled)."""
    ttl = ttl or {}
    if ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
        return ttl.get("AttributeName") or ""
    return ""


def pitr_of(continuous_backups: Optional[Dict[str, Any]]) -> Optional[bool]:
    """Point-in-time recovery on or off; None when it could not be read."""
    if not continuous_backups:
        return None
    status = (continuous_backups.get("PointInTimeRecoveryDescription") or {}).get("PointInTimeRecoveryStatus")
    return status == "ENABLED"


def _index_config(index: Dict[str, Any], billing_mode: str, local: bool = False) -> Dict[str, Any]:
    hash_key, range_key = key_names(index.get("KeySchema"))
    projection_type, non_key_attributes = _projection(index.get("Projection"))
    if local:
        return dict(range_key=range_key, projection_type=projection_type, non_key_attributes=non_key_attributes)
    read, write = _capacities(index.get("ProvisionedThroughput"), billing_mode)
    return dict(
        hash_key=hash_key,
        range_key=range_key,
        projection_type=projection_type,
        non_key_attributes=non_key_attributes,
        read_capacity=read,
        write_capacity=write,
    )


def live_replicas(table: Dict[str, Any], home_region: str):
    """The replicas of a table in other regions than the home region, not being deleted."""
    for replica in table.get("Replicas") or []:
        region = replica.get("RegionName")
        if region and region != home_region and replica.get("ReplicaStatus") not in REPLICA_GONE_STATUSES:
            yield replica


def _replica_config(replica: Dict[str, Any], details: Dict[str, Any], table_class: str) -> Dict[str, Any]:
    regional = details.get("table")
    kms_key_id = replica.get("KMSMasterKeyId")
    if kms_key_id is None and regional:
        kms_key_id = sse_of(regional)[1]
    replica_class = (replica.get("ReplicaTableClassSummary") or {}).get("TableClass")
    if replica_class is None:
        replica_class = table_class_of(regional) if regional else table_class
    overrides = {}
    for index in replica.get("GlobalSecondaryIndexes") or []:
        read = (index.get("ProvisionedThroughputOverride") or {}).get("ReadCapacityUnits")
        if read is not None:
            overrides[index["IndexName"]] = read
    return dict(
        kms_key_id=kms_key_id,
        table_class=replica_class,
        deletion_protection=bool(regional.get("DeletionProtectionEnabled", False)) if regional else None,
        point_in_time_recovery=pitr_of(details.get("continuous_backups")),
        global_secondary_indexes=overrides,
    )


def current_config(state: Optional[Dict[str, Any]], home_region: str) -> Dict[str, Any]:
    """The normalised configuration of an existing table; {} when there is no table.

    ``state`` is what module_utils.dynamodb.get_table_state returns. Settings that could not
    be read (a replica region that does not answer) are None."""
    if not state:
        return {}
    table = state["table"]
    billing_mode = billing_mode_of(table)
    hash_key, range_key = key_names(table.get("KeySchema"))
    read, write = _capacities(table.get("ProvisionedThroughput"), billing_mode)
    stream = table.get("StreamSpecification") or {}
    stream_enabled = bool(stream.get("StreamEnabled"))
    sse_type, kms_key_id = sse_of(table)
    table_class = table_class_of(table)
    gsis = {
        index["IndexName"]: _index_config(index, billing_mode)
        for index in table.get("GlobalSecondaryIndexes") or []
        if index.get("IndexStatus") != "DELETING"
    }
    lsis = {
        index["IndexName"]: _index_config(index, billing_mode, local=True)
        for index in table.get("LocalSecondaryIndexes") or []
    }
    replicas = {
        replica["RegionName"]: _replica_config(
            replica, state.get("replicas", {}).get(replica["RegionName"]) or {}, table_class
        )
        for replica in live_replicas(table, home_region)
    }
    return dict(
        name=table["TableName"],
        hash_key=hash_key,
        range_key=range_key,
        attribute_definitions={a["AttributeName"]: a["AttributeType"] for a in table.get("AttributeDefinitions") or []},
        billing_mode=billing_mode,
        read_capacity=read,
        write_capacity=write,
        table_class=table_class,
        global_secondary_indexes=gsis,
        local_secondary_indexes=lsis,
        ttl_attribute=ttl_attribute_of(state.get("ttl")),
        stream_enabled=stream_enabled,
        stream_view_type=stream.get("StreamViewType") if stream_enabled else None,
        sse_type=sse_type,
        kms_key_id=kms_key_id,
        point_in_time_recovery=bool(pitr_of(state.get("continuous_backups"))),
        deletion_protection=bool(table.get("DeletionProtectionEnabled", False)),
        replicas=replicas,
        tags=dict(state.get("tags") or {}),
    )


def diff_view(config: Dict[str, Any]) -> Dict[str, Any]:
    """What --diff shows: the configuration, without the keys whose value is unknown or does
    not apply (capacities of an on-demand table, a range key the table does not have)."""
    return {
        key: diff_view(value) if isinstance(value, dict) else value
        for key, value in config.items()
        if value is not None
    }


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return value


def normalize_table(state: Optional[Dict[str, Any]], home_region: str) -> Dict[str, Any]:
    """The table as the modules return it; {} when there is no table."""
    if not state:
        return {}
    table = state["table"]
    config = current_config(state, home_region)
    result = _jsonable(camel_dict_to_snake_dict(table, ignore_list=["Tags"]))
    ttl = state.get("ttl") or {}
    replicas = []
    for replica in sorted(live_replicas(table, home_region), key=lambda r: r["RegionName"]):
        item = _jsonable(camel_dict_to_snake_dict(replica))
        settings = config["replicas"][replica["RegionName"]]
        item.update(
            kms_key_id=settings["kms_key_id"],
            table_class=settings["table_class"],
            deletion_protection=settings["deletion_protection"],
            point_in_time_recovery=settings["point_in_time_recovery"],
        )
        replicas.append(item)
    sse = table.get("SSEDescription") or {}
    result.update(
        name=config["name"],
        hash_key=config["hash_key"],
        range_key=config["range_key"],
        billing_mode=config["billing_mode"],
        read_capacity=config["read_capacity"],
        write_capacity=config["write_capacity"],
        table_class=config["table_class"],
        tags=config["tags"],
        ttl=dict(
            enabled=bool(config["ttl_attribute"]),
            attribute_name=ttl.get("AttributeName") or None,
            status=ttl.get("TimeToLiveStatus", "DISABLED"),
        ),
        point_in_time_recovery=config["point_in_time_recovery"],
        deletion_protection=config["deletion_protection"],
        sse=dict(sse_type=config["sse_type"], kms_key_id=config["kms_key_id"], status=sse.get("Status")),
        stream=dict(
            stream_enabled=config["stream_enabled"],
            stream_view_type=config["stream_view_type"],
            latest_stream_arn=table.get("LatestStreamArn") if config["stream_enabled"] else None,
        ),
        replicas=replicas,
    )
    return result


# ---- what the waits wait for (ready predicates over a DescribeTable answer) ----


def _check_replicas_failed(table: Dict[str, Any], region: Optional[str] = None) -> None:
    for replica in table.get("Replicas") or []:
        if region is not None and replica.get("RegionName") != region:
            continue
        if replica.get("ReplicaStatus") in REPLICA_FAILED_STATUSES:
            detail = replica.get("ReplicaStatusDescription") or ""
            raise ValueError(f"replica {replica.get('RegionName')} is {replica['ReplicaStatus']} {detail}".strip())


def table_settled(table: Optional[Dict[str, Any]]) -> bool:
    """The table, its indexes and its replicas are all done changing."""
    if not table or table.get("TableStatus") != "ACTIVE":
        return False
    if any(index.get("IndexStatus") != "ACTIVE" for index in table.get("GlobalSecondaryIndexes") or []):
        return False
    _check_replicas_failed(table)
    return not any(replica.get("ReplicaStatus") in REPLICA_BUSY_STATUSES for replica in table.get("Replicas") or [])


def replica_active(region: str):
    def ready(table: Optional[Dict[str, Any]]) -> bool:
        if not table:
            return False
        _check_replicas_failed(table, region)
        statuses = {r.get("RegionName"): r.get("ReplicaStatus") for r in table.get("Replicas") or []}
        return table.get("TableStatus") == "ACTIVE" and statuses.get(region) == "ACTIVE"

    return ready


def replica_gone(region: str):
    def ready(table: Optional[Dict[str, Any]]) -> bool:
        if not table:
            return True
        regions = {r.get("RegionName") for r in table.get("Replicas") or []}
        return table.get("TableStatus") == "ACTIVE" and region not in regions

    return ready
