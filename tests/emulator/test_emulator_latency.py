"""The realistic-latency profile (emulator/latency.py, emulator/knobs.py) and the time-scaled state machines it drives:
``ec2_nat_gateway_state``, ``elbv2_load_balancer_state``, ``rds_instance_state``.

Each state-machine test names its addition and fails without it
(``ATELIER_EMULATOR_DISABLE_ADDITIONS=<module> pytest tests/emulator/test_emulator_latency.py``). Delays are set per
test through ``/_atelier/config`` (``emulator.latency(...)``) and reset at its end.
"""

import time

import pytest
from botocore.exceptions import ClientError

from emulator import knobs, latency
from tests.emulator.helpers import db_instance, db_subnet_group, network, unique

DELAY = 2.0  # long enough for the checks right after a change on a loaded machine


@pytest.fixture
def timing(emulator):
    """``timing(**knobs)``: ``emulator.latency(...)`` for the test; the test's end switches everything back."""
    yield emulator.latency
    emulator.latency()


def _error(call, **kwargs) -> str:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"]


def _wait_until(started: float, seconds: float) -> None:
    """Sleep until seconds after started (taken right after the call that began the change: the server's clock
    started before it)."""
    time.sleep(max(0.0, started + seconds + 0.1 - time.monotonic()))


# --- the profile's numbers -------------------------------------------------------------------------------------------


@pytest.fixture
def local_knobs(monkeypatch):
    """knobs in this process, with no environment and no runtime value; dropped again at the end."""
    for name in knobs.DEFAULTS:
        monkeypatch.delenv(name, raising=False)
    knobs.update(dict.fromkeys(knobs.DEFAULTS))
    yield knobs
    knobs.update(dict.fromkeys(knobs.DEFAULTS))


def test_profile_off_keeps_every_default(local_knobs):
    assert local_knobs.current() == local_knobs.DEFAULTS
    assert local_knobs.get_float("ATELIER_EMULATOR_CLOUDFRONT_DEPLOY_DELAY") == 2.0
    assert local_knobs.get_float("ATELIER_EMULATOR_NAT_GATEWAY_CREATE_DELAY") == 0.0


def test_profile_scales_awss_times_and_explicit_values_win(local_knobs, monkeypatch):
    local_knobs.update({latency.SCALE_KNOB: "1/30"})

    assert local_knobs.get_float("ATELIER_EMULATOR_NAT_GATEWAY_CREATE_DELAY") == pytest.approx(120 / 30)
    assert local_knobs.get_float("ATELIER_EMULATOR_RDS_INSTANCE_CREATE_DELAY") == pytest.approx(600 / 30)
    assert local_knobs.get_float("ATELIER_EMULATOR_CLOUDFRONT_DEPLOY_DELAY") == pytest.approx(300 / 30)
    assert local_knobs.get_float("ATELIER_EMULATOR_DYNAMODB_REPLICA_DELAY") == pytest.approx(300 / 30)
    assert local_knobs.get_float("ATELIER_EMULATOR_INSTANCE_REFRESH_DELAY") == 2.0  # not timed by the profile

    monkeypatch.setenv("ATELIER_EMULATOR_CLOUDFRONT_DEPLOY_DELAY", "0.5")
    local_knobs.update({"ATELIER_EMULATOR_NAT_GATEWAY_CREATE_DELAY": 7})
    assert local_knobs.get_float("ATELIER_EMULATOR_CLOUDFRONT_DEPLOY_DELAY") == 0.5
    assert local_knobs.get_float("ATELIER_EMULATOR_NAT_GATEWAY_CREATE_DELAY") == 7.0


def test_scale_from_the_environment_as_a_fraction(local_knobs, monkeypatch):
    monkeypatch.setenv(latency.SCALE_KNOB, "1/60")

    assert local_knobs.get_float(latency.SCALE_KNOB) == pytest.approx(1 / 60)
    assert local_knobs.get_float("ATELIER_EMULATOR_LOAD_BALANCER_CREATE_DELAY") == pytest.approx(3.0)
    with pytest.raises(ValueError, match=latency.SCALE_KNOB):
        local_knobs.update({latency.SCALE_KNOB: "1/0"})


