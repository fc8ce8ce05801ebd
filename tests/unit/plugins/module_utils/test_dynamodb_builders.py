# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Builders shared by the DynamoDB tests (module parameters as the argument spec fills them in,
normalised configurations as model.current_config returns them), and the tests that keep them
honest: the parameters the builders make are those the module's argument spec makes."""

import copy

from ansible_collections.atelier.infra.plugins.module_utils import dynamodb

HOME = "eu-central-1"

# Every option of atelier.infra.dynamodb_global_table, as AnsibleModule passes them (defaults applied).
DEFAULT_PARAMS = dict(
    name="AtelierDB",
    state="present",
    hash_key=None,
    range_key=None,
    attribute_definitions=None,
    billing_mode=None,
    read_capacity=None,
    write_capacity=None,
    table_class=None,
    global_secondary_indexes=None,
    purge_global_secondary_indexes=True,
    local_secondary_indexes=None,
    ttl_attribute=None,
    stream_enabled=None,
    stream_view_type=None,
    sse_type=None,
    kms_key_id=None,
    point_in_time_recovery=None,
    deletion_protection=None,
    replicas=None,
    purge_replicas=True,
    tags=None,
    purge_tags=True,
    wait=True,
    wait_timeout=1200,
    defer_replicas=False,
)


def params(**overrides):
    result = copy.deepcopy(DEFAULT_PARAMS)
    result.update(overrides)
    return result


def attrs(**types):
    """attribute_definitions as the module takes them: attrs(PK="S", Price="N")."""
    return [{"name": name, "type": attr_type} for name, attr_type in types.items()]


def gsi(
    name,
    hash_key,
    range_key=None,
    projection_type="ALL",
    non_key_attributes=None,
    read_capacity=None,
    write_capacity=None,
):
    """A global_secondary_indexes item with every suboption, as the argument spec fills it in."""
    return dict(
        name=name,
        hash_key=hash_key,
        range_key=range_key,
        projection_type=projection_type,
        non_key_attributes=non_key_attributes,
        read_capacity=read_capacity,
        write_capacity=write_capacity,
    )


def lsi(name, range_key, projection_type="ALL", non_key_attributes=None):
    return dict(name=name, range_key=range_key, projection_type=projection_type, non_key_attributes=non_key_attributes)


def replica(region, **settings):
    result = dict(
        region=region,
        kms_key_id=None,
        table_class=None,
        deletion_protection=None,
        point_in_time_recovery=None,
        global_secondary_indexes=None,
    )
    result.update(settings)
    return result


# The role's table, the Atelier stack's AtelierDB, with its five GSIs.
ATELIERDB_ATTRIBUTES = dict(
    PK="S",
    SK="S",
    ProductKey="S",
    ProductName="S",
    Category="S",
    Price="N",
    UserId="S",
    OrderDate="S",
    OrderMonth="S",
)
ATELIERDB_GSIS = [
    gsi("GSI_AllProducts", "ProductKey", "ProductName"),
    gsi("GSI_Category", "Category", "ProductName"),
    gsi("GSI_CategoryPrice", "Category", "Price"),
    gsi("GSI_UserOrders", "UserId", "OrderDate"),
    gsi("GSI_OrdersByDate", "OrderMonth", "OrderDate"),
]


def atelierdb_params(**overrides):
    """The role's call for AtelierDB."""
    result = params(
        hash_key="PK",
        range_key="SK",
        attribute_definitions=attrs(**ATELIERDB_ATTRIBUTES),
        billing_mode="PAY_PER_REQUEST",
        global_secondary_indexes=copy.deepcopy(ATELIERDB_GSIS),
        table_class="STANDARD",
        ttl_attribute="ExpiresAt",
        stream_enabled=True,
        stream_view_type="NEW_AND_OLD_IMAGES",
        sse_type="KMS",
        point_in_time_recovery=True,
        deletion_protection=True,
        replicas=[
            replica("af-south-1", deletion_protection=True, point_in_time_recovery=True),
            replica("eu-west-1", deletion_protection=True, point_in_time_recovery=True),
        ],
        tags={"Name": "AtelierDB"},
    )
    result.update(overrides)
    return result


