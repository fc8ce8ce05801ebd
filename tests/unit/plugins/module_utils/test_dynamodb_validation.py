# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The checks made before any AWS call: each case, the message it gives."""

import botocore
import pytest

from ansible_collections.atelier.infra.plugins.module_utils import dynamodb

from tests.unit.plugins.module_utils.test_dynamodb_builders import HOME
from tests.unit.plugins.module_utils.test_dynamodb_builders import attrs
from tests.unit.plugins.module_utils.test_dynamodb_builders import gsi
from tests.unit.plugins.module_utils.test_dynamodb_builders import lsi
from tests.unit.plugins.module_utils.test_dynamodb_builders import params
from tests.unit.plugins.module_utils.test_dynamodb_builders import replica
from tests.unit.plugins.module_utils.test_dynamodb_builders import atelierdb_params

REGIONS = {
    "aws": {"af-south-1", "eu-central-1", "eu-west-1", "us-east-1"},
    "aws-cn": {"cn-north-1"},
}


def table(**overrides):
    """A valid creation request: PK/SK, one GSI, every key defined, LSIs given (so that unused
    definitions are judged before any AWS call)."""
    result = params(
        hash_key="PK",
        range_key="SK",
        attribute_definitions=attrs(PK="S", SK="S", Category="S"),
        global_secondary_indexes=[gsi("GSI_Category", "Category")],
        local_secondary_indexes=[],
    )
    result.update(overrides)
    return result


NEW_AND_OLD = dict(stream_enabled=True, stream_view_type="NEW_AND_OLD_IMAGES")