def test_delays_are_data_with_a_source_for_every_number():
    assert set(latency.DELAYS) == set(latency.SOURCES)
    assert set(latency.KNOBS.values()) <= set(latency.DELAYS)
    assert set(latency.KNOBS) <= set(knobs.DEFAULTS)
    assert all(seconds > 0 for seconds in latency.DELAYS.values())
    assert (
        latency.DELAYS["rds_instance_create"]
        > latency.DELAYS["load_balancer_create"]
        > latency.DELAYS["nat_gateway_create"]
    )


def test_profile_through_the_config_endpoint(emulator, timing):
    state = timing(scale="1/300")

    assert state[latency.SCALE_KNOB] == pytest.approx(1 / 300)
    assert state["ATELIER_EMULATOR_NAT_GATEWAY_CREATE_DELAY"] == pytest.approx(0.4)
    assert state["ATELIER_EMULATOR_CLOUDFRONT_DEPLOY_DELAY"] == pytest.approx(1.0)
    assert state["ATELIER_EMULATOR_RDS_INSTANCE_CREATE_DELAY"] == pytest.approx(2.0)
    assert timing()["ATELIER_EMULATOR_CLOUDFRONT_DEPLOY_DELAY"] == 2.0


def test_call_latency_slows_every_request(emulator, timing):
    ec2 = emulator.client("ec2")
    ec2.describe_regions()
    timing(call_ms=300)

    started = time.monotonic()
    ec2.describe_regions()
    slowed = time.monotonic() - started
    timing()
    started = time.monotonic()
    ec2.describe_regions()

    assert slowed >= 0.3
    assert time.monotonic() - started < 0.3


# --- the state machines ----------------------------------------------------------------------------------------------


def test_ec2_nat_gateway_state_pending_available_deleting_deleted(emulator, timing):
    """ec2_nat_gateway_state: pending -> available and deleting -> deleted, time-scaled."""
    ec2 = emulator.client("ec2")
    _vpc_id, (subnet_id, _other) = network(ec2, 150)
    allocation_id = ec2.allocate_address(Domain="vpc")["AllocationId"]
    timing(nat_gateway_create_delay=DELAY, nat_gateway_delete_delay=DELAY)

    created = ec2.create_nat_gateway(SubnetId=subnet_id, AllocationId=allocation_id)["NatGateway"]
    started = time.monotonic()
    nat_id = created["NatGatewayId"]

    def state() -> str:
        return ec2.describe_nat_gateways(NatGatewayIds=[nat_id])["NatGateways"][0]["State"]

    assert created["State"] == "pending"
    assert state() == "pending"
    pending = ec2.describe_nat_gateways(Filters=[{"Name": "state", "Values": ["pending"]}])["NatGateways"]
    assert nat_id in [gateway["NatGatewayId"] for gateway in pending]
    _wait_until(started, DELAY)
    assert state() == "available"

    ec2.delete_nat_gateway(NatGatewayId=nat_id)
    started = time.monotonic()
    assert state() == "deleting"
    _wait_until(started, DELAY)
    assert state() == "deleted"


def test_profile_scale_drives_the_nat_gateway(emulator, timing):
    """ec2_nat_gateway_state with the realistic-latency profile: 120 s of AWS at 1/60 is two seconds."""
    ec2 = emulator.client("ec2")
    _vpc_id, (subnet_id, _other) = network(ec2, 151)
    timing(scale="1/60")

    nat_id = ec2.create_nat_gateway(SubnetId=subnet_id, ConnectivityType="private")["NatGateway"]["NatGatewayId"]
    started = time.monotonic()

    assert ec2.describe_nat_gateways(NatGatewayIds=[nat_id])["NatGateways"][0]["State"] == "pending"
    _wait_until(started, 2.0)
    assert ec2.describe_nat_gateways(NatGatewayIds=[nat_id])["NatGateways"][0]["State"] == "available"


