"""RDS additions of the emulator, seen through boto3 (so every answer also parses with botocore's service model).

Each test fails against plain moto; check with ``ATELIER_EMULATOR_DISABLE_ADDITIONS=<module> pytest
tests/emulator/test_emulator_rds.py`` (the module is named in the test's docstring).
"""

import uuid

import pytest
from botocore.exceptions import ClientError


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _error(call, **kwargs) -> tuple[dict, int]:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value.response["Error"], caught.value.response["ResponseMetadata"]["HTTPStatusCode"]


def _parameters(rds, group: str, **extra) -> dict[str, dict]:
    pages = rds.get_paginator("describe_db_parameters").paginate(DBParameterGroupName=group, **extra)
    return {parameter["ParameterName"]: parameter for page in pages for parameter in page["Parameters"]}


def _instance(rds, identifier: str, **extra) -> dict:
    settings = {
        "DBInstanceIdentifier": identifier,
        "DBInstanceClass": "db.t3.micro",
        "Engine": "postgres",
        "EngineVersion": "15.5",
        "AllocatedStorage": 20,
        "StorageType": "gp3",
        "StorageEncrypted": True,
        "MasterUsername": "postgres",
        "MasterUserPassword": "not-a-real-password-1",
        **extra,
    }
    return rds.create_db_instance(**settings)["DBInstance"]


def _describe(rds, identifier: str) -> dict:
    return rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]


def test_rds_parameter_groups_not_found_and_family_check(emulator):
    """rds_parameter_groups: unknown groups are DBParameterGroupNotFound (404), families are checked."""
    rds = emulator.client("rds")
    name = _name("Atelier-PG")

    error, status = _error(rds.describe_db_parameter_groups, DBParameterGroupName=name)
    assert (error["Code"], status) == ("DBParameterGroupNotFound", 404)
    error, status = _error(
        rds.create_db_parameter_group, DBParameterGroupName=name, DBParameterGroupFamily="postgres99", Description="x"
    )
    assert (error["Code"], status) == ("InvalidParameterValue", 400)
    assert "postgres99 is not a valid parameter group family" in error["Message"]

    rds.create_db_parameter_group(DBParameterGroupName=name, DBParameterGroupFamily="postgres15", Description="pg")
    rds.create_db_parameter_group(
        DBParameterGroupName=_name("mysql"), DBParameterGroupFamily="mysql8.0", Description="mysql"
    )

    # Stored in lowercase, found whatever the case of the name asked for.
    (group,) = rds.describe_db_parameter_groups(DBParameterGroupName=name)["DBParameterGroups"]
    assert (group["DBParameterGroupName"], group["DBParameterGroupFamily"]) == (name.lower(), "postgres15")
    (default,) = rds.describe_db_parameter_groups(DBParameterGroupName="default.postgres15")["DBParameterGroups"]
    assert default["DBParameterGroupFamily"] == "postgres15"
    error, status = _error(rds.describe_db_parameters, DBParameterGroupName=_name("missing"))
    assert (error["Code"], status) == ("DBParameterGroupNotFound", 404)

    rds.delete_db_parameter_group(DBParameterGroupName=name)
    error, _ = _error(rds.describe_db_parameter_groups, DBParameterGroupName=name)
    assert error["Code"] == "DBParameterGroupNotFound"


def test_rds_parameter_groups_engine_defaults_and_user_values(emulator):
    """rds_parameter_groups: DescribeDBParameters gives the family's defaults merged with the user's values."""
    rds = emulator.client("rds")
    name = _name("pg15")
    rds.create_db_parameter_group(DBParameterGroupName=name, DBParameterGroupFamily="postgres15", Description="pg")

    fresh = _parameters(rds, name)
    assert fresh["log_min_duration_statement"] == {
        "ParameterName": "log_min_duration_statement",
        "Description": "Sets the minimum execution time above which statements will be logged.",
        "Source": "engine-default",
        "ApplyType": "dynamic",
        "DataType": "integer",
        "AllowedValues": "-1-2147483647",
        "IsModifiable": True,
        "ApplyMethod": "pending-reboot",
    }
    assert {"log_statement", "log_connections", "log_disconnections", "work_mem", "statement_timeout"} <= set(fresh)
    assert (fresh["rds.force_ssl"]["DataType"], fresh["rds.force_ssl"]["ParameterValue"]) == ("boolean", "1")
    assert fresh["shared_preload_libraries"]["ApplyType"] == "static"
    assert fresh["archive_command"]["IsModifiable"] is False

    rds.modify_db_parameter_group(
        DBParameterGroupName=name,
        Parameters=[
            {"ParameterName": "log_min_duration_statement", "ParameterValue": "500", "ApplyMethod": "immediate"},
            {
                "ParameterName": "shared_preload_libraries",
                "ParameterValue": "pg_stat_statements,pg_cron",
                "ApplyMethod": "pending-reboot",
            },
        ],
    )

    merged = _parameters(rds, name)
    assert len(merged) == len(fresh)
    assert (merged["log_min_duration_statement"]["ParameterValue"], merged["log_min_duration_statement"]["Source"]) == (
        "500",
        "user",
    )
    assert merged["log_min_duration_statement"]["DataType"] == "integer"
    assert merged["shared_preload_libraries"]["ParameterValue"] == "pg_stat_statements,pg_cron"
    assert merged["log_statement"]["Source"] == "engine-default"
    assert set(_parameters(rds, name, Source="user")) == {"log_min_duration_statement", "shared_preload_libraries"}


