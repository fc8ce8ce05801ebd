"""The network layer end to end against the emulator: plan, deploy, verify, re-run, teardown.

Everything is asserted through the AWS API (boto3 against the emulator), not through the roles' own output, except
the plan callback (atelier.infra.plan), read on the same runs: what the plan of the empty account says it would add
is what the deploy then says it added, the converged stack plans nothing, and a console-style change made with boto3
shows as exactly that attribute of that resource.
"""

import collections
import sys
from pathlib import Path

import pytest

from tests.integration.plan_counts import run_with_plan

REPO_ROOT = Path(__file__).resolve().parents[2]

# The tiers have their own end-to-end test (test_tier_layer.py); here site.yml runs the network and data layers.
NOT_TIERS = ("--skip-tags", "alb,cloudfront,asg_launch_template")
STACK = {"Name": "tag:atelier:stack", "Values": ["atelier"]}
ENV = {"Name": "tag:atelier:env", "Values": ["local"]}
GOAL_TRACKER_SUBNETS = {
    "public": ["10.0.1.0/24", "10.0.2.0/24"],
    "frontend": ["10.0.11.0/24", "10.0.12.0/24"],
    "backend": ["10.0.21.0/24", "10.0.22.0/24"],
    "database": ["10.0.31.0/24", "10.0.32.0/24"],
}


def tags(resource):
    return {t["Key"]: t["Value"] for t in resource.get("Tags", [])}


def planner():
    """The vpc_network module's planner (token and tag derivation), imported from the collection."""
    collections_root = str(REPO_ROOT / "playbooks" / "collections")
    if collections_root not in sys.path:
        sys.path.insert(0, collections_root)
    namespace = sys.modules.get("ansible_collections")
    if namespace is not None and collections_root + "/ansible_collections" not in list(namespace.__path__):
        namespace.__path__.append(collections_root + "/ansible_collections")
    from ansible_collections.atelier.infra.plugins.module_utils._vpc_network import planner as module

    return module


def stack_tags(name, **more):
    return [{"Key": k, "Value": v} for k, v in {"Name": name, "atelier:env": "local", "atelier:stack": "atelier", **more}.items()]


def stack_inventory(ec2, logs, iam, dynamodb_clients=(), elbv2=None, autoscaling=None):
    """Everything of the stack that still exists, by type."""
    tiers = {}
    if elbv2 is not None:
        tiers["albs"] = [lb["LoadBalancerName"] for lb in elbv2.describe_load_balancers()["LoadBalancers"]]
        tiers["target_groups"] = [tg["TargetGroupName"] for tg in elbv2.describe_target_groups()["TargetGroups"]]
    if autoscaling is not None:
        tiers["asgs"] = [g["AutoScalingGroupName"] for g in autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]]
    return tiers | {
        "dynamodb_tables": [
            c.meta.region_name for c in dynamodb_clients if "local-atelier-AtelierDB" in c.list_tables()["TableNames"]
        ],
        "vpcs": [v["VpcId"] for v in ec2.describe_vpcs(Filters=[STACK, ENV])["Vpcs"]],
        "subnets": [s["SubnetId"] for s in ec2.describe_subnets(Filters=[STACK, ENV])["Subnets"]],
        "igws": [g["InternetGatewayId"] for g in ec2.describe_internet_gateways(Filters=[STACK, ENV])["InternetGateways"]],
        "nats": [
            n["NatGatewayId"]
            for n in ec2.describe_nat_gateways(Filters=[STACK, ENV])["NatGateways"]
            if n["State"] not in ("deleted", "deleting")
        ],
        "eips": [a["AllocationId"] for a in ec2.describe_addresses(Filters=[STACK, ENV])["Addresses"]],
        "route_tables": [r["RouteTableId"] for r in ec2.describe_route_tables(Filters=[STACK, ENV])["RouteTables"]],
        "security_groups": [g["GroupId"] for g in ec2.describe_security_groups(Filters=[STACK, ENV])["SecurityGroups"]],
        "endpoints": [
            e["VpcEndpointId"]
            for e in ec2.describe_vpc_endpoints(Filters=[STACK, ENV])["VpcEndpoints"]
            if e["State"].lower() not in ("deleted", "deleting")
        ],
        "flow_logs": [f["FlowLogId"] for f in ec2.describe_flow_logs(Filters=[STACK, ENV])["FlowLogs"]],
        "log_groups": [g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePrefix="/aws/vpc-flow-logs/local-atelier")["logGroups"]],
        "tier_log_groups": [g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePrefix="/aws/ec2/local-atelier/")["logGroups"]],
        "launch_templates": [t["LaunchTemplateName"] for t in ec2.describe_launch_templates()["LaunchTemplates"]],
        "iam_roles": [r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith("local-atelier-")],
    }