def test_elbv2_load_balancer_state_provisioning_then_active(emulator, timing):
    """elbv2_load_balancer_state: provisioning until the create delay is over (moto: active at the first describe)."""
    ec2, elbv2 = emulator.client("ec2"), emulator.client("elbv2")
    _vpc_id, subnets = network(ec2, 152)
    timing(load_balancer_create_delay=DELAY)

    balancer = elbv2.create_load_balancer(Name=unique("lat"), Subnets=subnets)["LoadBalancers"][0]
    started = time.monotonic()
    arn = balancer["LoadBalancerArn"]

    def state() -> str:
        return elbv2.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"][0]["State"]["Code"]

    assert balancer["State"]["Code"] == "provisioning"
    assert state() == "provisioning"
    _wait_until(started, DELAY)
    assert state() == "active"


def test_elbv2_load_balancer_state_deleted_balancer_holds_its_network(emulator, timing):
    """elbv2_load_balancer_state (with ec2_security_group_dependencies, ec2_subnet_dependencies): after
    DeleteLoadBalancer the balancer is gone from the API, but its subnets and security group stay in use for the
    delete delay."""
    ec2, elbv2 = emulator.client("ec2"), emulator.client("elbv2")
    vpc_id, subnets = network(ec2, 153)
    group_id = ec2.create_security_group(GroupName=unique("alb"), Description="alb", VpcId=vpc_id)["GroupId"]
    name = unique("gone")
    arn = elbv2.create_load_balancer(Name=name, Subnets=subnets, SecurityGroups=[group_id])["LoadBalancers"][0][
        "LoadBalancerArn"
    ]
    timing(load_balancer_delete_delay=DELAY)

    elbv2.delete_load_balancer(LoadBalancerArn=arn)
    started = time.monotonic()

    assert _error(elbv2.describe_load_balancers, Names=[name]) == "LoadBalancerNotFound"
    assert _error(ec2.delete_security_group, GroupId=group_id) == "DependencyViolation"
    assert _error(ec2.delete_subnet, SubnetId=subnets[0]) == "DependencyViolation"
    _wait_until(started, DELAY)
    ec2.delete_security_group(GroupId=group_id)
    ec2.delete_subnet(SubnetId=subnets[0])


def test_rds_instance_state_creating_then_available(emulator, timing):
    """rds_instance_state: creating until the create delay is over; StopDBInstance meanwhile is refused."""
    ec2, rds = emulator.client("ec2"), emulator.client("rds")
    _vpc_id, subnets = network(ec2, 154)
    subnet_group = db_subnet_group(rds, subnets)
    identifier = unique("db")
    timing(rds_instance_create_delay=DELAY)

    created = db_instance(rds, identifier, subnet_group)
    started = time.monotonic()

    def status() -> str:
        return rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]["DBInstanceStatus"]

    assert created["DBInstanceStatus"] == "creating"
    assert status() == "creating"
    assert _error(rds.stop_db_instance, DBInstanceIdentifier=identifier) == "InvalidDBInstanceState"
    _wait_until(started, DELAY)
    assert status() == "available"


def test_rds_instance_state_deleting_then_gone(emulator, timing):
    """rds_instance_state: deleting (still described, identifier taken, subnet group in use) until the delete delay
    is over, then DBInstanceNotFound."""
    ec2, rds = emulator.client("ec2"), emulator.client("rds")
    _vpc_id, subnets = network(ec2, 155)
    subnet_group = db_subnet_group(rds, subnets)
    identifier = unique("db")
    db_instance(rds, identifier, subnet_group)
    timing(rds_instance_delete_delay=DELAY)

    deleted = rds.delete_db_instance(DBInstanceIdentifier=identifier, SkipFinalSnapshot=True)["DBInstance"]
    started = time.monotonic()

    assert deleted["DBInstanceStatus"] == "deleting"
    described = rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"]
    assert [instance["DBInstanceStatus"] for instance in described] == ["deleting"]
    assert _error(rds.delete_db_instance, DBInstanceIdentifier=identifier, SkipFinalSnapshot=True) == (
        "InvalidDBInstanceState"
    )
    assert _error(lambda: db_instance(rds, identifier, subnet_group)) == "DBInstanceAlreadyExists"
    assert _error(rds.delete_db_subnet_group, DBSubnetGroupName=subnet_group) == "InvalidDBSubnetGroupStateFault"
    _wait_until(started, DELAY)
    assert _error(rds.describe_db_instances, DBInstanceIdentifier=identifier) == "DBInstanceNotFound"
    rds.delete_db_subnet_group(DBSubnetGroupName=subnet_group)