def test_rds_parameter_groups_modify_checks(emulator):
    """rds_parameter_groups: ModifyDBParameterGroup refuses unknown, non-modifiable and invalid parameters."""
    rds = emulator.client("rds")
    name = _name("pg15")
    rds.create_db_parameter_group(DBParameterGroupName=name, DBParameterGroupFamily="postgres15", Description="pg")

    def modify(parameter_name, value, apply_method="pending-reboot"):
        parameter = {"ParameterName": parameter_name, "ParameterValue": value, "ApplyMethod": apply_method}
        return _error(rds.modify_db_parameter_group, DBParameterGroupName=name, Parameters=[parameter])

    error, status = modify("no_such_parameter", "1")
    assert (error["Code"], status, error["Message"]) == (
        "InvalidParameterValue",
        400,
        "Could not find parameter with name: no_such_parameter",
    )
    assert modify("archive_command", "/bin/true")[0]["Code"] == "InvalidParameterValue"
    assert modify("log_statement", "everything")[0]["Message"] == (
        "Invalid parameter value: everything for: log_statement allowed values are: none,ddl,mod,all"
    )
    assert modify("rds.force_ssl", "2")[0]["Code"] == "InvalidParameterValue"
    assert modify("log_min_duration_statement", "-5")[0]["Code"] == "InvalidParameterValue"
    assert modify("shared_preload_libraries", "pg_stat_statements", "immediate")[0]["Code"] == (
        "InvalidParameterCombination"
    )
    error, _ = _error(
        rds.modify_db_parameter_group,
        DBParameterGroupName=name,
        Parameters=[
            {"ParameterName": "log_statement", "ParameterValue": "ddl", "ApplyMethod": "immediate"},
            {"ParameterName": "no_such_parameter", "ParameterValue": "1", "ApplyMethod": "immediate"},
        ],
    )
    assert error["Code"] == "InvalidParameterValue"
    assert _parameters(rds, name, Source="user") == {}  # nothing applied from a refused call


def test_rds_gp3_storage_defaults(emulator):
    """rds_gp3_storage_defaults: gp3 instances describe their baseline Iops / StorageThroughput."""
    rds = emulator.client("rds")
    small, striped, gp2 = _name("small"), _name("striped"), _name("gp2")

    created = _instance(rds, small)
    _instance(rds, striped, AllocatedStorage=400)
    _instance(rds, gp2, StorageType="gp2")

    assert (created["Iops"], created["StorageThroughput"]) == (3000, 125)
    described = _describe(rds, small)
    assert (described["StorageType"], described["Iops"], described["StorageThroughput"]) == ("gp3", 3000, 125)
    assert (_describe(rds, striped)["Iops"], _describe(rds, striped)["StorageThroughput"]) == (12000, 500)
    assert "Iops" not in _describe(rds, gp2) and "StorageThroughput" not in _describe(rds, gp2)

    error, status = _error(_instance, rds=rds, identifier=_name("explicit"), Iops=3000, StorageThroughput=125)
    assert (error["Code"], status) == ("InvalidParameterCombination", 400)
    assert error["Message"] == (
        "You can't specify IOPS or storage throughput for engine postgres and a storage size less than 400."
    )
    error, _ = _error(rds.modify_db_instance, DBInstanceIdentifier=small, StorageThroughput=200, ApplyImmediately=True)
    assert error["Code"] == "InvalidParameterCombination"

    rds.modify_db_instance(DBInstanceIdentifier=gp2, StorageType="gp3", ApplyImmediately=True)
    assert (_describe(rds, gp2)["Iops"], _describe(rds, gp2)["StorageThroughput"]) == (3000, 125)
    rds.modify_db_instance(DBInstanceIdentifier=striped, StorageThroughput=1000, Iops=15000, ApplyImmediately=True)
    assert (_describe(rds, striped)["Iops"], _describe(rds, striped)["StorageThroughput"]) == (15000, 1000)