@pytest.fixture(scope="module")
def clients(emulator):
    tables = tuple(emulator.client("dynamodb", region) for region in ("us-east-1", "af-south-1", "eu-west-1"))
    return emulator.client("ec2"), emulator.client("logs"), emulator.client("iam"), tables, emulator.client("elbv2"), emulator.client("autoscaling")


@pytest.fixture(scope="module")
def deployed(emulator, clients, tmp_path_factory):
    """An empty account, then the plan, then the deploy: the three runs the tests below read, each with the plan
    callback's JSON (plan_json, deploy_json; folder: where the later runs write theirs)."""
    emulator.reset()
    folder = tmp_path_factory.mktemp("network-plan")
    plan, plan_json = run_with_plan(emulator, folder / "plan.json", "site.yml", *NOT_TIERS, "--check", "--diff")
    assert not any(stack_inventory(*clients).values())
    deploy, deploy_json = run_with_plan(emulator, folder / "deploy.json", "site.yml", *NOT_TIERS)
    assert deploy.rc == 0, deploy.output
    return {"plan": plan, "deploy": deploy, "plan_json": plan_json, "deploy_json": deploy_json, "folder": folder}


def _changes(plan):
    """What a plan callback's JSON says would change (or changed), as (action, type, name, attributes)."""
    return [(c["action"], c["type"], c["name"], c["attributes"]) for layer in plan["layers"] for c in layer["changes"] if c["action"] != "keep"]


def test_plan_on_an_empty_account_creates_nothing_and_says_what_it_would(deployed):
    plan = deployed["plan"]
    assert plan.rc == 0, plan.output
    assert plan.mutating == []
    text = " ".join(plan.output.split())
    assert "local-atelier-public-us-east-1a 10.0.1.0/24" in text
    assert "local-atelier-database-us-east-1b 10.0.32.0/24" in text
    assert "Would create security groups: local-atelier-frontend-alb, local-atelier-frontend" in text


def test_the_plan_of_an_empty_account_adds_what_the_deploy_adds(deployed):
    """The plan callback (moved from test_plan.py, which deployed the vpc alone again for it)."""
    run, plan = deployed["plan"], deployed["plan_json"]
    assert run.mutating == []
    assert plan["mode"] == "check"
    added = plan["summary"]["add"]
    assert added > 0 and plan["summary"]["change"] == 0 and plan["summary"]["destroy"] == 0
    assert f"Plan: {added} to add, 0 to change, 0 to destroy." in run.output
    assert ("create", "vpc", "local-atelier", []) in _changes(plan)
    # The callback's lines come after the default callback's recap, which the other tests parse.
    assert run.output.index("PLAY RECAP") < run.output.index("Plan: ")

    deploy, applied = deployed["deploy"], deployed["deploy_json"]
    assert applied["mode"] == "apply"
    assert applied["summary"]["add"] == added
    assert f"Apply complete: {added} added, " in deploy.output
    assert sorted(c for c in _changes(applied) if c[0] == "create") == sorted(c for c in _changes(plan) if c[0] == "create")


def test_vpc_matches_the_goal_tracker_plan(deployed, clients):
    ec2 = clients[0]
    (vpc,) = ec2.describe_vpcs(Filters=[STACK, ENV])["Vpcs"]
    assert vpc["CidrBlock"] == "10.0.0.0/16"
    assert tags(vpc)["Name"] == "local-atelier"
    vpc_id = vpc["VpcId"]
    assert ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsHostnames")["EnableDnsHostnames"]["Value"]

    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
    by_tier = {}
    for subnet in subnets:
        by_tier.setdefault(tags(subnet)["atelier:tier"], []).append((subnet["AvailabilityZone"], subnet["CidrBlock"]))
        assert subnet["MapPublicIpOnLaunch"] is False
    assert {tier: sorted(c for _, c in v) for tier, v in by_tier.items()} == GOAL_TRACKER_SUBNETS
    for tier in by_tier.values():
        assert sorted(az for az, _ in tier) == ["us-east-1a", "us-east-1b"]