# id, parameters, the message
CASES = [
    (
        "replica in the home region",
        table(**NEW_AND_OLD, replicas=[replica(HOME)]),
        "replicas: eu-central-1 is the table's own region (the region the module connects to); the table is already"
        " there, list only the other regions.",
    ),
    (
        "replica region twice",
        table(**NEW_AND_OLD, replicas=[replica("eu-west-1"), replica("eu-west-1", deletion_protection=True)]),
        "replicas: region eu-west-1 is listed 2 times.",
    ),
    (
        "not a DynamoDB region",
        table(**NEW_AND_OLD, replicas=[replica("eu-moon-1")]),
        f"replicas: eu-moon-1 is not a DynamoDB region (botocore {botocore.__version__} knows no DynamoDB endpoint there).",
    ),
    (
        "replica in another partition",
        table(**NEW_AND_OLD, replicas=[replica("cn-north-1")]),
        "replicas: cn-north-1 is in partition aws-cn but the table's region eu-central-1 is in aws; a global table"
        " can't span partitions.",
    ),
    (
        "PROVISIONED without capacities",
        table(billing_mode="PROVISIONED", read_capacity=5),
        "billing_mode=PROVISIONED requires both read_capacity and write_capacity.",
    ),
    (
        "capacities with PAY_PER_REQUEST",
        table(billing_mode="PAY_PER_REQUEST", read_capacity=5, write_capacity=5),
        "read_capacity and write_capacity can't be set with billing_mode=PAY_PER_REQUEST: an on-demand table has no"
        " provisioned throughput.",
    ),
    (
        "GSI capacities with PAY_PER_REQUEST",
        table(
            billing_mode="PAY_PER_REQUEST",
            global_secondary_indexes=[gsi("GSI_Category", "Category", read_capacity=1, write_capacity=1)],
        ),
        "global secondary index GSI_Category: read_capacity and write_capacity can't be set with"
        " billing_mode=PAY_PER_REQUEST.",
    ),
    (
        "GSI key without definition",
        table(global_secondary_indexes=[gsi("GSI_Category", "Category", "Price")]),
        "global secondary index GSI_Category: key attribute Price has no entry in attribute_definitions.",
    ),
    (
        "LSI key without definition",
        table(local_secondary_indexes=[lsi("LSI_Date", "Date")]),
        "local secondary index LSI_Date: key attribute Date has no entry in attribute_definitions.",
    ),
    (
        "table key without definition",
        table(range_key="Date", attribute_definitions=attrs(PK="S", Category="S")),
        "The table's range key Date has no entry in attribute_definitions.",
    ),
    (
        "definition no key uses",
        table(attribute_definitions=attrs(PK="S", SK="S", Category="S", Price="N")),
        "attribute_definitions: Price is not a key of the table or of any index; DynamoDB refuses attribute"
        " definitions that no key uses (define only key attributes).",
    ),
    (
        "attribute defined twice",
        table(attribute_definitions=attrs(PK="S", SK="S", Category="S") + attrs(PK="N")),
        "attribute_definitions: PK is defined 2 times.",
    ),
    (
        "TTL on the hash key",
        table(ttl_attribute="PK"),
        "ttl_attribute: PK is the table's hash key; the module refuses a key as the TTL attribute: items would expire"
        " by their key value, and since a key can't be updated in place an item's expiry could never be pushed back."
        " Use a separate attribute such as ExpiresAt.",
    ),
    (
        "TTL on the range key",
        table(ttl_attribute="SK"),
        "ttl_attribute: SK is the table's range key; the module refuses a key as the TTL attribute: items would expire"
        " by their key value, and since a key can't be updated in place an item's expiry could never be pushed back."
        " Use a separate attribute such as ExpiresAt.",
    ),
    (
        "replicas with a KEYS_ONLY stream",
        table(stream_view_type="KEYS_ONLY", replicas=[replica("eu-west-1")]),
        "replicas require the table's stream enabled with stream_view_type=NEW_AND_OLD_IMAGES (DynamoDB replicates"
        " through it); got stream_enabled=None, stream_view_type=KEYS_ONLY.",
    ),
    (
        "replicas with the stream disabled",
        table(stream_enabled=False, replicas=[replica("eu-west-1")]),
        "replicas require the table's stream enabled with stream_view_type=NEW_AND_OLD_IMAGES (DynamoDB replicates"
        " through it); got stream_enabled=False, stream_view_type=None.",
    ),
    (
        "index name used twice",
        table(
            attribute_definitions=attrs(PK="S", SK="S", Category="S", Date="S"),
            local_secondary_indexes=[lsi("GSI_Category", "Date")],
        ),
        "Index name GSI_Category is used 2 times; index names must be unique across global and local secondary indexes.",
    ),
    (
        "more than 20 GSIs",
        table(
            attribute_definitions=attrs(PK="S", SK="S", Category="S"),
            global_secondary_indexes=[gsi(f"GSI_{n:02d}", "Category") for n in range(21)],
        ),
        "global_secondary_indexes: 21 indexes; DynamoDB allows at most 20 per table.",
    ),
    (
        "more than 5 LSIs",
        table(
            attribute_definitions=attrs(PK="S", SK="S", Category="S", Date="S"),
            local_secondary_indexes=[lsi(f"LSI_{n}", "Date") for n in range(6)],
        ),
        "local_secondary_indexes: 6 indexes; DynamoDB allows at most 5 per table.",
    ),
    (
        "LSI on a table without range key",
        table(
            range_key=None,
            attribute_definitions=attrs(PK="S", Category="S", Date="S"),
            local_secondary_indexes=[lsi("LSI_Date", "Date")],
        ),
        "local_secondary_indexes require a table with a range_key (a composite primary key).",
    ),
    (
        "INCLUDE without attributes",
        table(global_secondary_indexes=[gsi("GSI_Category", "Category", projection_type="INCLUDE")]),
        "global secondary index GSI_Category: projection_type=INCLUDE requires non_key_attributes.",
    ),
    (
        "non-key attributes with ALL",
        table(global_secondary_indexes=[gsi("GSI_Category", "Category", non_key_attributes=["Name"])]),
        "global secondary index GSI_Category: non_key_attributes is only allowed with projection_type=INCLUDE (not ALL).",
    ),
    (
        "stream view type with the stream disabled",
        table(stream_enabled=False, stream_view_type="KEYS_ONLY"),
        "stream_view_type can't be set with stream_enabled=false.",
    ),
    (
        "KMS key without sse_type KMS",
        table(kms_key_id="1234abcd-12ab-34cd-56ef-1234567890ab"),
        "kms_key_id requires sse_type=KMS.",
    ),
    (
        "KMS alias",
        table(sse_type="KMS", kms_key_id="alias/atelier"),
        "kms_key_id: give the key ID or key ARN, not the alias alias/atelier: DynamoDB reports the key's ARN, which an"
        " alias can't be compared with, so every run would set the key again.",
    ),
    (
        "replica index override of an unknown index",
        table(
            **NEW_AND_OLD,
            billing_mode="PROVISIONED",
            read_capacity=1,
            write_capacity=1,
            replicas=[replica("eu-west-1", global_secondary_indexes=[{"name": "GSI_Nope", "read_capacity": 3}])],
        ),
        "replicas: eu-west-1 overrides global secondary index GSI_Nope, which is not in global_secondary_indexes.",
    ),
    (
        "replica index override on demand",
        table(
            **NEW_AND_OLD,
            billing_mode="PAY_PER_REQUEST",
            replicas=[replica("eu-west-1", global_secondary_indexes=[{"name": "GSI_Category", "read_capacity": 3}])],
        ),
        "replicas: eu-west-1 sets read_capacity for index GSI_Category, which needs billing_mode=PROVISIONED.",
    ),
    (
        "capacity below 1",
        table(billing_mode="PROVISIONED", read_capacity=0, write_capacity=1),
        "read_capacity must be at least 1, not 0.",
    ),
    ("wait_timeout below 1", table(wait_timeout=0), "wait_timeout must be at least 1 second, not 0."),
]