def test_rds_performance_insights(emulator):
    """rds_performance_insights: the three settings are kept on create and modify and described."""
    rds = emulator.client("rds")
    kms = emulator.client("kms")
    key_arn = kms.create_key(Description="pi")["KeyMetadata"]["Arn"]
    alias = f"alias/{_name('pi')}"
    kms.create_alias(AliasName=alias, TargetKeyId=key_arn)
    plain, default_key, own_key = _name("plain"), _name("pi-default"), _name("pi-own")

    _instance(rds, plain)
    created = _instance(rds, default_key, EnablePerformanceInsights=True)
    _instance(
        rds,
        own_key,
        EnablePerformanceInsights=True,
        PerformanceInsightsKMSKeyId=alias,
        PerformanceInsightsRetentionPeriod=731,
    )

    assert _describe(rds, plain)["PerformanceInsightsEnabled"] is False
    assert "PerformanceInsightsKMSKeyId" not in _describe(rds, plain)
    assert (created["PerformanceInsightsEnabled"], created["PerformanceInsightsRetentionPeriod"]) == (True, 7)
    aws_rds_key = kms.describe_key(KeyId="alias/aws/rds")["KeyMetadata"]
    assert created["PerformanceInsightsKMSKeyId"] == aws_rds_key["Arn"]
    assert aws_rds_key["KeyManager"] == "AWS"
    own = _describe(rds, own_key)
    assert (own["PerformanceInsightsKMSKeyId"], own["PerformanceInsightsRetentionPeriod"]) == (key_arn, 731)

    rds.modify_db_instance(
        DBInstanceIdentifier=plain, EnablePerformanceInsights=True, PerformanceInsightsRetentionPeriod=93
    )
    modified = _describe(rds, plain)
    assert (modified["PerformanceInsightsEnabled"], modified["PerformanceInsightsRetentionPeriod"]) == (True, 93)
    rds.modify_db_instance(DBInstanceIdentifier=own_key, EnablePerformanceInsights=False)
    assert _describe(rds, own_key)["PerformanceInsightsEnabled"] is False
    assert "PerformanceInsightsRetentionPeriod" not in _describe(rds, own_key)

    error, status = _error(rds.modify_db_instance, DBInstanceIdentifier=plain, PerformanceInsightsRetentionPeriod=94)
    assert (error["Code"], status) == ("InvalidParameterValue", 400)
    assert _describe(rds, plain)["PerformanceInsightsRetentionPeriod"] == 93


def test_rds_kms_key_arn(emulator):
    """rds_kms_key_arn: encrypted instances and their snapshots describe KmsKeyId as the key's ARN."""
    rds = emulator.client("rds")
    kms = emulator.client("kms")
    key = kms.create_key(Description="atelier rds test")["KeyMetadata"]
    alias = f"alias/{_name('rds-key')}"
    kms.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])

    default = _name("pg-default")
    _instance(rds, default)
    rds_key = kms.describe_key(KeyId="alias/aws/rds")["KeyMetadata"]
    assert rds_key["KeyManager"] == "AWS"
    assert _describe(rds, default)["KmsKeyId"] == rds_key["Arn"]

    for given in (key["KeyId"], alias, key["Arn"]):
        identifier = _name("pg-key")
        _instance(rds, identifier, KmsKeyId=given)
        assert _describe(rds, identifier)["KmsKeyId"] == key["Arn"], given

    plain = _name("pg-plain")
    _instance(rds, plain, StorageEncrypted=False)
    assert "KmsKeyId" not in _describe(rds, plain)

    snapshot = _name("pg-snap")
    rds.create_db_snapshot(DBInstanceIdentifier=default, DBSnapshotIdentifier=snapshot)
    (described,) = rds.describe_db_snapshots(DBSnapshotIdentifier=snapshot)["DBSnapshots"]
    assert described["Encrypted"] and described["KmsKeyId"] == rds_key["Arn"]
    final = _name("pg-final")
    rds.delete_db_instance(DBInstanceIdentifier=default, FinalDBSnapshotIdentifier=final)
    (described,) = rds.describe_db_snapshots(DBSnapshotIdentifier=final)["DBSnapshots"]
    assert described["KmsKeyId"] == rds_key["Arn"]