def test_routes_public_to_igw_private_to_own_az_nat_database_nowhere(deployed, clients):
    ec2 = clients[0]
    vpc_id = ec2.describe_vpcs(Filters=[STACK, ENV])["Vpcs"][0]["VpcId"]
    (igw,) = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])["InternetGateways"]
    subnets = {s["SubnetId"]: s for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]}
    nats = [n for n in ec2.describe_nat_gateways(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["NatGateways"]]
    assert len(nats) == 2
    nat_az = {}
    for nat in nats:
        subnet = subnets[nat["SubnetId"]]
        assert tags(subnet)["atelier:tier"] == "public"
        assert nat["NatGatewayAddresses"][0].get("PublicIp")
        assert tags(nat)["Name"] == f"local-atelier-nat-{subnet['AvailabilityZone']}"
        nat_az[subnet["AvailabilityZone"]] = nat["NatGatewayId"]
    assert sorted(nat_az) == ["us-east-1a", "us-east-1b"]

    tables = ec2.describe_route_tables(Filters=[STACK, ENV])["RouteTables"]
    assert len(tables) == 8
    for table in tables:
        (association,) = [a for a in table["Associations"] if not a.get("Main")]
        subnet = subnets[association["SubnetId"]]
        tier, az = tags(subnet)["atelier:tier"], subnet["AvailabilityZone"]
        assert tags(table)["Name"] == f"local-atelier-{tier}-{az}-rt"
        default_routes = [r for r in table["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0"]
        if tier == "public":
            assert [r["GatewayId"] for r in default_routes] == [igw["InternetGatewayId"]]
        elif tier in ("frontend", "backend"):
            assert [r["NatGatewayId"] for r in default_routes] == [nat_az[az]]
        else:
            assert default_routes == []
            assert {r.get("DestinationCidrBlock") for r in table["Routes"] if "DestinationCidrBlock" in r} == {"10.0.0.0/16"}


def test_default_security_group_keeps_no_rules(deployed, clients):
    ec2 = clients[0]
    vpc_id = ec2.describe_vpcs(Filters=[STACK, ENV])["Vpcs"][0]["VpcId"]
    (default,) = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"]
    assert default["IpPermissions"] == []
    assert default["IpPermissionsEgress"] == []


def test_flow_logs_and_gateway_endpoints(deployed, clients):
    ec2, logs, iam = clients[:3]
    vpc_id = ec2.describe_vpcs(Filters=[STACK, ENV])["Vpcs"][0]["VpcId"]
    (flow_log,) = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc_id]}])["FlowLogs"]
    assert flow_log["LogGroupName"] == "/aws/vpc-flow-logs/local-atelier"
    assert flow_log["TrafficType"] == "ALL"
    role = iam.get_role(RoleName="local-atelier-vpc-flow-logs")["Role"]
    assert flow_log["DeliverLogsPermissionArn"] == role["Arn"]
    (group,) = logs.describe_log_groups(logGroupNamePrefix="/aws/vpc-flow-logs/local-atelier")["logGroups"]
    assert group["retentionInDays"] == 30

    endpoints = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["VpcEndpoints"]
    assert sorted(e["ServiceName"] for e in endpoints) == ["com.amazonaws.us-east-1.dynamodb", "com.amazonaws.us-east-1.s3"]
    all_tables = {t["RouteTableId"] for t in ec2.describe_route_tables(Filters=[STACK, ENV])["RouteTables"]}
    for endpoint in endpoints:
        assert endpoint["VpcEndpointType"] == "Gateway"
        assert set(endpoint["RouteTableIds"]) == all_tables


def rules(group):
    out = set()
    for perm in group["IpPermissions"]:
        port = (perm.get("FromPort"), perm.get("ToPort"))
        for r in perm.get("IpRanges", []):
            out.add((port, r["CidrIp"], r.get("Description")))
        for r in perm.get("UserIdGroupPairs", []):
            out.add((port, r["GroupId"], r.get("Description")))
        for r in perm.get("PrefixListIds", []):
            out.add((port, r["PrefixListId"], r.get("Description")))
    return out


