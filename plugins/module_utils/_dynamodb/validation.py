# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
Checks of the module parameters that need nothing from AWS (run before any AWS call).
Checks that depend on the existing table are in planner.check_desired.

Every check returns a message that names the option, the value and what DynamoDB (or the
module) requires; validate_parameters returns them all, not only the first.
"""

from collections import Counter
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Set

try:
    import boto3
    import botocore
except ImportError:
    pass  # Modules are responsible for handling this.

MAX_GSIS = 20
MAX_LSIS = 5
# DynamoDB replicates through the table's stream, which must carry both images.
REPLICA_STREAM_VIEW_TYPE = "NEW_AND_OLD_IMAGES"
# DynamoDB's own projection rule: non-key attributes only with INCLUDE.
INCLUDE = "INCLUDE"


def known_dynamodb_regions() -> Dict[str, Set[str]]:
    """partition -> the regions of that partition where DynamoDB has an endpoint, from the data
    files botocore ships (no network): the service's endpoints (get_available_regions), plus
    every region of the partition (partitions.json), since DynamoDB is in every region and a
    region may be listed there before the service's endpoint data catches up."""
    session = boto3.session.Session()
    regions = {}
    for partition in session.get_available_partitions():
        regions[partition] = set(session.get_available_regions("dynamodb", partition_name=partition))
    try:
        partitions = botocore.loaders.create_loader().load_data("partitions")
    except Exception:  # pylint: disable=broad-except
        partitions = {}
    for partition in partitions.get("partitions", []):
        regions.setdefault(partition["id"], set()).update(partition.get("regions", {}).keys())
    return regions


def partition_of(region: str, regions: Dict[str, Set[str]]) -> Optional[str]:
    for partition, names in regions.items():
        if region in names:
            return partition
    return None


def _index_problems(kind: str, index: Dict[str, Any]) -> List[str]:
    problems = []
    projection_type = index.get("projection_type") or "ALL"
    if projection_type == INCLUDE and not index.get("non_key_attributes"):
        problems.append(f"{kind} {index['name']}: projection_type=INCLUDE requires non_key_attributes.")
    if projection_type != INCLUDE and index.get("non_key_attributes"):
        problems.append(
            f"{kind} {index['name']}: non_key_attributes is only allowed with projection_type=INCLUDE"
            f" (not {projection_type})."
        )
    return problems


def key_attribute_problems(
    hash_key: Optional[str],
    range_key: Optional[str],
    gsis: Dict[str, Dict[str, Any]],
    lsis: Dict[str, Dict[str, Any]],
    definitions: Dict[str, str],
    check_unused: bool = True,
) -> List[str]:
    """Every key attribute has an attribute definition, and (check_unused) every definition is
    a key of the table or of an index: CreateTable and UpdateTable refuse unused definitions."""
    problems = []
    used = []
    for role, name in (("hash key", hash_key), ("range key", range_key)):
        if name:
            used.append(name)
            if name not in definitions:
                problems.append(f"The table's {role} {name} has no entry in attribute_definitions.")
    for kind, indexes in (("global secondary index", gsis), ("local secondary index", lsis)):
        for index_name, index in sorted(indexes.items()):
            for role in ("hash_key", "range_key"):
                name = index.get(role)
                if not name:
                    continue
                used.append(name)
                if name not in definitions:
                    problems.append(f"{kind} {index_name}: key attribute {name} has no entry in attribute_definitions.")
    if check_unused:
        for name in sorted(set(definitions) - set(used)):
            problems.append(
                f"attribute_definitions: {name} is not a key of the table or of any index; DynamoDB refuses"
                " attribute definitions that no key uses (define only key attributes)."
            )
    return problems