def gsi_config(hash_key, range_key=None, projection_type="ALL", non_key_attributes=None, read=None, write=None):
    return dict(
        hash_key=hash_key,
        range_key=range_key,
        projection_type=projection_type,
        non_key_attributes=sorted(non_key_attributes or []),
        read_capacity=read,
        write_capacity=write,
    )


def replica_config(**overrides):
    result = dict(
        kms_key_id=None,
        table_class="STANDARD",
        deletion_protection=False,
        point_in_time_recovery=False,
        global_secondary_indexes={},
    )
    result.update(overrides)
    return result


def config(**overrides):
    """A normalised configuration: PK/SK, on demand, GSI_Category, TTL on ExpiresAt, stream
    NEW_AND_OLD_IMAGES, AWS owned key, PITR on, no deletion protection, no replicas."""
    result = dict(
        name="AtelierDB",
        hash_key="PK",
        range_key="SK",
        attribute_definitions={"PK": "S", "SK": "S", "Category": "S", "ProductName": "S"},
        billing_mode="PAY_PER_REQUEST",
        read_capacity=None,
        write_capacity=None,
        table_class="STANDARD",
        global_secondary_indexes={"GSI_Category": gsi_config("Category", "ProductName")},
        local_secondary_indexes={},
        ttl_attribute="ExpiresAt",
        stream_enabled=True,
        stream_view_type="NEW_AND_OLD_IMAGES",
        sse_type="AWS_OWNED",
        kms_key_id=None,
        point_in_time_recovery=True,
        deletion_protection=False,
        replicas={},
        tags={"Name": "AtelierDB"},
    )
    result.update(overrides)
    return result


def matching_params(**overrides):
    """Parameters that describe config() exactly."""
    result = params(
        hash_key="PK",
        range_key="SK",
        attribute_definitions=attrs(PK="S", SK="S", Category="S", ProductName="S"),
        billing_mode="PAY_PER_REQUEST",
        global_secondary_indexes=[gsi("GSI_Category", "Category", "ProductName")],
        local_secondary_indexes=[],
        ttl_attribute="ExpiresAt",
        stream_enabled=True,
        stream_view_type="NEW_AND_OLD_IMAGES",
        sse_type="AWS_OWNED",
        point_in_time_recovery=True,
        deletion_protection=False,
        replicas=[],
        tags={"Name": "AtelierDB"},
    )
    result.update(overrides)
    return result


def test_matching_params_describe_config():
    current = config()
    assert dynamodb.desired_config(matching_params(), current) == current
    assert dynamodb.plan_present(current, dynamodb.desired_config(matching_params(), current)) == []


def test_default_params_are_those_of_the_argument_spec(monkeypatch):
    """DEFAULT_PARAMS has every option of the module, with the argument spec's defaults."""
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    from ansible_collections.atelier.infra.plugins.modules import dynamodb_global_table

    captured = {}

    class Stop(Exception):
        pass

    def fake_module(argument_spec, **kwargs):
        captured.update(argument_spec)
        raise Stop()

    monkeypatch.setattr(dynamodb_global_table, "AnsibleAWSModule", fake_module)
    try:
        dynamodb_global_table.main()
    except Stop:
        pass
    validated = ArgumentSpecValidator(captured).validate({"name": "AtelierDB"}).validated_parameters
    assert validated == DEFAULT_PARAMS
    full_gsi = (
        ArgumentSpecValidator(captured)
        .validate(
            {"name": "x", "global_secondary_indexes": [{"name": "G", "hash_key": "H"}], "replicas": [{"region": "r"}]}
        )
        .validated_parameters
    )
    assert full_gsi["global_secondary_indexes"] == [gsi("G", "H")]
    assert full_gsi["replicas"] == [replica("r")]