def test_security_group_chain(deployed, clients):
    ec2 = clients[0]
    groups = {g["GroupName"]: g for g in ec2.describe_security_groups(Filters=[STACK, ENV])["SecurityGroups"]}
    gid = {name: g["GroupId"] for name, g in groups.items()}
    p = "local-atelier"
    (pl,) = ec2.describe_managed_prefix_lists(
        Filters=[{"Name": "prefix-list-name", "Values": ["com.amazonaws.global.cloudfront.origin-facing"]}]
    )["PrefixLists"]
    # Both shared tiers are behind CloudFront: their ALBs admit CloudFront's origin-facing ranges only.
    for tier in ("frontend", "backend"):
        assert rules(groups[f"{p}-{tier}-alb"]) == {((80, 80), pl["PrefixListId"], "Listener 80 from CloudFront origin-facing ranges only")}
    assert rules(groups[f"{p}-frontend"]) == {((3000, 3000), gid[f"{p}-frontend-alb"], "App port 3000 from the frontend ALB only")}
    assert rules(groups[f"{p}-backend"]) == {((8080, 8080), gid[f"{p}-backend-alb"], "App port 8080 from the backend ALB only")}
    assert rules(groups[f"{p}-database"]) == {((5432, 5432), gid[f"{p}-backend"], "Database port from the backend tier only")}
    # No bastion by default, so no SSH anywhere; no world ingress at all (CloudFront is the way in).
    assert f"{p}-bastion" not in groups
    for name, group in groups.items():
        for port, source, _ in rules(group):
            assert port != (22, 22), name
            assert source not in ("0.0.0.0/0", "::/0"), name


def test_second_run_changes_nothing_and_makes_no_mutating_call(deployed, emulator):
    again = emulator.playbook("site.yml", *NOT_TIERS)
    assert again.rc == 0, again.output
    assert again.changed == 0, again.output
    assert again.mutating == []
    plan, converged = run_with_plan(emulator, deployed["folder"] / "converged.json", "site.yml", *NOT_TIERS, "--check", "--diff")
    assert plan.rc == 0 and plan.changed == 0, plan.output
    # The plan callback on the converged stack.
    assert plan.mutating == []
    assert "Plan: 0 to add, 0 to change, 0 to destroy." in plan.output
    assert _changes(converged) == []


def test_a_console_change_shows_as_exactly_that_attribute(deployed, emulator, clients):
    """DNS hostnames switched off as in the console: the plan of the vpc names exactly that attribute; then switched
    back on with boto3, so that the tests after this one find the stack converged."""
    ec2 = clients[0]
    (vpc,) = ec2.describe_vpcs(Filters=[STACK, ENV])["Vpcs"]
    ec2.modify_vpc_attribute(VpcId=vpc["VpcId"], EnableDnsHostnames={"Value": False})
    try:
        run, plan = run_with_plan(emulator, deployed["folder"] / "console.json", "site.yml", "--tags", "vpc", "--check", "--diff")
    finally:
        ec2.modify_vpc_attribute(VpcId=vpc["VpcId"], EnableDnsHostnames={"Value": True})
    assert run.rc == 0, run.output[-10000:]
    assert run.mutating == []
    assert _changes(plan) == [("update", "vpc", "local-atelier", ["DNS hostnames on"])]
    assert "Plan: 0 to add, 1 to change, 0 to destroy." in run.output