def test_rds_network_interfaces(emulator):
    """rds_network_interfaces: a DB instance's network interface is listed, with its groups, until it is deleted."""
    from tests.emulator.helpers import db_instance, db_subnet_group, network, unique

    ec2, rds = emulator.client("ec2"), emulator.client("rds")
    vpc_id, subnets = network(ec2, 167)
    group_id = ec2.create_security_group(GroupName=unique("db"), Description="db", VpcId=vpc_id)["GroupId"]
    identifier = db_instance(rds, unique("db"), db_subnet_group(rds, subnets), [group_id])["DBInstanceIdentifier"]

    by_group = ec2.describe_network_interfaces(Filters=[{"Name": "group-id", "Values": [group_id]}])
    (interface,) = by_group["NetworkInterfaces"]
    assert interface["SubnetId"] == subnets[0] and interface["VpcId"] == vpc_id  # the subnet of us-east-1a
    assert (interface["Description"], interface["RequesterId"], interface["RequesterManaged"]) == (
        "RDSNetworkInterface", "amazon-rds", True)
    assert interface["Status"] == "in-use" and [g["GroupId"] for g in interface["Groups"]] == [group_id]
    # The same interface every time it is asked for, by subnet and by id too; none in the other subnet.
    in_subnet = ec2.describe_network_interfaces(Filters=[{"Name": "subnet-id", "Values": subnets}])["NetworkInterfaces"]
    assert [i["NetworkInterfaceId"] for i in in_subnet] == [interface["NetworkInterfaceId"]]
    by_id = ec2.describe_network_interfaces(NetworkInterfaceIds=[interface["NetworkInterfaceId"]])["NetworkInterfaces"]
    assert [i["NetworkInterfaceId"] for i in by_id] == [interface["NetworkInterfaceId"]]

    rds.delete_db_instance(DBInstanceIdentifier=identifier, SkipFinalSnapshot=True)
    gone = ec2.describe_network_interfaces(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["NetworkInterfaces"]
    assert gone == []


def test_rds_pending_modified_values(emulator):
    """rds_pending_modified_values: a version or CA change without ApplyImmediately is pending; no downgrade."""
    rds = emulator.client("rds")
    identifier = _name("pending")
    created = _instance(rds, identifier, CACertificateIdentifier="rds-ca-rsa2048-g1")
    assert "PendingModifiedValues" not in created or not created["PendingModifiedValues"]

    # Without ApplyImmediately (its default is false): the instance keeps its version and CA until the window.
    rds.modify_db_instance(DBInstanceIdentifier=identifier, EngineVersion="15.18", CACertificateIdentifier="rds-ca-ecc384-g1")
    waiting = _describe(rds, identifier)
    assert (waiting["EngineVersion"], waiting["CACertificateIdentifier"]) == ("15.5", "rds-ca-rsa2048-g1")
    assert waiting["PendingModifiedValues"] == {"EngineVersion": "15.18", "CACertificateIdentifier": "rds-ca-ecc384-g1"}

    # Lower versions and another major (without AllowMajorVersionUpgrade) are refused and change nothing.
    error, status = _error(rds.modify_db_instance, DBInstanceIdentifier=identifier, EngineVersion="15.2", ApplyImmediately=True)
    assert (error["Code"], error["Message"], status) == (
        "InvalidParameterCombination", "Cannot upgrade postgres from 15.5 to 15.2", 400)
    error, _status = _error(rds.modify_db_instance, DBInstanceIdentifier=identifier, EngineVersion="16.4")
    assert error["Message"] == "The AllowMajorVersionUpgrade flag must be present when upgrading to a new major version."
    assert _describe(rds, identifier)["PendingModifiedValues"]["EngineVersion"] == "15.18"

    # ApplyImmediately applies the request's change and the pending ones.
    rds.modify_db_instance(DBInstanceIdentifier=identifier, BackupRetentionPeriod=3, ApplyImmediately=True)
    applied = _describe(rds, identifier)
    assert (applied["EngineVersion"], applied["CACertificateIdentifier"], applied["BackupRetentionPeriod"]) == (
        "15.18", "rds-ca-ecc384-g1", 3)
    assert not applied.get("PendingModifiedValues")

    # With ApplyImmediately from the start nothing waits.
    rds.modify_db_instance(DBInstanceIdentifier=identifier, CACertificateIdentifier="rds-ca-rsa4096-g1", ApplyImmediately=True)
    assert _describe(rds, identifier)["CACertificateIdentifier"] == "rds-ca-rsa4096-g1"