def ttl_problems(ttl_attribute: Optional[str], hash_key: Optional[str], range_key: Optional[str]) -> List[str]:
    if not ttl_attribute:
        return []
    for role, name in (("hash key", hash_key), ("range key", range_key)):
        if name and ttl_attribute == name:
            return [
                f"ttl_attribute: {ttl_attribute} is the table's {role}; the module refuses a key as the TTL"
                " attribute: items would expire by their key value, and since a key can't be updated in place an"
                " item's expiry could never be pushed back. Use a separate attribute such as ExpiresAt."
            ]
    return []


def validate_parameters(params: Dict[str, Any], home_region: Optional[str], regions: Dict[str, Set[str]]) -> List[str]:
    """Everything wrong with the parameters that can be seen without asking AWS."""
    if params.get("state") == "absent":
        return []
    problems = []

    definitions = {}
    if params.get("attribute_definitions") is not None:
        counts = Counter(a["name"] for a in params["attribute_definitions"])
        for name, count in sorted(counts.items()):
            if count > 1:
                problems.append(f"attribute_definitions: {name} is defined {count} times.")
        definitions = {a["name"]: a["type"] for a in params["attribute_definitions"]}

    # Capacities and billing mode.
    billing_mode = params.get("billing_mode")
    read, write = params.get("read_capacity"), params.get("write_capacity")
    if billing_mode == "PROVISIONED" and (read is None or write is None):
        problems.append("billing_mode=PROVISIONED requires both read_capacity and write_capacity.")
    if billing_mode == "PAY_PER_REQUEST" and (read is not None or write is not None):
        problems.append(
            "read_capacity and write_capacity can't be set with billing_mode=PAY_PER_REQUEST: an on-demand"
            " table has no provisioned throughput."
        )
    for option, value in (("read_capacity", read), ("write_capacity", write)):
        if value is not None and value < 1:
            problems.append(f"{option} must be at least 1, not {value}.")

    # Indexes.
    gsis = params.get("global_secondary_indexes") or []
    lsis = params.get("local_secondary_indexes") or []
    if len(gsis) > MAX_GSIS:
        problems.append(f"global_secondary_indexes: {len(gsis)} indexes; DynamoDB allows at most {MAX_GSIS} per table.")
    if len(lsis) > MAX_LSIS:
        problems.append(f"local_secondary_indexes: {len(lsis)} indexes; DynamoDB allows at most {MAX_LSIS} per table.")
    names = Counter([g["name"] for g in gsis] + [i["name"] for i in lsis])
    for name, count in sorted(names.items()):
        if count > 1:
            problems.append(
                f"Index name {name} is used {count} times; index names must be unique across global and local"
                " secondary indexes."
            )
    for gsi in gsis:
        problems.extend(_index_problems("global secondary index", gsi))
        capacities = (gsi.get("read_capacity"), gsi.get("write_capacity"))
        if billing_mode == "PAY_PER_REQUEST" and any(c is not None for c in capacities):
            problems.append(
                f"global secondary index {gsi['name']}: read_capacity and write_capacity can't be set with"
                " billing_mode=PAY_PER_REQUEST."
            )
        elif billing_mode == "PROVISIONED" and sum(c is None for c in capacities) == 1:
            problems.append(
                f"global secondary index {gsi['name']}: give both read_capacity and write_capacity, or neither"
                " (then the table's capacities are used)."
            )
    for lsi in lsis:
        problems.extend(_index_problems("local secondary index", lsi))
    if lsis and params.get("hash_key") and not params.get("range_key"):
        problems.append("local_secondary_indexes require a table with a range_key (a composite primary key).")

    # Key attributes against attribute_definitions, when both are given.
    if params.get("attribute_definitions") is not None:
        gsi_map = {g["name"]: g for g in gsis}
        lsi_map = {i["name"]: i for i in lsis}
        # Unused definitions can only be judged here when every key of the table is known from
        # the parameters (otherwise indexes kept from the existing table may use them).
        complete = (
            bool(params.get("hash_key"))
            and params.get("global_secondary_indexes") is not None
            and params.get("purge_global_secondary_indexes", True)
            and params.get("local_secondary_indexes") is not None
        )
        if params.get("hash_key"):
            problems.extend(
                key_attribute_problems(
                    params.get("hash_key"), params.get("range_key"), gsi_map, lsi_map, definitions, complete
                )
            )
        else:
            problems.extend(key_attribute_problems(None, None, gsi_map, lsi_map, definitions, False))

    problems.extend(ttl_problems(params.get("ttl_attribute"), params.get("hash_key"), params.get("range_key")))

    # Streams.
    if params.get("stream_enabled") is False and params.get("stream_view_type"):
        problems.append("stream_view_type can't be set with stream_enabled=false.")

    # Encryption.
    if params.get("kms_key_id") and params.get("sse_type") != "KMS":
        problems.append("kms_key_id requires sse_type=KMS.")

    # Replicas.
    replicas = params.get("replicas") or []
    keys = [("kms_key_id", params.get("kms_key_id"))]
    keys.extend((f"replicas: {r['region']} kms_key_id", r.get("kms_key_id")) for r in replicas)
    for option, key in keys:
        if key and (key.startswith("alias/") or ":alias/" in key):
            problems.append(
                f"{option}: give the key ID or key ARN, not the alias {key}: DynamoDB reports the key's ARN, which"
                " an alias can't be compared with, so every run would set the key again."
            )
    if replicas:
        view_type = params.get("stream_view_type")
        if params.get("stream_enabled") is False or (view_type and view_type != REPLICA_STREAM_VIEW_TYPE):
            problems.append(
                "replicas require the table's stream enabled with stream_view_type=NEW_AND_OLD_IMAGES (DynamoDB"
                f" replicates through it); got stream_enabled={params.get('stream_enabled')},"
                f" stream_view_type={view_type}."
            )
    home_partition = partition_of(home_region, regions) if home_region else None
    counts = Counter(r["region"] for r in replicas)
    for region, count in sorted(counts.items()):
        if count > 1:
            problems.append(f"replicas: region {region} is listed {count} times.")
    gsi_names = {g["name"] for g in gsis}
    for replica in replicas:
        region = replica["region"]
        if region == home_region:
            problems.append(
                f"replicas: {region} is the table's own region (the region the module connects to); the table"
                " is already there, list only the other regions."
            )
            continue
        partition = partition_of(region, regions)
        if partition is None:
            problems.append(
                f"replicas: {region} is not a DynamoDB region (botocore {getattr(botocore, '__version__', '?')}"
                " knows no DynamoDB endpoint there)."
            )
        elif home_partition is not None and partition != home_partition:
            problems.append(
                f"replicas: {region} is in partition {partition} but the table's region {home_region} is in"
                f" {home_partition}; a global table can't span partitions."
            )
        if replica.get("kms_key_id") and params.get("sse_type") == "AWS_OWNED":
            problems.append(f"replicas: {region} has a kms_key_id but sse_type is AWS_OWNED.")
        overrides = replica.get("global_secondary_indexes") or []
        for name, count in sorted(Counter(o["name"] for o in overrides).items()):
            if count > 1:
                problems.append(f"replicas: {region} lists global secondary index {name} {count} times.")
        for override in overrides:
            if params.get("global_secondary_indexes") is not None and override["name"] not in gsi_names:
                problems.append(
                    f"replicas: {region} overrides global secondary index {override['name']}, which is not in"
                    " global_secondary_indexes."
                )
            if override.get("read_capacity") is not None and billing_mode == "PAY_PER_REQUEST":
                problems.append(
                    f"replicas: {region} sets read_capacity for index {override['name']}, which needs"
                    " billing_mode=PROVISIONED."
                )

    if params.get("wait_timeout") is not None and params["wait_timeout"] < 1:
        problems.append(f"wait_timeout must be at least 1 second, not {params['wait_timeout']}.")
    return problems
