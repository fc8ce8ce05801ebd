# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
From the current configuration of a table (model.current_config) and the module parameters to
an ordered list of steps, each one API call the module makes and what to wait for after it.
Pure functions: no AWS call, no module object, so that every decision is unit-testable.

The three stages:

* desired_config(params, current): the configuration the table should end up with. Options
  left out keep the current value (on creation, DynamoDB's default); lists are merged by name
  (indexes) or region (replicas) with the purge_* options deciding what happens to the rest.
* check_desired(current, desired, params, home_region): what is wrong with that target, given
  the existing table: missing definitions, and the changes the module refuses because DynamoDB
  can only make them by replacing the table (its items would be lost) or not in one run.
* plan_present / plan_absent: the steps. DynamoDB takes one index change and one replica
  change per UpdateTable call and refuses the next one while the previous is in progress, so
  each of those is its own step, followed by a wait. The order:

   1. create the table (with its indexes, stream, encryption, class, protection and tags), or
      lift deletion protection (the table's, then that of replicas asked to be unprotected);
   2. remove replicas (before anything that would have to propagate to them);
   3. stream (disabled, or enabled with the view type replicas need, before replicas are added);
   4. remove GSIs (including those re-created because their keys or projection change);
   5. billing mode and throughput (switching to PROVISIONED gives every remaining GSI its
      capacities in the same call, as DynamoDB requires), table class, encryption;
   6. update GSI throughput, then add GSIs, one per call;
   7. TTL, point-in-time recovery, tags;
   8. replicas by region: add a new one (one per call), then the replica's settings: GSI read
      capacity overrides (home region), table class, KMS key, point-in-time recovery and
      deletion protection (in the replica's region);
   9. enable deletion protection last.
"""

import copy
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible.module_utils.common.text.converters import to_text

from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from .model import DEFAULT_TABLE_CLASS
from .validation import MAX_GSIS
from .validation import REPLICA_STREAM_VIEW_TYPE
from .validation import key_attribute_problems
from .validation import ttl_problems

REFUSED = "requires replacing the table, which would delete its items; change refused."


class PlanError(Exception):
    pass


# ---- desired configuration ----


def kms_key_matches(wanted: Optional[str], current: Optional[str]) -> bool:
    """A key ID or key ARN against the key ARN DynamoDB reports."""
    if not wanted or not current:
        return wanted == current
    return wanted == current or current.endswith(f":key/{wanted}")


def _index_entry(index: Dict[str, Any], local: bool = False) -> Dict[str, Any]:
    projection_type = index.get("projection_type") or "ALL"
    entry = dict(
        range_key=index.get("range_key"),
        projection_type=projection_type,
        non_key_attributes=sorted(index.get("non_key_attributes") or []),
    )
    if not local:
        entry = dict(hash_key=index["hash_key"], **entry)
        entry.update(read_capacity=index.get("read_capacity"), write_capacity=index.get("write_capacity"))
    return entry


def _desired_gsis(params, current, billing_mode, read, write) -> Dict[str, Dict[str, Any]]:
    current_gsis = current.get("global_secondary_indexes") or {}
    if params.get("global_secondary_indexes") is None:
        gsis = copy.deepcopy(current_gsis)
    else:
        gsis = {} if params.get("purge_global_secondary_indexes", True) else copy.deepcopy(current_gsis)
        for index in params["global_secondary_indexes"]:
            entry = _index_entry(index)
            existing = current_gsis.get(index["name"]) or {}
            # Capacities left out keep the index's own (autoscaling may manage them).
            for option in ("read_capacity", "write_capacity"):
                if entry[option] is None and billing_mode == "PROVISIONED":
                    entry[option] = existing.get(option)
            gsis[index["name"]] = entry
    given = {index["name"]: index for index in params.get("global_secondary_indexes") or []}
    for index_name, entry in gsis.items():
        if billing_mode == "PROVISIONED":
            # A new index, or one of an on-demand table becoming provisioned: the table's capacities.
            if entry["read_capacity"] is None:
                entry["read_capacity"] = read
            if entry["write_capacity"] is None:
                entry["write_capacity"] = write
        else:
            # On demand: no capacities, except those given (which check_desired refuses).
            entry["read_capacity"] = (given.get(index_name) or {}).get("read_capacity")
            entry["write_capacity"] = (given.get(index_name) or {}).get("write_capacity")
    return gsis


def _desired_tags(params, current) -> Dict[str, str]:
    tags = dict(current.get("tags") or {})
    if params.get("tags") is None:
        return tags
    to_set, to_unset = compare_aws_tags(tags, params["tags"], params.get("purge_tags", True))
    for key in to_unset:
        tags.pop(key, None)
    tags.update({key: to_text(value) for key, value in to_set.items()})
    return tags


def _desired_replicas(params, current, table_class, gsi_names, billing_mode) -> Dict[str, Dict[str, Any]]:
    current_replicas = current.get("replicas") or {}
    if params.get("replicas") is None:
        replicas = copy.deepcopy(current_replicas)
    else:
        replicas = {} if params.get("purge_replicas", True) else copy.deepcopy(current_replicas)
        for replica in params["replicas"]:
            region = replica["region"]
            existing = current_replicas.get(region)
            base = existing or dict(
                kms_key_id=None,
                table_class=table_class,
                deletion_protection=False,
                point_in_time_recovery=False,
                global_secondary_indexes={},
            )
            entry = copy.deepcopy(base)
            kms_key_id = replica.get("kms_key_id")
            if kms_key_id is not None:
                entry["kms_key_id"] = (
                    base["kms_key_id"] if kms_key_matches(kms_key_id, base["kms_key_id"]) else kms_key_id
                )
            for option in ("table_class", "deletion_protection", "point_in_time_recovery"):
                if replica.get(option) is not None:
                    entry[option] = replica[option]
            for override in replica.get("global_secondary_indexes") or []:
                if override.get("read_capacity") is not None:
                    entry["global_secondary_indexes"][override["name"]] = override["read_capacity"]
            replicas[region] = entry
    given = {replica["region"]: replica for replica in params.get("replicas") or []}
    for region, entry in replicas.items():
        if billing_mode == "PROVISIONED":
            overrides = entry.get("global_secondary_indexes") or {}
        else:
            # On demand: no read capacity overrides, except those given (which check_desired refuses).
            overrides = {
                o["name"]: o["read_capacity"]
                for o in (given.get(region) or {}).get("global_secondary_indexes") or []
                if o.get("read_capacity") is not None
            }
        entry["global_secondary_indexes"] = {name: read for name, read in overrides.items() if name in gsi_names}
    return replicas


def desired_config(params: Dict[str, Any], current: Dict[str, Any]) -> Dict[str, Any]:
    """The configuration the table should have: parameters over the current configuration
    (over DynamoDB's defaults when the table does not exist)."""
    current = current or {}
    exists = bool(current)

    def pick(option, default):
        if params.get(option) is not None:
            return params[option]
        return current.get(option) if exists else default

    if params.get("hash_key"):
        # The key schema is declared as a whole: hash_key given and range_key left out is "no range key".
        hash_key, range_key = params["hash_key"], params.get("range_key")
    else:
        hash_key, range_key = current.get("hash_key"), current.get("range_key")

    if params.get("attribute_definitions") is not None:
        definitions = {a["name"]: a["type"] for a in params["attribute_definitions"]}
    else:
        definitions = dict(current.get("attribute_definitions") or {})

    billing_mode = pick("billing_mode", "PAY_PER_REQUEST")
    same_billing = exists and billing_mode == current.get("billing_mode")
    read = (
        params["read_capacity"]
        if params.get("read_capacity") is not None
        else (current.get("read_capacity") if same_billing else None)
    )
    write = (
        params["write_capacity"]
        if params.get("write_capacity") is not None
        else (current.get("write_capacity") if same_billing else None)
    )
    table_class = pick("table_class", DEFAULT_TABLE_CLASS)
    gsis = _desired_gsis(params, current, billing_mode, read, write)

    if params.get("local_secondary_indexes") is not None:
        lsis = {index["name"]: _index_entry(index, local=True) for index in params["local_secondary_indexes"]}
    else:
        lsis = copy.deepcopy(current.get("local_secondary_indexes") or {})

    stream_enabled, view_type = params.get("stream_enabled"), params.get("stream_view_type")
    if stream_enabled is None and view_type is None:
        stream_enabled, view_type = (
            (current.get("stream_enabled"), current.get("stream_view_type")) if exists else (False, None)
        )
    elif stream_enabled is False:
        view_type = None
    else:
        stream_enabled = True
        if view_type is None and current.get("stream_enabled"):
            view_type = current.get("stream_view_type")

    sse_type = pick("sse_type", "AWS_OWNED")
    kms_key_id = None
    if sse_type == "KMS":
        current_key = current.get("kms_key_id") if current.get("sse_type") == "KMS" else None
        wanted = params.get("kms_key_id")
        # Left out: an existing KMS-encrypted table keeps its key; a new one gets the AWS managed key.
        kms_key_id = current_key if (wanted is None or kms_key_matches(wanted, current_key)) else wanted

    return dict(
        name=params["name"],
        hash_key=hash_key,
        range_key=range_key,
        attribute_definitions=definitions,
        billing_mode=billing_mode,
        read_capacity=read,
        write_capacity=write,
        table_class=table_class,
        global_secondary_indexes=gsis,
        local_secondary_indexes=lsis,
        ttl_attribute=pick("ttl_attribute", ""),
        stream_enabled=bool(stream_enabled),
        stream_view_type=view_type if stream_enabled else None,
        sse_type=sse_type,
        kms_key_id=kms_key_id,
        point_in_time_recovery=pick("point_in_time_recovery", False),
        deletion_protection=pick("deletion_protection", False),
        replicas=_desired_replicas(params, current, table_class, set(gsis), billing_mode),
        tags=_desired_tags(params, current),
    )


# ---- what the module refuses or can't do, given the existing table ----


def _keys_of(index: Dict[str, Any]) -> List[str]:
    return [key for key in (index.get("hash_key"), index.get("range_key")) if key]


def _gsi_replacement_reason(current_index, desired_index, current_defs, desired_defs) -> Optional[str]:
    """Why an existing GSI must be removed and added again, None when it can stay."""
    reasons = []
    current_keys = (current_index.get("hash_key"), current_index.get("range_key"))
    desired_keys = (desired_index.get("hash_key"), desired_index.get("range_key"))
    if current_keys != desired_keys:
        reasons.append(f"key schema {_key_text(*current_keys)} -> {_key_text(*desired_keys)}")
    current_projection = (current_index.get("projection_type"), current_index.get("non_key_attributes") or [])
    desired_projection = (desired_index.get("projection_type"), desired_index.get("non_key_attributes") or [])
    if current_projection != desired_projection:
        reasons.append(f"projection {_projection_text(*current_projection)} -> {_projection_text(*desired_projection)}")
    elif current_keys == desired_keys:
        for key in _keys_of(desired_index):
            if current_defs.get(key) and desired_defs.get(key) and current_defs[key] != desired_defs[key]:
                reasons.append(f"attribute {key} type {current_defs[key]} -> {desired_defs[key]}")
    return ", ".join(reasons) or None


def _key_text(hash_key, range_key) -> str:
    return f"{hash_key}/{range_key}" if range_key else f"{hash_key}"


def _projection_text(projection_type, non_key_attributes) -> str:
    return f"{projection_type}({', '.join(non_key_attributes)})" if non_key_attributes else projection_type


def deletion_protection_blockers(current: Dict[str, Any], home_region: str) -> List[str]:
    """The regions where the table or a replica has deletion protection on."""
    regions = [home_region] if current.get("deletion_protection") else []
    regions.extend(
        region
        for region, replica in sorted((current.get("replicas") or {}).items())
        if replica.get("deletion_protection")
    )
    return regions


def check_desired(
    current: Dict[str, Any], desired: Dict[str, Any], params: Dict[str, Any], home_region: str
) -> List[str]:
    """Problems with the desired configuration, found before any change is made."""
    problems = []
    name = desired["name"]
    exists = bool(current)

    if not exists and (not desired["hash_key"] or params.get("attribute_definitions") is None):
        return [
            f"Table {name} does not exist in {home_region}: hash_key and attribute_definitions are required"
            " to create it."
        ]

    problems.extend(
        key_attribute_problems(
            desired["hash_key"],
            desired["range_key"],
            desired["global_secondary_indexes"],
            desired["local_secondary_indexes"],
            desired["attribute_definitions"],
        )
    )
    problems.extend(ttl_problems(desired["ttl_attribute"], desired["hash_key"], desired["range_key"]))
    if len(desired["global_secondary_indexes"]) > MAX_GSIS:
        problems.append(
            f"The table would have {len(desired['global_secondary_indexes'])} global secondary indexes;"
            f" DynamoDB allows at most {MAX_GSIS}."
        )
    if desired["local_secondary_indexes"] and not desired["range_key"]:
        problems.append("local_secondary_indexes require a table with a range_key (a composite primary key).")

    if desired["billing_mode"] == "PROVISIONED":
        if desired["read_capacity"] is None or desired["write_capacity"] is None:
            problems.append("billing_mode=PROVISIONED requires both read_capacity and write_capacity.")
    else:
        if params.get("read_capacity") is not None or params.get("write_capacity") is not None:
            problems.append(
                f"read_capacity and write_capacity can't be set: table {name} is PAY_PER_REQUEST (on demand)."
            )
        if any(
            g.get("read_capacity") is not None or g.get("write_capacity") is not None
            for g in desired["global_secondary_indexes"].values()
        ):
            problems.append(
                f"Global secondary index capacities can't be set: table {name} is PAY_PER_REQUEST (on demand)."
            )
        if any(r.get("global_secondary_indexes") for r in desired["replicas"].values()):
            problems.append(f"Replica index read capacities can't be set: table {name} is PAY_PER_REQUEST (on demand).")

    if desired["stream_enabled"] and not desired["stream_view_type"]:
        problems.append(f"stream_enabled=true requires stream_view_type: table {name} has no stream to keep.")
    if desired["replicas"] and (
        not desired["stream_enabled"] or desired["stream_view_type"] != REPLICA_STREAM_VIEW_TYPE
    ):
        problems.append(
            "replicas require the table's stream enabled with stream_view_type=NEW_AND_OLD_IMAGES (DynamoDB"
            f" replicates through it); the table's stream would be {desired['stream_view_type'] or 'disabled'}."
        )
    if params.get("kms_key_id") and desired["sse_type"] == "KMS":
        for region in sorted(set(desired["replicas"]) - set(current.get("replicas") or {})):
            if not desired["replicas"][region].get("kms_key_id"):
                problems.append(
                    f"replicas: {region} needs a kms_key_id: the table is encrypted with the customer managed key"
                    f" {params['kms_key_id']}, and KMS keys belong to one region."
                )

    if not exists:
        return problems
    refused = []

    # Changes DynamoDB makes only by replacing the table: refused.
    if params.get("hash_key"):
        for role in ("hash_key", "range_key"):
            if current.get(role) != desired[role]:
                what = role.replace("_", " ")
                refused.append(
                    f"Changing the {what} of table {name} from {current.get(role)} to {desired[role]} {REFUSED}"
                )
    key_attributes = [current.get("hash_key"), current.get("range_key")]
    for index in (current.get("local_secondary_indexes") or {}).values():
        key_attributes.append(index.get("range_key"))
    for key in key_attributes:
        old, new = (current.get("attribute_definitions") or {}).get(key), desired["attribute_definitions"].get(key)
        if key and old and new and old != new:
            refused.append(f"Changing the type of key attribute {key} of table {name} from {old} to {new} {REFUSED}")
    if desired["local_secondary_indexes"] != (current.get("local_secondary_indexes") or {}):
        refused.append(
            f"Changing the local secondary indexes of table {name}"
            f" ({', '.join(sorted(current.get('local_secondary_indexes') or {})) or 'none'} ->"
            f" {', '.join(sorted(desired['local_secondary_indexes'])) or 'none'}, or their keys or projections)"
            f" {REFUSED}"
        )

    # Not in one run.
    old_ttl, new_ttl = current.get("ttl_attribute"), desired["ttl_attribute"]
    if old_ttl and new_ttl and old_ttl != new_ttl:
        refused.append(
            f"Moving TTL of table {name} from {old_ttl} to {new_ttl} takes two runs: DynamoDB refuses a second"
            ' TTL change within an hour of the first. Run once with ttl_attribute: "" (disables TTL), then with'
            f" ttl_attribute: {new_ttl} an hour later; nothing was changed."
        )
    for region in sorted(set(current.get("replicas") or {}) - set(desired["replicas"])):
        if current["replicas"][region].get("deletion_protection"):
            refused.append(
                f"Replica {region} of table {name} has deletion protection, so DynamoDB refuses to remove it."
                f" First run with replicas: [{{region: {region}, deletion_protection: false}}] (and"
                " purge_replicas: false), then remove it; nothing was changed."
            )
    # The refusals first: they explain the other problems a changed key may cause.
    return refused + problems


# ---- steps ----


def _step(kind: str, description: str, call: str, params=None, region=None, wait=None, target=None) -> Dict[str, Any]:
    """One API call. region None is the table's home region; wait is what the module waits for
    afterwards (created, settled, replica_active, replica_gone, deleted) and target the replica
    region a replica wait is about."""
    return dict(
        kind=kind, description=description, call=call, region=region, params=params or {}, wait=wait, target=target
    )


def _definitions(names, definitions) -> List[Dict[str, str]]:
    return [
        {"AttributeName": name, "AttributeType": definitions[name]}
        for name in sorted(set(names))
        if name in definitions
    ]


def _key_schema(hash_key, range_key) -> List[Dict[str, str]]:
    schema = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    if range_key:
        schema.append({"AttributeName": range_key, "KeyType": "RANGE"})
    return schema


def _projection_spec(index) -> Dict[str, Any]:
    projection = {"ProjectionType": index["projection_type"]}
    if index.get("non_key_attributes"):
        projection["NonKeyAttributes"] = list(index["non_key_attributes"])
    return projection


def _throughput(read, write) -> Dict[str, int]:
    return {"ReadCapacityUnits": read, "WriteCapacityUnits": write}


def _gsi_spec(name, index, billing_mode) -> Dict[str, Any]:
    spec = {
        "IndexName": name,
        "KeySchema": _key_schema(index["hash_key"], index.get("range_key")),
        "Projection": _projection_spec(index),
    }
    if billing_mode == "PROVISIONED":
        spec["ProvisionedThroughput"] = _throughput(index["read_capacity"], index["write_capacity"])
    return spec


def _lsi_spec(name, index, hash_key) -> Dict[str, Any]:
    return {
        "IndexName": name,
        "KeySchema": _key_schema(hash_key, index["range_key"]),
        "Projection": _projection_spec(index),
    }


def _table_key_names(config, gsi_names) -> List[str]:
    names = [config["hash_key"], config.get("range_key")]
    names.extend(index["range_key"] for index in config["local_secondary_indexes"].values())
    for name in gsi_names:
        names.extend(_keys_of(config["global_secondary_indexes"][name]))
    return [n for n in names if n]


def _create_step(desired) -> Dict[str, Any]:
    name = desired["name"]
    gsis = desired["global_secondary_indexes"]
    params = {
        "TableName": name,
        "AttributeDefinitions": _definitions(_table_key_names(desired, gsis), desired["attribute_definitions"]),
        "KeySchema": _key_schema(desired["hash_key"], desired["range_key"]),
        "BillingMode": desired["billing_mode"],
        "TableClass": desired["table_class"],
        "DeletionProtectionEnabled": desired["deletion_protection"],
    }
    if desired["billing_mode"] == "PROVISIONED":
        params["ProvisionedThroughput"] = _throughput(desired["read_capacity"], desired["write_capacity"])
    if gsis:
        params["GlobalSecondaryIndexes"] = [_gsi_spec(n, gsis[n], desired["billing_mode"]) for n in sorted(gsis)]
    lsis = desired["local_secondary_indexes"]
    if lsis:
        params["LocalSecondaryIndexes"] = [_lsi_spec(n, lsis[n], desired["hash_key"]) for n in sorted(lsis)]
    if desired["stream_enabled"]:
        params["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": desired["stream_view_type"]}
    if desired["sse_type"] == "KMS":
        params["SSESpecification"] = {"Enabled": True, "SSEType": "KMS"}
        if desired["kms_key_id"]:
            params["SSESpecification"]["KMSMasterKeyId"] = desired["kms_key_id"]
    if desired["tags"]:
        params["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(desired["tags"].items())]

    details = [f"key {_key_text(desired['hash_key'], desired['range_key'])}", desired["billing_mode"]]
    if gsis:
        details.append(f"GSIs {', '.join(sorted(gsis))}")
    if lsis:
        details.append(f"LSIs {', '.join(sorted(lsis))}")
    if desired["stream_enabled"]:
        details.append(f"stream {desired['stream_view_type']}")
    if desired["sse_type"] == "KMS":
        details.append(f"KMS key {desired['kms_key_id']}" if desired["kms_key_id"] else "AWS managed KMS key")
    if desired["deletion_protection"]:
        details.append("deletion protection")
    return _step("create_table", f"create table {name} ({'; '.join(details)})", "create_table", params, wait="created")


def _update(kind, description, params, region=None, wait="settled", target=None):
    return _step(kind, description, "update_table", params, region=region, wait=wait, target=target)


def _capacity_text(old_read, old_write, read, write) -> str:
    return f"read {old_read} -> {read}, write {old_write} -> {write}"


def _enable(flag: bool) -> str:
    return "enable" if flag else "disable"


def plan_present(current: Dict[str, Any], desired: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The steps from the current configuration ({} for no table) to the desired one."""
    steps = []
    if not current:
        steps.append(_create_step(desired))
        # What CreateTable leaves to the steps below.
        current = dict(copy.deepcopy(desired), ttl_attribute="", point_in_time_recovery=False, replicas={})
    cur_replicas = current.get("replicas") or {}
    des_replicas = desired["replicas"]

    # 1. Lift deletion protection first.
    if current["deletion_protection"] and not desired["deletion_protection"]:
        steps.append(
            _update("deletion_protection", "disable deletion protection", {"DeletionProtectionEnabled": False})
        )
    for region in sorted(set(cur_replicas) & set(des_replicas)):
        if cur_replicas[region].get("deletion_protection") and des_replicas[region].get("deletion_protection") is False:
            steps.append(
                _update(
                    "replica_deletion_protection",
                    f"disable deletion protection in {region}",
                    {"DeletionProtectionEnabled": False},
                    region=region,
                )
            )

    # 2. Remove replicas.
    for region in sorted(set(cur_replicas) - set(des_replicas)):
        steps.append(
            _update(
                "remove_replica",
                f"remove replica {region}",
                {"ReplicaUpdates": [{"Delete": {"RegionName": region}}]},
                wait="replica_gone",
                target=region,
            )
        )

    # 3. Stream.
    old_stream = (current["stream_enabled"], current["stream_view_type"])
    new_stream = (desired["stream_enabled"], desired["stream_view_type"])
    if old_stream != new_stream:
        if current["stream_enabled"]:
            why = " (to enable it with another view type: a new stream)" if desired["stream_enabled"] else ""
            steps.append(
                _update(
                    "stream",
                    f"disable stream {current['stream_view_type']}{why}",
                    {"StreamSpecification": {"StreamEnabled": False}},
                )
            )
        if desired["stream_enabled"]:
            spec = {"StreamEnabled": True, "StreamViewType": desired["stream_view_type"]}
            steps.append(
                _update("stream", f"enable stream {desired['stream_view_type']}", {"StreamSpecification": spec})
            )

    # 4. Remove GSIs, including those whose keys or projection change.
    cur_gsis, des_gsis = current["global_secondary_indexes"], desired["global_secondary_indexes"]
    replaced = {}
    for index_name in sorted(set(cur_gsis) & set(des_gsis)):
        reason = _gsi_replacement_reason(
            cur_gsis[index_name],
            des_gsis[index_name],
            current["attribute_definitions"],
            desired["attribute_definitions"],
        )
        if reason:
            replaced[index_name] = reason
    for index_name in sorted(set(cur_gsis) - set(des_gsis)) + sorted(replaced):
        why = f" (to add it again: {replaced[index_name]})" if index_name in replaced else ""
        steps.append(
            _update(
                "remove_gsi",
                f"remove GSI {index_name}{why}",
                {"GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": index_name}}]},
            )
        )
    kept = sorted((set(cur_gsis) & set(des_gsis)) - set(replaced))

    # 5. Billing mode, throughput, table class, encryption.
    switched_to_provisioned = False
    if current["billing_mode"] != desired["billing_mode"]:
        params = {"BillingMode": desired["billing_mode"]}
        description = f"switch billing mode to {desired['billing_mode']}"
        if desired["billing_mode"] == "PROVISIONED":
            switched_to_provisioned = True
            params["ProvisionedThroughput"] = _throughput(desired["read_capacity"], desired["write_capacity"])
            description += f" (read {desired['read_capacity']}, write {desired['write_capacity']}"
            if kept:
                params["GlobalSecondaryIndexUpdates"] = [
                    {
                        "Update": {
                            "IndexName": n,
                            "ProvisionedThroughput": _throughput(
                                des_gsis[n]["read_capacity"], des_gsis[n]["write_capacity"]
                            ),
                        }
                    }
                    for n in kept
                ]
                description += f"; GSIs {', '.join(kept)} get their capacities in the same call, as DynamoDB requires"
            description += ")"
        steps.append(_update("billing", description, params))
    elif desired["billing_mode"] == "PROVISIONED" and (current["read_capacity"], current["write_capacity"]) != (
        desired["read_capacity"],
        desired["write_capacity"],
    ):
        text = _capacity_text(
            current["read_capacity"], current["write_capacity"], desired["read_capacity"], desired["write_capacity"]
        )
        steps.append(
            _update(
                "throughput",
                f"update table throughput ({text})",
                {"ProvisionedThroughput": _throughput(desired["read_capacity"], desired["write_capacity"])},
            )
        )
    if current["table_class"] != desired["table_class"]:
        steps.append(
            _update(
                "table_class",
                f"change table class {current['table_class']} -> {desired['table_class']}",
                {"TableClass": desired["table_class"]},
            )
        )
    if current["sse_type"] != desired["sse_type"] or (
        desired["sse_type"] == "KMS"
        and not kms_key_matches(desired["kms_key_id"], current["kms_key_id"])
        and desired["kms_key_id"]
    ):
        if desired["sse_type"] == "KMS":
            spec = {"Enabled": True, "SSEType": "KMS"}
            if desired["kms_key_id"]:
                spec["KMSMasterKeyId"] = desired["kms_key_id"]
            which = f"KMS key {desired['kms_key_id']}" if desired["kms_key_id"] else "the AWS managed KMS key"
            steps.append(_update("sse", f"encrypt with {which}", {"SSESpecification": spec}))
        else:
            steps.append(_update("sse", "encrypt with an AWS owned key", {"SSESpecification": {"Enabled": False}}))

    # 6. GSI throughput, then new GSIs, one per call.
    if desired["billing_mode"] == "PROVISIONED" and not switched_to_provisioned:
        for index_name in kept:
            old, new = cur_gsis[index_name], des_gsis[index_name]
            if (old["read_capacity"], old["write_capacity"]) != (new["read_capacity"], new["write_capacity"]):
                text = _capacity_text(
                    old["read_capacity"], old["write_capacity"], new["read_capacity"], new["write_capacity"]
                )
                update = {
                    "IndexName": index_name,
                    "ProvisionedThroughput": _throughput(new["read_capacity"], new["write_capacity"]),
                }
                steps.append(
                    _update(
                        "update_gsi",
                        f"update GSI {index_name} throughput ({text})",
                        {"GlobalSecondaryIndexUpdates": [{"Update": update}]},
                    )
                )
    present = list(kept)
    for index_name in sorted(set(des_gsis) - set(cur_gsis)) + sorted(replaced):
        present.append(index_name)
        why = f" (again: {replaced[index_name]})" if index_name in replaced else ""
        params = {
            "AttributeDefinitions": _definitions(_table_key_names(desired, present), desired["attribute_definitions"]),
            "GlobalSecondaryIndexUpdates": [
                {"Create": _gsi_spec(index_name, des_gsis[index_name], desired["billing_mode"])}
            ],
        }
        steps.append(_update("add_gsi", f"add GSI {index_name}{why}", params))

    # 7. TTL, point-in-time recovery, tags.
    old_ttl, new_ttl = current["ttl_attribute"], desired["ttl_attribute"]
    if old_ttl != new_ttl:
        if new_ttl:
            steps.append(
                _step(
                    "ttl",
                    f"enable TTL on {new_ttl}",
                    "update_time_to_live",
                    {"attribute_name": new_ttl, "enabled": True},
                )
            )
        else:
            steps.append(
                _step(
                    "ttl",
                    f"disable TTL on {old_ttl}",
                    "update_time_to_live",
                    {"attribute_name": old_ttl, "enabled": False},
                )
            )
    if bool(current["point_in_time_recovery"]) != bool(desired["point_in_time_recovery"]):
        flag = bool(desired["point_in_time_recovery"])
        steps.append(
            _step("pitr", f"{_enable(flag)} point-in-time recovery", "update_continuous_backups", {"enabled": flag})
        )
    old_tags, new_tags = current.get("tags") or {}, desired["tags"]
    unset = sorted(set(old_tags) - set(new_tags))
    to_set = {k: v for k, v in sorted(new_tags.items()) if old_tags.get(k) != v}
    if unset:
        steps.append(_step("untag", f"remove tags {', '.join(unset)}", "untag_resource", {"tag_keys": unset}))
    if to_set:
        steps.append(_step("tag", f"set tags {', '.join(to_set)}", "tag_resource", {"tags": to_set}))

    # 8. Replicas: add one per call, each followed by its own settings.
    added = set()
    for region in sorted(des_replicas):
        new = des_replicas[region]
        old = cur_replicas.get(region)
        if old is None:
            create = {"RegionName": region}
            if new.get("kms_key_id"):
                create["KMSMasterKeyId"] = new["kms_key_id"]
            if new.get("table_class") and new["table_class"] != desired["table_class"]:
                create["TableClassOverride"] = new["table_class"]
            if new.get("global_secondary_indexes") and desired["billing_mode"] == "PROVISIONED":
                create["GlobalSecondaryIndexes"] = [
                    {"IndexName": n, "ProvisionedThroughputOverride": {"ReadCapacityUnits": r}}
                    for n, r in sorted(new["global_secondary_indexes"].items())
                ]
            steps.append(
                _update(
                    "add_replica",
                    f"add replica {region}",
                    {"ReplicaUpdates": [{"Create": create}]},
                    wait="replica_active",
                    target=region,
                )
            )
            # What the new replica has once created; the rest is set like for an existing one.
            added.add(region)
            old = dict(copy.deepcopy(new), deletion_protection=False, point_in_time_recovery=False)
        if desired["billing_mode"] == "PROVISIONED" and region not in added:
            changed = {
                n: r
                for n, r in sorted(new["global_secondary_indexes"].items())
                if (old.get("global_secondary_indexes") or {}).get(n) != r
            }
            if changed:
                update = {
                    "RegionName": region,
                    "GlobalSecondaryIndexes": [
                        {"IndexName": n, "ProvisionedThroughputOverride": {"ReadCapacityUnits": r}}
                        for n, r in changed.items()
                    ],
                }
                text = ", ".join(f"{n} {r}" for n, r in changed.items())
                steps.append(
                    _update(
                        "replica_gsi",
                        f"set GSI read capacity in {region} ({text})",
                        {"ReplicaUpdates": [{"Update": update}]},
                    )
                )
        if region not in added and new.get("table_class") and old.get("table_class") != new["table_class"]:
            steps.append(
                _update(
                    "replica_table_class",
                    f"change table class in {region} {old.get('table_class')} -> {new['table_class']}",
                    {"TableClass": new["table_class"]},
                    region=region,
                )
            )
        if (
            region not in added
            and new.get("kms_key_id")
            and not kms_key_matches(new["kms_key_id"], old.get("kms_key_id"))
        ):
            spec = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": new["kms_key_id"]}
            steps.append(
                _update(
                    "replica_sse",
                    f"encrypt replica {region} with KMS key {new['kms_key_id']}",
                    {"SSESpecification": spec},
                    region=region,
                )
            )
        if (
            new.get("point_in_time_recovery") is not None
            and bool(old.get("point_in_time_recovery")) != new["point_in_time_recovery"]
        ):
            flag = new["point_in_time_recovery"]
            steps.append(
                _step(
                    "replica_pitr",
                    f"{_enable(flag)} point-in-time recovery in {region}",
                    "update_continuous_backups",
                    {"enabled": flag},
                    region=region,
                )
            )
        if new.get("deletion_protection") and not old.get("deletion_protection"):
            steps.append(
                _update(
                    "replica_deletion_protection",
                    f"enable deletion protection in {region}",
                    {"DeletionProtectionEnabled": True},
                    region=region,
                )
            )

    # 9. Deletion protection last.
    if desired["deletion_protection"] and not current["deletion_protection"]:
        steps.append(_update("deletion_protection", "enable deletion protection", {"DeletionProtectionEnabled": True}))
    return steps


def plan_absent(current: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Remove the replicas one by one, then delete the table."""
    steps = [
        _update(
            "remove_replica",
            f"remove replica {region}",
            {"ReplicaUpdates": [{"Delete": {"RegionName": region}}]},
            wait="replica_gone",
            target=region,
        )
        for region in sorted(current.get("replicas") or {})
    ]
    steps.append(_step("delete_table", f"delete table {current['name']}", "delete_table", wait="deleted"))
    return steps