def test_a_retried_create_with_the_modules_token_returns_what_the_first_made(deployed, clients):
    """A create whose response was lost, retried as the module retries it (same ClientToken, same arguments): AWS,
    and the emulator, answer with the first route table / NAT gateway; no second one is made."""
    ec2 = clients[0]
    plan = planner()
    (vpc,) = ec2.describe_vpcs(Filters=[STACK, ENV])["Vpcs"]
    subnets = {tags(s)["Name"]: s["SubnetId"] for s in ec2.describe_subnets(Filters=[STACK, ENV])["Subnets"]}
    tables = {tags(t)["Name"]: t["RouteTableId"] for t in ec2.describe_route_tables(Filters=[STACK, ENV])["RouteTables"]}
    name = "local-atelier-backend-us-east-1b-rt"
    table_tags = {"atelier:env": "local", "atelier:stack": "atelier", "Name": name, "atelier:tier": "backend"}

    again = ec2.create_route_table(
        VpcId=vpc["VpcId"],
        ClientToken=plan.client_token("route-table", [name, vpc["VpcId"], subnets["local-atelier-backend-us-east-1b"]]),
        TagSpecifications=plan.tag_specifications("route-table", table_tags),
    )["RouteTable"]

    assert again["RouteTableId"] == tables[name]
    (nat,) = ec2.describe_nat_gateways(Filter=[STACK, ENV, {"Name": "tag:Name", "Values": ["local-atelier-nat-us-east-1a"]}])[
        "NatGateways"
    ]
    allocation = nat["NatGatewayAddresses"][0]["AllocationId"]
    nat_name = "local-atelier-nat-us-east-1a"
    retried = ec2.create_nat_gateway(
        SubnetId=nat["SubnetId"],
        AllocationId=allocation,
        ClientToken=plan.client_token("nat", [nat_name, nat["SubnetId"], allocation]),
        TagSpecifications=plan.tag_specifications("natgateway", {"atelier:env": "local", "atelier:stack": "atelier", "Name": nat_name}),
    )["NatGateway"]
    assert retried["NatGatewayId"] == nat["NatGatewayId"]
    assert len(ec2.describe_route_tables(Filters=[STACK, ENV])["RouteTables"]) == 8
    assert len([n for n in ec2.describe_nat_gateways(Filter=[STACK, ENV])["NatGateways"] if n["State"] == "available"]) == 2


def test_what_lost_responses_left_is_cleaned_up_then_the_run_is_a_no_op(deployed, emulator, clients):
    """Leftovers of lost create responses, made by hand with the stack's tags: a second (empty) VPC, a detached
    internet gateway, an unassociated Elastic IP of a NAT gateway, an unassociated route table, a second S3
    endpoint. One run removes them (they are empty), the next changes nothing, and there is one of each."""
    ec2 = clients[0]
    (vpc,) = ec2.describe_vpcs(Filters=[STACK, ENV])["Vpcs"]
    ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": stack_tags("local-atelier")}])
    ec2.create_internet_gateway(
        TagSpecifications=[{"ResourceType": "internet-gateway", "Tags": stack_tags("local-atelier-igw")}]
    )
    ec2.allocate_address(
        Domain="vpc", TagSpecifications=[{"ResourceType": "elastic-ip", "Tags": stack_tags("local-atelier-nat-us-east-1a")}]
    )
    ec2.create_route_table(
        VpcId=vpc["VpcId"],
        TagSpecifications=[{"ResourceType": "route-table", "Tags": stack_tags("local-atelier-public-us-east-1a-rt", **{"atelier:tier": "public"})}],
    )
    ec2.create_vpc_endpoint(
        VpcId=vpc["VpcId"],
        ServiceName="com.amazonaws.us-east-1.s3",
        VpcEndpointType="Gateway",
        TagSpecifications=[{"ResourceType": "vpc-endpoint", "Tags": stack_tags("local-atelier-s3")}],
    )

    cleaned = emulator.playbook("site.yml", "--tags", "vpc")

    assert cleaned.rc == 0, cleaned.output
    text = " ".join(cleaned.output.split())
    for leftover in (
        "an empty duplicate of local-atelier)",
        "a detached duplicate of local-atelier-igw)",
        "an unassociated duplicate of local-atelier-nat-us-east-1a)",
        "an unassociated duplicate of local-atelier-public-us-east-1a-rt)",
        "a duplicate s3 endpoint of local-atelier-s3)",
    ):
        assert leftover in text, cleaned.output
    assert {r["action"] for r in cleaned.mutating} == {
        "DeleteVpc", "DeleteInternetGateway", "ReleaseAddress", "DeleteRouteTable", "DeleteVpcEndpoints"
    }
    left = stack_inventory(*clients[:3])
    assert len(left["vpcs"]) == 1 and left["vpcs"] == [vpc["VpcId"]]
    assert len(left["igws"]) == 1 and len(left["eips"]) == 2 and len(left["nats"]) == 2
    assert len(left["route_tables"]) == 8 and len(left["endpoints"]) == 2
    # The vpc role alone on the converged network (one of each again): the module's 11 describes, the flow log's one,
    # nothing else in EC2 (this run proved it alone before the leftovers, in a run of its own).
    again = emulator.playbook("site.yml", "--tags", "vpc")
    assert again.rc == 0 and again.changed == 0, again.output
    assert again.mutating == []
    ec2_calls = collections.Counter(r["action"] for r in again.requests if r["service"] == "ec2")
    assert ec2_calls == {
        "DescribeAvailabilityZones": 1,
        "DescribeVpcs": 1,
        "DescribeVpcAttribute": 2,
        "DescribeSubnets": 1,
        "DescribeRouteTables": 1,
        "DescribeSecurityGroups": 1,
        "DescribeVpcEndpoints": 1,
        "DescribeNatGateways": 1,
        "DescribeInternetGateways": 1,
        "DescribeAddresses": 1,
        "DescribeFlowLogs": 1,
    }