@pytest.mark.parametrize("module_params, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_problem_has_its_message(module_params, message):
    assert dynamodb.validate_parameters(module_params, HOME, REGIONS) == [message]


def test_valid_requests_pass():
    assert dynamodb.validate_parameters(table(), HOME, REGIONS) == []
    assert (
        dynamodb.validate_parameters(atelierdb_params(local_secondary_indexes=[]), HOME, dynamodb.known_dynamodb_regions())
        == []
    )
    # The role's teardown call: only deletion protection, nothing about keys or streams.
    teardown = params(
        deletion_protection=False, replicas=[replica("af-south-1", deletion_protection=False)], purge_replicas=False
    )
    assert dynamodb.validate_parameters(teardown, HOME, REGIONS) == []


def test_all_problems_are_reported_at_once():
    problems = dynamodb.validate_parameters(
        table(billing_mode="PROVISIONED", ttl_attribute="PK", replicas=[replica(HOME)], stream_enabled=False),
        HOME,
        REGIONS,
    )
    assert len(problems) == 4


def test_unused_definitions_wait_for_the_table_when_indexes_may_be_kept():
    # local_secondary_indexes left out: an existing LSI may use Date, judged once the table is read.
    module_params = table(
        attribute_definitions=attrs(PK="S", SK="S", Category="S", Date="S"), local_secondary_indexes=None
    )
    assert dynamodb.validate_parameters(module_params, HOME, REGIONS) == []


def test_absent_needs_nothing_else():
    assert dynamodb.validate_parameters(params(state="absent", billing_mode="PROVISIONED"), HOME, REGIONS) == []


def test_known_regions_come_from_botocore_data():
    regions = dynamodb.known_dynamodb_regions()
    assert {"af-south-1", "eu-west-1", "us-east-1"} <= regions["aws"]
    assert "cn-north-1" in regions["aws-cn"]
    assert "us-gov-west-1" in regions["aws-us-gov"]
    assert not any("eu-moon-1" in names for names in regions.values())