def test_alb_without_cloudfront_admits_the_internet_and_an_internal_one_its_clients(deployed, emulator, clients):
    ec2 = clients[0]
    tiers = [
        {"name": "frontend", "app_port": 3000, "alb_scheme": "internet-facing", "alb_ports": [80, 443]},
        {"name": "backend", "app_port": 8080, "alb_scheme": "internal", "alb_ports": [80], "clients": ["frontend"]},
    ]
    run = emulator.playbook("site.yml", "--tags", "security_groups", extra_vars={"atelier_tiers": tiers})
    assert run.rc == 0, run.output
    groups = {g["GroupName"]: g for g in ec2.describe_security_groups(Filters=[STACK, ENV])["SecurityGroups"]}
    assert rules(groups["local-atelier-frontend-alb"]) == {
        ((80, 80), "0.0.0.0/0", "Listener 80 from the internet"),
        ((443, 443), "0.0.0.0/0", "Listener 443 from the internet"),
    }
    frontend = groups["local-atelier-frontend"]["GroupId"]
    assert rules(groups["local-atelier-backend-alb"]) == {((80, 80), frontend, "HTTP 80 from the frontend tier")}
    # Back to the inventory's tiers (behind CloudFront): the prefix-list rules return, the world rules go.
    back = emulator.playbook("site.yml", "--tags", "security_groups")
    assert back.rc == 0 and back.changed > 0
    (pl,) = ec2.describe_managed_prefix_lists(
        Filters=[{"Name": "prefix-list-name", "Values": ["com.amazonaws.global.cloudfront.origin-facing"]}]
    )["PrefixLists"]
    (alb,) = ec2.describe_security_groups(
        Filters=[STACK, ENV, {"Name": "group-name", "Values": ["local-atelier-frontend-alb"]}]
    )["SecurityGroups"]
    assert {source for _, source, _ in rules(alb)} == {pl["PrefixListId"]}


def test_whole_stack_summary_names_the_table(deployed):
    assert "DynamoDB table local-atelier-AtelierDB in us-east-1, af-south-1, eu-west-1" in deployed["deploy"].output


def test_teardown_keeps_data_unless_asked_then_leaves_nothing(deployed, emulator, clients):
    keep = emulator.playbook("playbooks/teardown.yml")
    assert keep.rc == 0, keep.output
    assert "/aws/vpc-flow-logs/local-atelier (CloudWatch log group: holds the flow logs" in keep.output
    assert "AtelierDB (DynamoDB global table in us-east-1, af-south-1, eu-west-1: holds data" in " ".join(keep.output.split())
    left = stack_inventory(*clients)
    assert left["log_groups"] == ["/aws/vpc-flow-logs/local-atelier"]
    assert left["dynamodb_tables"] == ["us-east-1", "af-south-1", "eu-west-1"]
    assert not any(v for k, v in left.items() if k not in ("log_groups", "dynamodb_tables")), left

    purge = emulator.playbook("playbooks/teardown.yml", extra_vars={"atelier_teardown_delete_data": True})
    assert purge.rc == 0, purge.output
    assert "Nothing was kept." in purge.output
    assert not any(stack_inventory(*clients).values())
