# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.ec2_security_group_set: main() is driven with module args, and our own module_utils
wrappers are replaced by a small fake EC2 (no boto3 call, no network) that keeps groups, rules, tags and network
interfaces the way EC2 does, and records every call."""

import copy
import fnmatch

import pytest
from botocore.exceptions import ClientError

from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error

from ansible_collections.atelier.infra.plugins.module_utils.security_group_plan import plan
from ansible_collections.atelier.infra.plugins.modules import ec2_security_group_set as sgs
from tests.unit.plugins.modules.utils import AnsibleExitJson, AnsibleFailJson, run_main

VPC = "vpc-0123456789abcdef0"
CF = "com.amazonaws.global.cloudfront.origin-facing"
CF_ID = "pl-3b927c52"
FIELDS = {"UserIdGroupPairs": "GroupId", "IpRanges": "CidrIp", "Ipv6Ranges": "CidrIpv6", "PrefixListIds": "PrefixListId"}
READS = ("describe_vpcs", "describe_security_groups", "describe_network_interfaces", "describe_managed_prefix_lists",
         "wait_security_groups_exist")


def aws_error(code, message, operation="Operation", what="do it"):
    return AnsibleEC2Error(message=f"Failed to {what}",
                           exception=ClientError({"Error": {"Code": code, "Message": message}}, operation))


class FakeEC2:
    """One region of EC2: VPCs, security groups with ingress rules and tags, prefix lists, network interfaces."""

    def __init__(self, vpcs=None, prefix_lists=None):
        self.vpcs = vpcs if vpcs is not None else [{"VpcId": VPC, "Tags": [{"Key": "Name", "Value": "dev-web"}]}]
        self.prefix_lists = prefix_lists if prefix_lists is not None else {CF: CF_ID}
        self.groups = {}  # id -> group; rules kept flat: (proto, from, to, field, value) -> description
        self.interfaces = []
        self.calls = []
        self.fail_on = {}  # wrapper name -> AnsibleEC2Error to raise
        self.created = 0

    # -- state helpers

    def add_group(self, name, description="d", rules=None, tags=None, vpc_id=VPC):
        self.created += 1
        group_id = f"sg-{self.created:04d}"
        self.groups[group_id] = {"GroupId": group_id, "GroupName": name, "VpcId": vpc_id, "Description": description,
                                 "rules": dict(rules or {}), "Tags": dict(tags or {})}
        return group_id

    def by_name(self, name):
        (group,) = [g for g in self.groups.values() if g["GroupName"] == name]
        return group

    def rules_of(self, name):
        return self.by_name(name)["rules"]

    def mutating(self):
        return [call for call in self.calls if call[0] not in READS]

    def count(self, name):
        return sum(1 for call in self.calls if call[0] == name)

    def _call(self, name, *args):
        self.calls.append((name,) + args)
        if name in self.fail_on:
            raise self.fail_on[name]

    @staticmethod
    def _flat(permissions):
        for perm in permissions:
            for field, key in FIELDS.items():
                for entry in perm.get(field, []):
                    yield (perm["IpProtocol"], perm.get("FromPort"), perm.get("ToPort"), field, entry[key]), entry.get("Description")

    def _view(self, group):
        perms = {}
        for (proto, low, high, field, value), desc in group["rules"].items():
            perm = perms.setdefault((proto, low, high), {"IpProtocol": proto})
            if low is not None:
                perm.update(FromPort=low, ToPort=high)
            entry = {FIELDS[field]: value}
            if desc:
                entry["Description"] = desc
            perm.setdefault(field, []).append(entry)
        view = {k: v for k, v in group.items() if k not in ("rules", "Tags")}
        view["IpPermissions"] = list(perms.values())
        view["IpPermissionsEgress"] = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
        view["Tags"] = [{"Key": k, "Value": v} for k, v in group["Tags"].items()]
        return copy.deepcopy(view)

    @staticmethod
    def _matches(item, filters, values):
        for flt in filters:
            if not any(fnmatch.fnmatchcase(str(v), pattern) for v in values(item, flt["Name"]) for pattern in flt["Values"]):
                return False
        return True

    # -- the wrappers

    def describe_vpcs(self, client, filters):
        self._call("describe_vpcs", filters)

        def values(vpc, name):
            if name.startswith("tag:"):
                return [t["Value"] for t in vpc["Tags"] if t["Key"] == name[4:]]
            return [vpc["VpcId"]] if name == "vpc-id" else []
        return [copy.deepcopy(v) for v in self.vpcs if self._matches(v, filters, values)]

    def describe_security_groups(self, client, filters):
        self._call("describe_security_groups", filters)

        def values(group, name):
            if name.startswith("tag:"):
                return [v for k, v in group["Tags"].items() if k == name[4:]]
            if name == "ip-permission.group-id":
                return [key[4] for key in group["rules"] if key[3] == "UserIdGroupPairs"]
            return {"vpc-id": [group["VpcId"]], "group-name": [group["GroupName"]], "group-id": [group["GroupId"]]}[name]
        return [self._view(g) for g in self.groups.values() if self._matches(g, filters, values)]

    def describe_managed_prefix_lists(self, client, **params):
        self._call("describe_managed_prefix_lists", params)
        (flt,) = params["Filters"]
        assert flt["Name"] == "prefix-list-name"
        return [{"PrefixListName": n, "PrefixListId": i} for n, i in self.prefix_lists.items() if n in flt["Values"]]

    def describe_network_interfaces(self, client, filters):
        self._call("describe_network_interfaces", filters)
        (flt,) = filters
        assert flt["Name"] == "group-id"
        return [copy.deepcopy(e) for e in self.interfaces if any(g["GroupId"] in flt["Values"] for g in e["Groups"])]

    def create_security_group(self, client, name, description, vpc_id, tags):
        self._call("create_security_group", name, description, vpc_id, tags)
        if any(g["GroupName"] == name and g["VpcId"] == vpc_id for g in self.groups.values()):
            raise aws_error("InvalidGroup.Duplicate", f"The security group '{name}' already exists for VPC '{vpc_id}'")
        return self.add_group(name, description, tags=tags, vpc_id=vpc_id)

    def wait_security_groups_exist(self, client, group_ids):
        self._call("wait_security_groups_exist", sorted(group_ids))
        assert all(gid in self.groups for gid in group_ids)

    def authorize_ingress(self, client, group_id, permissions):
        self._call("authorize_ingress", group_id, permissions)
        group = self.groups[group_id]
        for key, desc in self._flat(permissions):
            if key in group["rules"]:
                raise aws_error("InvalidPermission.Duplicate", "the specified rule already exists")
            if key[3] == "UserIdGroupPairs" and key[4] not in self.groups:
                raise aws_error("InvalidGroup.NotFound", f"The security group '{key[4]}' does not exist")
            group["rules"][key] = desc

    def update_ingress_descriptions(self, client, group_id, permissions):
        self._call("update_ingress_descriptions", group_id, permissions)
        for key, desc in self._flat(permissions):
            assert key in self.groups[group_id]["rules"]
            self.groups[group_id]["rules"][key] = desc

    def revoke_ingress(self, client, group_id, permissions):
        self._call("revoke_ingress", group_id, permissions)
        unknown = []
        for key, desc in self._flat(permissions):  # AWS matches without the description
            if self.groups[group_id]["rules"].pop(key, "missing") == "missing":
                unknown.append(key)
        return unknown

    def delete_security_group(self, client, group_id):
        self._call("delete_security_group", group_id)
        in_use = any(g["GroupId"] == group_id for e in self.interfaces for g in e["Groups"])
        referenced = any(key[4] == group_id for g in self.groups.values() for key in g["rules"])
        if in_use or referenced:
            raise aws_error("DependencyViolation", "resource sg has a dependent object", what="delete security group")
        return self.groups.pop(group_id, None) is not None

    def create_tags(self, client, resource_id, tags):
        self._call("create_tags", resource_id, tags)
        self.groups[resource_id]["Tags"].update(tags)

    def delete_tags(self, client, resource_id, keys):
        self._call("delete_tags", resource_id, keys)
        for key in keys:
            del self.groups[resource_id]["Tags"][key]


WRAPPERS = ("describe_vpcs", "describe_security_groups", "describe_network_interfaces", "create_security_group",
            "wait_security_groups_exist", "authorize_ingress", "revoke_ingress", "update_ingress_descriptions",
            "delete_security_group", "create_tags", "delete_tags")


def run(monkeypatch, aws, args, check_mode=False, diff=False):
    for name in WRAPPERS:
        monkeypatch.setattr(sgs.api, name, getattr(aws, name))
    monkeypatch.setattr(sgs, "describe_managed_prefix_lists", aws.describe_managed_prefix_lists)
    args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    args.setdefault("region", "us-east-1")
    return run_main(sgs, args)


def exits(monkeypatch, aws, args, **kwargs):
    result = run(monkeypatch, aws, args, **kwargs)
    assert isinstance(result, AnsibleExitJson), result.result
    return result.result


def fails(monkeypatch, aws, args, **kwargs):
    result = run(monkeypatch, aws, args, **kwargs)
    assert isinstance(result, AnsibleFailJson), result.result
    return result.result


def chain(**overrides):
    """Three groups that refer to each other (an ALB behind CloudFront, its instances, their database)."""
    args = {
        "vpc_filters": {"tag:Name": "dev-web"},
        "tags": {"atelier:env": "dev"},
        "groups": [
            {"name": "dev-web-alb", "description": "ALB", "tags": {"Name": "dev-web-alb"},
             "rules": [{"proto": "tcp", "ports": [443], "prefix_list_name": CF, "rule_desc": "HTTPS from CloudFront"}]},
            {"name": "dev-web-app", "description": "Instances",
             "rules": [{"ports": [8080], "group_name": "dev-web-alb", "rule_desc": "App from the ALB"}]},
            {"name": "dev-web-db", "description": "Database",
             "rules": [{"ports": [5432], "group_name": "dev-web-app", "rule_desc": "Database from the app"},
                       {"from_port": 5432, "to_port": 5433, "cidr_ip": "10.0.0.0/16", "rule_desc": "Database from the VPC"}]},
        ],
    }
    args.update(overrides)
    return args


@pytest.fixture
def deployed(monkeypatch):
    aws = FakeEC2()
    exits(monkeypatch, aws, chain())
    aws.calls.clear()
    return aws


# ---- present ------------------------------------------------------------------------------------------------------


def test_create_makes_every_group_before_any_rule_and_tags_at_creation(monkeypatch):
    aws = FakeEC2()

    result = exits(monkeypatch, aws, chain())

    names = [call[0] for call in aws.calls]
    assert names[:3] == ["describe_managed_prefix_lists", "describe_vpcs", "describe_security_groups"] or names[:3] == [
        "describe_vpcs", "describe_managed_prefix_lists", "describe_security_groups"]
    creates = [c for c in aws.calls if c[0] == "create_security_group"]
    assert [c[1] for c in creates] == ["dev-web-alb", "dev-web-app", "dev-web-db"]
    assert creates[0][4] == {"atelier:env": "dev", "Name": "dev-web-alb"}
    assert creates[1][4] == {"atelier:env": "dev"}
    assert names.index("wait_security_groups_exist") > max(i for i, n in enumerate(names) if n == "create_security_group")
    assert aws.count("wait_security_groups_exist") == 1
    assert min(i for i, n in enumerate(names) if n == "authorize_ingress") > names.index("wait_security_groups_exist")
    ids = {g["GroupName"]: g["GroupId"] for g in aws.groups.values()}
    assert result["groups"] == ids
    assert result["changed"] is True
    assert result["vpc_id"] == VPC
    assert result["prefix_lists"] == {CF: CF_ID}
    assert result["actions"] == [
        f"create security group dev-web-alb in {VPC}",
        f"create security group dev-web-app in {VPC}",
        f"create security group dev-web-db in {VPC}",
        f"authorize tcp 443 from {CF_ID} ({CF}) on dev-web-alb",
        "authorize tcp 8080 from dev-web-alb on dev-web-app",
        "authorize tcp 5432 from dev-web-app on dev-web-db",
        "authorize tcp 5432-5433 from 10.0.0.0/16 on dev-web-db",
    ]
    assert aws.rules_of("dev-web-db") == {
        ("tcp", 5432, 5432, "UserIdGroupPairs", ids["dev-web-app"]): "Database from the app",
        ("tcp", 5432, 5433, "IpRanges", "10.0.0.0/16"): "Database from the VPC",
    }
    assert aws.rules_of("dev-web-alb") == {("tcp", 443, 443, "PrefixListIds", CF_ID): "HTTPS from CloudFront"}
    assert result["msg"] == f"Created 3 and changed 0 security groups in {VPC}."


def test_second_run_changes_nothing_with_three_reads(monkeypatch, deployed):
    result = exits(monkeypatch, deployed, chain())

    assert result["changed"] is False
    assert result["actions"] == []
    assert deployed.mutating() == []
    assert sorted(call[0] for call in deployed.calls) == [
        "describe_managed_prefix_lists", "describe_security_groups", "describe_vpcs"]
    assert result["msg"] == f"No change to the 3 security groups in {VPC}."


def test_one_describe_reads_the_set_and_the_groups_it_refers_to(monkeypatch, deployed):
    args = chain(vpc_id=VPC)
    del args["vpc_filters"]
    args["groups"][0]["rules"].append({"ports": [80], "group_name": "legacy", "rule_desc": "From legacy"})
    legacy = deployed.add_group("legacy")

    result = exits(monkeypatch, deployed, args)

    assert [c[0] for c in deployed.calls if c[0].startswith("describe")] == [
        "describe_managed_prefix_lists", "describe_security_groups"]
    (describe,) = [c for c in deployed.calls if c[0] == "describe_security_groups"]
    assert describe[1] == [{"Name": "vpc-id", "Values": [VPC]},
                           {"Name": "group-name", "Values": ["dev-web-alb", "dev-web-app", "dev-web-db", "legacy"]}]
    assert result["actions"] == ["authorize tcp 80 from legacy on dev-web-alb"]
    assert ("tcp", 80, 80, "UserIdGroupPairs", legacy) in deployed.rules_of("dev-web-alb")


def test_rules_added_removed_and_redescribed(monkeypatch, deployed):
    app = deployed.by_name("dev-web-app")["GroupId"]
    db = deployed.by_name("dev-web-db")
    db["rules"][("tcp", 22, 22, "IpRanges", "0.0.0.0/0")] = "SSH from anywhere"
    args = chain()
    args["groups"][2]["rules"] = [
        {"ports": [5432], "group_name": "dev-web-app", "rule_desc": "PostgreSQL from the app"},
        {"ports": [6432], "group_name": "dev-web-app", "rule_desc": "PgBouncer from the app"},
    ]

    result = exits(monkeypatch, deployed, args)

    assert result["changed"] is True
    assert result["actions"] == [
        "authorize tcp 6432 from dev-web-app on dev-web-db",
        "set the description of tcp 5432 from dev-web-app on dev-web-db to 'PostgreSQL from the app'",
        "revoke tcp 22 from 0.0.0.0/0 on dev-web-db",
        "revoke tcp 5432-5433 from 10.0.0.0/16 on dev-web-db",
    ]
    order = [c[0] for c in deployed.mutating()]
    assert order == ["authorize_ingress", "update_ingress_descriptions", "revoke_ingress"]
    (update,) = [c for c in deployed.calls if c[0] == "update_ingress_descriptions"]
    assert update[2] == [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                          "UserIdGroupPairs": [{"GroupId": app, "Description": "PostgreSQL from the app"}]}]
    (revoke,) = [c for c in deployed.calls if c[0] == "revoke_ingress"]
    assert revoke[2] == [  # with their descriptions: AWS ignores them, the emulator matches on them
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "SSH from anywhere"}]},
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5433,
         "IpRanges": [{"CidrIp": "10.0.0.0/16", "Description": "Database from the VPC"}]},
    ]
    assert deployed.rules_of("dev-web-db") == {
        ("tcp", 5432, 5432, "UserIdGroupPairs", app): "PostgreSQL from the app",
        ("tcp", 6432, 6432, "UserIdGroupPairs", app): "PgBouncer from the app",
    }
    assert result["msg"] == f"Created 0 and changed 1 security groups in {VPC}."


def test_a_rule_gone_before_its_revocation_is_a_warning(monkeypatch, deployed):
    warnings = []
    monkeypatch.setattr(sgs.AnsibleAWSModule, "warn", lambda self, msg: warnings.append(msg))
    deployed.by_name("dev-web-db")["rules"][("tcp", 22, 22, "IpRanges", "0.0.0.0/0")] = None
    revoke = deployed.revoke_ingress

    def gone_first(client, group_id, permissions):
        deployed.groups[group_id]["rules"].pop(("tcp", 22, 22, "IpRanges", "0.0.0.0/0"))
        return revoke(client, group_id, permissions)
    monkeypatch.setattr(deployed, "revoke_ingress", gone_first)

    result = exits(monkeypatch, deployed, chain())

    assert result["actions"] == ["revoke tcp 22 from 0.0.0.0/0 on dev-web-db"]
    assert warnings == ["AWS had no longer some of the rules revoked from dev-web-db: "
                        "[('tcp', 22, 22, 'IpRanges', '0.0.0.0/0')]"]


def test_purge_rules_false_keeps_the_rules_not_listed(monkeypatch, deployed):
    deployed.by_name("dev-web-db")["rules"][("tcp", 22, 22, "IpRanges", "192.0.2.0/24")] = None

    result = exits(monkeypatch, deployed, chain(purge_rules=False))

    assert result["changed"] is False
    assert ("tcp", 22, 22, "IpRanges", "192.0.2.0/24") in deployed.rules_of("dev-web-db")


def test_other_protocols(monkeypatch):
    aws = FakeEC2()
    args = {"vpc_id": VPC, "groups": [{"name": "misc", "description": "Misc", "rules": [
        {"proto": "all", "group_name": "misc", "rule_desc": "Members talk freely"},
        {"proto": "icmp", "from_port": 8, "cidr_ip": "10.0.0.0/8"},
        {"proto": "icmpv6", "cidr_ipv6": "2001:DB8::/32"},
        {"proto": "17", "ports": [53], "cidr_ip": "10.0.0.0/8"},
        {"proto": "50", "cidr_ip": "10.0.0.0/8"},
    ]}]}

    result = exits(monkeypatch, aws, args)

    gid = result["groups"]["misc"]
    assert aws.rules_of("misc") == {
        ("-1", None, None, "UserIdGroupPairs", gid): "Members talk freely",
        ("icmp", 8, -1, "IpRanges", "10.0.0.0/8"): None,
        ("icmpv6", -1, -1, "Ipv6Ranges", "2001:db8::/32"): None,
        ("udp", 53, 53, "IpRanges", "10.0.0.0/8"): None,
        ("50", None, None, "IpRanges", "10.0.0.0/8"): None,
    }
    assert result["actions"][1:] == [
        "authorize all traffic from misc on misc",
        "authorize protocol 50 from 10.0.0.0/8 on misc",
        "authorize icmp type 8 from 10.0.0.0/8 on misc",
        "authorize icmpv6 (all types) from 2001:db8::/32 on misc",
        "authorize udp 53 from 10.0.0.0/8 on misc",
    ]
    assert exits(monkeypatch, aws, args)["changed"] is False


@pytest.mark.parametrize(
    "tags, group_tags, purge, expected, actions",
    [
        ({"atelier:env": "prod"}, None, True, {"atelier:env": "prod"},
         ["untag dev-web-app: Owner", "tag dev-web-app: atelier:env=prod"]),
        ({"atelier:env": "prod"}, None, False, {"atelier:env": "prod", "Owner": "ops"}, ["tag dev-web-app: atelier:env=prod"]),
        ({"atelier:env": "dev"}, {"Name": "app"}, True, {"atelier:env": "dev", "Name": "app"},
         ["untag dev-web-app: Owner", "tag dev-web-app: Name=app"]),
        (None, None, True, {"atelier:env": "dev", "Owner": "ops"}, []),  # no tags given: left alone
        ({}, None, True, {}, ["untag dev-web-app: Owner, atelier:env"]),
    ],
    ids=["changed-and-purged", "purge-false", "group-tags-over-common", "unmanaged", "all-removed"],
)
def test_tags(monkeypatch, deployed, tags, group_tags, purge, expected, actions):
    deployed.by_name("dev-web-app")["Tags"]["Owner"] = "ops"
    args = chain(tags=tags, purge_tags=purge)
    args["groups"][1]["tags"] = group_tags
    args["groups"][0].pop("tags")
    if tags is None:
        args.pop("tags")

    result = exits(monkeypatch, deployed, args)

    assert deployed.by_name("dev-web-app")["Tags"] == expected
    assert [a for a in result["actions"] if "dev-web-app" in a] == actions


def test_a_different_description_is_a_warning_not_a_change(monkeypatch, deployed):
    warnings = []
    monkeypatch.setattr(sgs.AnsibleAWSModule, "warn", lambda self, msg: warnings.append(msg))
    args = chain()
    args["groups"][1]["description"] = "The instances"

    result = exits(monkeypatch, deployed, args)

    assert result["changed"] is False
    assert warnings == ["The description of dev-web-app is 'Instances', not 'The instances': AWS cannot change it "
                        "without deleting the group."]


def test_check_mode_reads_the_same_and_writes_nothing(monkeypatch, deployed):
    deployed.by_name("dev-web-db")["rules"][("tcp", 22, 22, "IpRanges", "0.0.0.0/0")] = None
    args = chain()
    args["groups"].append({"name": "dev-web-bastion", "description": "Bastion",
                           "rules": [{"ports": [22], "cidr_ip": "203.0.113.0/24"}]})
    args["groups"][1]["rules"].append({"ports": [22], "group_name": "dev-web-bastion", "rule_desc": "SSH"})
    before = copy.deepcopy(deployed.groups)

    result = exits(monkeypatch, deployed, args, check_mode=True, diff=True)

    assert deployed.mutating() == []
    assert deployed.groups == before
    assert result["changed"] is True
    assert result["actions"] == [
        f"create security group dev-web-bastion in {VPC}",
        "authorize tcp 22 from dev-web-bastion on dev-web-app",
        "revoke tcp 22 from 0.0.0.0/0 on dev-web-db",
        "authorize tcp 22 from 203.0.113.0/24 on dev-web-bastion",
    ]
    assert result["groups"]["dev-web-bastion"] == ""
    assert result["groups"]["dev-web-app"] == deployed.by_name("dev-web-app")["GroupId"]
    assert result["msg"] == f"Would create 1 and changed 2 security groups in {VPC}."
    diff = result["diff"]
    assert "dev-web-bastion" not in diff["before"]
    assert diff["after"]["dev-web-bastion"] == {"description": "Bastion", "rules": ["tcp 22 from 203.0.113.0/24"],
                                                "tags": {"atelier:env": "dev"}}
    assert diff["before"]["dev-web-app"]["rules"] == ["tcp 8080 from dev-web-alb: App from the ALB"]
    assert diff["after"]["dev-web-app"]["rules"] == ["tcp 22 from dev-web-bastion: SSH", "tcp 8080 from dev-web-alb: App from the ALB"]
    assert diff["before"]["dev-web-db"]["rules"] == [
        "tcp 22 from 0.0.0.0/0", "tcp 5432 from dev-web-app: Database from the app",
        "tcp 5432-5433 from 10.0.0.0/16: Database from the VPC"]
    assert diff["after"]["dev-web-db"]["rules"] == diff["before"]["dev-web-db"]["rules"][1:]

    exits(monkeypatch, deployed, args)
    assert exits(monkeypatch, deployed, args, check_mode=True)["changed"] is False


def test_check_mode_without_the_vpc_plans_by_name(monkeypatch):
    aws = FakeEC2(vpcs=[])

    result = exits(monkeypatch, aws, chain(), check_mode=True)

    assert aws.mutating() == []
    assert [c[0] for c in aws.calls] == ["describe_vpcs"]
    assert result["changed"] is True
    assert result["vpc_id"] == ""
    assert result["msg"] == "Would create security groups: dev-web-alb, dev-web-app, dev-web-db (no VPC matches vpc_filters yet)."
    assert result["groups"] == {"dev-web-alb": "", "dev-web-app": "", "dev-web-db": ""}
    assert result["actions"][:4] == [
        "create security group dev-web-alb in the new VPC",
        "create security group dev-web-app in the new VPC",
        "create security group dev-web-db in the new VPC",
        f"authorize tcp 443 from {CF} on dev-web-alb",
    ]


@pytest.mark.parametrize(
    "vpcs, check_mode, message",
    [
        ([], False, "No VPC matches vpc_filters (tag:Name=dev-web) in us-east-1: create the VPC first (with atelier.infra, the vpc role: --tags vpc)"),
        ([{"VpcId": "vpc-1", "Tags": [{"Key": "Name", "Value": "dev-web"}]},
          {"VpcId": "vpc-2", "Tags": [{"Key": "Name", "Value": "dev-web"}]}], True,
         "vpc_filters (tag:Name=dev-web) match 2 VPCs in us-east-1: vpc-1, vpc-2; they must match exactly one"),
    ],
    ids=["none", "several"],
)
def test_the_vpc_filters_must_match_one_vpc(monkeypatch, vpcs, check_mode, message):
    aws = FakeEC2(vpcs=vpcs)
    result = fails(monkeypatch, aws, chain(), check_mode=check_mode)
    assert result["msg"] == message
    assert aws.mutating() == []


def test_a_rule_naming_an_unknown_group_fails_before_any_change(monkeypatch):
    aws = FakeEC2()
    args = chain()
    args["groups"][1]["rules"][0]["group_name"] = "dev-web-lb"

    result = fails(monkeypatch, aws, args)

    assert result["msg"] == (f"The rules of dev-web-app refer to dev-web-lb: neither a group of groups nor a group of {VPC}")
    assert aws.mutating() == []


def test_an_unknown_prefix_list_fails_before_any_change(monkeypatch):
    aws = FakeEC2(prefix_lists={})
    result = fails(monkeypatch, aws, chain())
    assert result["msg"] == f"No managed prefix list named {CF} in us-east-1"
    assert aws.mutating() == []


def test_an_aws_error_says_what_failed_with_the_aws_code_and_message(monkeypatch):
    aws = FakeEC2()
    aws.fail_on["authorize_ingress"] = aws_error("RulesPerSecurityGroupLimitExceeded", "The maximum number of rules per "
                                                 "security group has been reached.", what="authorize security group ingress")

    result = fails(monkeypatch, aws, chain())

    assert result["msg"].startswith(
        "Could not authorize the ingress of dev-web-alb (sg-0001): RulesPerSecurityGroupLimitExceeded: The maximum "
        "number of rules per security group has been reached. Done before the failure: create security group dev-web-alb")
    assert "Failed to" not in result["msg"]
    assert result["actions"] == [f"create security group {n} in {VPC}" for n in ("dev-web-alb", "dev-web-app", "dev-web-db")]


def test_a_failed_creation_says_which_group(monkeypatch):
    aws = FakeEC2()
    aws.fail_on["create_security_group"] = aws_error("InvalidVpcID.NotFound", f"The vpc ID '{VPC}' does not exist")
    result = fails(monkeypatch, aws, chain())
    assert result["msg"] == (f"Could not create security group dev-web-alb in {VPC}: InvalidVpcID.NotFound: "
                             f"The vpc ID '{VPC}' does not exist")


def test_the_plan_of_the_role_is_accepted(monkeypatch):
    tiers = [{"name": "frontend", "app_port": 3000, "alb_ports": [443], "cloudfront": True},
             {"name": "backend", "app_port": 8080, "alb_scheme": "internal", "alb_ports": [80], "clients": ["frontend"]}]
    groups = plan(tiers, "dev-web", database_clients=["backend"], bastion_enabled=True, admin_cidrs=["203.0.113.0/24"])
    aws = FakeEC2()

    result = exits(monkeypatch, aws, {"vpc_id": VPC, "groups": groups, "tags": {"atelier:env": "dev"}})

    assert sorted(result["groups"]) == sorted(g["name"] for g in groups)
    assert len(result["actions"]) == 6 + 8
    assert exits(monkeypatch, aws, {"vpc_id": VPC, "groups": groups, "tags": {"atelier:env": "dev"}})["changed"] is False


# ---- bad input ----------------------------------------------------------------------------------------------------

BAD = [
    ("no-vpc", {"vpc_filters": None}, "one of the following is required: vpc_id, vpc_filters"),
    ("both-vpc", {"vpc_id": VPC}, "parameters are mutually exclusive: vpc_id|vpc_filters"),
    ("empty-vpc-filters", {"vpc_filters": {}}, "vpc_filters must name at least one filter"),
    ("duplicate-group", {"groups": [{"name": "a", "description": "A"}] * 2}, "groups: a is listed 2 times"),
    ("sg-name", {"groups": [{"name": "sg-web", "description": "A"}]}, "groups[sg-web]: a group name must not be empty nor start with sg-"),
    ("no-description", {"groups": [{"name": "a"}]}, "groups[a]: description is required with state=present"),
    ("description-chars", {"groups": [{"name": "a", "description": "Café"}]}, "groups[a]: description 'Café' must be at most 255"),
    ("two-sources", {"groups": [{"name": "a", "description": "A", "rules": [{"ports": [80], "cidr_ip": "10.0.0.0/8", "group_name": "a"}]}]},
     "groups[a].rules[0]: needs exactly one of group_name, cidr_ip, cidr_ipv6, prefix_list_id, prefix_list_name, got group_name, cidr_ip"),
    ("no-source", {"groups": [{"name": "a", "description": "A", "rules": [{"ports": [80]}]}]},
     "groups[a].rules[0]: needs exactly one of group_name, cidr_ip"),
    ("tcp-without-ports", {"groups": [{"name": "a", "description": "A", "rules": [{"cidr_ip": "10.0.0.0/8"}]}]},
     "groups[a].rules[0]: tcp needs ports or from_port (and to_port)"),
    ("ports-and-range", {"groups": [{"name": "a", "description": "A", "rules": [{"ports": [1], "from_port": 1, "cidr_ip": "10.0.0.0/8"}]}]},
     "groups[a].rules[0]: ports and from_port/to_port are mutually exclusive"),
    ("port-range", {"groups": [{"name": "a", "description": "A", "rules": [{"from_port": 90, "to_port": 80, "cidr_ip": "10.0.0.0/8"}]}]},
     "groups[a].rules[0]: port range 90-80 is not within 0-65535"),
    ("port-too-high", {"groups": [{"name": "a", "description": "A", "rules": [{"ports": [70000], "cidr_ip": "10.0.0.0/8"}]}]},
     "port range 70000-70000 is not within 0-65535"),
    ("proto", {"groups": [{"name": "a", "description": "A", "rules": [{"proto": "sctp", "cidr_ip": "10.0.0.0/8"}]}]},
     "groups[a].rules[0]: proto 'sctp' is not tcp, udp, icmp, icmpv6, all or a protocol number"),
    ("all-with-ports", {"groups": [{"name": "a", "description": "A", "rules": [{"proto": "all", "ports": [80], "cidr_ip": "10.0.0.0/8"}]}]},
     "ports only apply to tcp and udp"),
    ("cidr-host-bits", {"groups": [{"name": "a", "description": "A", "rules": [{"ports": [22], "cidr_ip": "203.0.113.7/24"}]}]},
     "groups[a].rules[0]: cidr_ip '203.0.113.7/24' has host bits set; did you mean 203.0.113.0/24?"),
    ("cidr-invalid", {"groups": [{"name": "a", "description": "A", "rules": [{"ports": [22], "cidr_ip": "300.1.1.1/32"}]}]},
     "cidr_ip '300.1.1.1/32' is not an IPv4 CIDR"),
    ("cidr-v6-in-v4", {"groups": [{"name": "a", "description": "A", "rules": [{"ports": [22], "cidr_ip": "2001:db8::/32"}]}]},
     "cidr_ip '2001:db8::/32' is not an IPv4 CIDR (network/prefix length)"),
    ("prefix-list-id", {"groups": [{"name": "a", "description": "A", "rules": [{"ports": [22], "prefix_list_id": "cloudfront"}]}]},
     "prefix_list_id 'cloudfront' is not a prefix list ID (pl-...)"),
    ("rule-desc", {"groups": [{"name": "a", "description": "A", "rules": [{"ports": [22], "cidr_ip": "10.0.0.0/8", "rule_desc": "x" * 256}]}]},
     "groups[a].rules[0]: rule_desc"),
    ("same-rule-two-descriptions", {"groups": [{"name": "a", "description": "A", "rules": [
        {"ports": [22], "cidr_ip": "10.0.0.0/8", "rule_desc": "one"}, {"ports": [22], "cidr_ip": "10.0.0.0/8", "rule_desc": "two"}]}]},
     "groups[a].rules[1]: the same rule is listed twice with different descriptions"),
    ("aws-tag", {"tags": {"aws:owner": "me"}, "groups": [{"name": "a", "description": "A"}]},
     "groups[a]: tag aws:owner: keys starting with aws: are reserved by AWS"),
    ("delete-matching-present", {"delete_matching": {"group-name": "a-*"}}, "delete_matching only applies with state=absent"),
    ("delete-matching-empty", {"state": "absent", "delete_matching": {}}, "delete_matching must name at least one filter"),
]


@pytest.mark.parametrize("overrides, message", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_input_is_refused_before_any_call(monkeypatch, overrides, message):
    aws = FakeEC2()
    args = dict({"vpc_filters": {"tag:Name": "dev-web"}, "groups": []}, **overrides)
    args = {k: v for k, v in args.items() if v is not None}

    result = fails(monkeypatch, aws, args)

    assert message in result["msg"]
    assert aws.calls == []


# ---- absent -------------------------------------------------------------------------------------------------------


def absent(**overrides):
    args = {"state": "absent", "vpc_filters": {"tag:Name": "dev-web"},
            "groups": [{"name": "dev-web-alb"}, {"name": "dev-web-app"}, {"name": "dev-web-db"}]}
    args.update(overrides)
    return args


def test_absent_revokes_every_rule_first_then_deletes(monkeypatch, deployed):
    result = exits(monkeypatch, deployed, absent())

    assert deployed.groups == {}
    names = [c[0] for c in deployed.mutating()]
    assert names == ["revoke_ingress"] * 3 + ["delete_security_group"] * 3
    assert result["changed"] is True
    assert result["groups"] == {}
    assert result["actions"] == [
        f"revoke tcp 443 from {CF_ID} on dev-web-alb",
        "revoke tcp 8080 from dev-web-alb on dev-web-app",
        "revoke tcp 5432 from dev-web-app on dev-web-db",
        "revoke tcp 5432-5433 from 10.0.0.0/16 on dev-web-db",
        "delete security group dev-web-alb (sg-0001)",
        "delete security group dev-web-app (sg-0002)",
        "delete security group dev-web-db (sg-0003)",
    ]
    assert result["msg"] == f"Deleted 3 security groups from {VPC}."

    deployed.calls.clear()
    again = exits(monkeypatch, deployed, absent())
    assert again["changed"] is False and again["actions"] == [] and deployed.mutating() == []
    assert again["msg"] == "No security group to delete."


def test_absent_in_check_mode_says_what_it_would_delete(monkeypatch, deployed):
    before = copy.deepcopy(deployed.groups)

    result = exits(monkeypatch, deployed, absent(), check_mode=True, diff=True)

    assert deployed.groups == before and deployed.mutating() == []
    assert result["changed"] is True
    assert result["actions"][-3:] == [f"delete security group {n} ({deployed.by_name(n)['GroupId']})"
                                      for n in ("dev-web-alb", "dev-web-app", "dev-web-db")]
    assert result["diff"]["after"] == {}
    assert sorted(result["diff"]["before"]) == ["dev-web-alb", "dev-web-app", "dev-web-db"]
    assert result["msg"] == f"Would delete 3 security groups from {VPC}."


@pytest.mark.parametrize("check_mode", [False, True])
def test_absent_without_the_vpc_changes_nothing(monkeypatch, check_mode):
    aws = FakeEC2(vpcs=[])
    result = exits(monkeypatch, aws, absent(), check_mode=check_mode)
    assert result["changed"] is False and aws.mutating() == []
    assert result["msg"] == "No VPC matches vpc_filters: there is no security group to delete."


def test_absent_deletes_the_matching_groups_too_but_never_the_default_group(monkeypatch, deployed):
    deployed.add_group("dev-web-old", tags={"atelier:env": "dev"})
    deployed.add_group("default", tags={"atelier:env": "dev"})
    deployed.add_group("other-web", tags={"atelier:env": "dev"})

    result = exits(monkeypatch, deployed, absent(delete_matching={"group-name": ["dev-web-*", "default"], "tag:atelier:env": "dev"}))

    assert sorted(g["GroupName"] for g in deployed.groups.values()) == ["default", "other-web"]
    assert "delete security group dev-web-old (sg-0004)" in result["actions"]


def test_absent_refuses_a_group_in_use_before_any_change(monkeypatch, deployed):
    db = deployed.by_name("dev-web-db")["GroupId"]
    deployed.interfaces = [
        {"NetworkInterfaceId": "eni-0a1", "Groups": [{"GroupId": db}], "RequesterId": "amazon-rds",
         "Description": "RDSNetworkInterface", "InterfaceType": "interface"},
        {"NetworkInterfaceId": "eni-0b2", "Groups": [{"GroupId": db}], "Attachment": {"InstanceId": "i-0123"}},
        {"NetworkInterfaceId": "eni-0c3", "Groups": [{"GroupId": db}], "InterfaceType": "lambda", "Description": "AWS Lambda VPC ENI"},
        {"NetworkInterfaceId": "eni-0d4", "Groups": [{"GroupId": db}], "InterfaceType": "interface"},
    ]

    result = fails(monkeypatch, deployed, absent())

    assert result["msg"] == (f"Security groups still in use, nothing was changed: dev-web-db ({db}) by eni-0a1 (RDS "
                             "instance: RDSNetworkInterface), eni-0b2 (EC2 instance i-0123), eni-0c3 (lambda: AWS Lambda "
                             "VPC ENI), eni-0d4. Delete what uses them first.")
    assert deployed.mutating() == []
    assert len(deployed.groups) == 3


def test_absent_names_what_still_refers_to_a_group_aws_would_not_delete(monkeypatch, deployed):
    app = deployed.by_name("dev-web-app")["GroupId"]
    outsider = deployed.add_group("monitoring", rules={("tcp", 9100, 9100, "UserIdGroupPairs", app): None})

    result = fails(monkeypatch, deployed, absent())

    assert result["msg"] == (
        f"Could not delete 1 security groups: dev-web-app ({app}): DependencyViolation: resource sg has a dependent "
        f"object; referred to by the rules of monitoring ({outsider}). Their ingress rules were revoked: run with "
        "state=present to restore them. Done before the failure: "
        f"revoke tcp 443 from {CF_ID} on dev-web-alb; revoke tcp 8080 from dev-web-alb on dev-web-app; "
        "revoke tcp 5432 from dev-web-app on dev-web-db; revoke tcp 5432-5433 from 10.0.0.0/16 on dev-web-db; "
        "delete security group dev-web-alb (sg-0001); delete security group dev-web-db (sg-0003).")
    assert sorted(g["GroupName"] for g in deployed.groups.values()) == ["dev-web-app", "monitoring"]


def test_absent_stops_at_another_aws_error(monkeypatch, deployed):
    deployed.fail_on["delete_security_group"] = aws_error("UnauthorizedOperation", "You are not authorized")
    result = fails(monkeypatch, deployed, absent())
    assert result["msg"].startswith("Could not delete security group dev-web-alb (sg-0001): UnauthorizedOperation: "
                                    "You are not authorized. Done before the failure: revoke")


# ---- keep what is in use, lost responses --------------------------------------------------------------------------


def rds_interface(group_id):
    return {"NetworkInterfaceId": "eni-0a1", "Groups": [{"GroupId": group_id}], "RequesterId": "amazon-rds",
            "Description": "RDSNetworkInterface", "InterfaceType": "interface"}


def test_absent_keeps_a_group_in_use_and_strips_only_the_rules_that_refer_to_groups_that_go(monkeypatch, deployed):
    """A teardown that keeps the database: its group stays with its CIDR rule; the rule admitting the app group goes
    (AWS deletes no group another group's rule refers to), and so do the other groups."""
    db = deployed.by_name("dev-web-db")["GroupId"]
    deployed.interfaces = [rds_interface(db)]

    result = exits(monkeypatch, deployed, absent(keep_in_use=True), diff=True)

    assert sorted(g["GroupName"] for g in deployed.groups.values()) == ["dev-web-db"]
    assert list(deployed.rules_of("dev-web-db")) == [("tcp", 5432, 5433, "IpRanges", "10.0.0.0/16")]
    assert result["kept"] == [{"name": "dev-web-db", "id": db,
                               "reason": "used by eni-0a1 (RDS instance: RDSNetworkInterface)"}]
    assert result["groups"] == {"dev-web-db": db}
    assert "revoke tcp 5432 from dev-web-app on dev-web-db" in result["actions"]
    assert "revoke tcp 5432-5433 from 10.0.0.0/16 on dev-web-db" not in result["actions"]
    assert not any(a.startswith("delete security group dev-web-db") for a in result["actions"])
    assert result["msg"] == f"Deleted 2 security groups from {VPC}. Kept 1 still in use: dev-web-db."
    assert result["diff"]["after"]["dev-web-db"]["rules"] == ["tcp 5432-5433 from 10.0.0.0/16: Database from the VPC"]

    deployed.calls.clear()
    again = exits(monkeypatch, deployed, absent(keep_in_use=True))
    assert again["changed"] is False and deployed.mutating() == [] and again["kept"] == result["kept"]


def test_absent_keep_in_use_in_check_mode_reads_the_interfaces_and_changes_nothing(monkeypatch, deployed):
    db = deployed.by_name("dev-web-db")["GroupId"]
    deployed.interfaces = [rds_interface(db)]

    result = exits(monkeypatch, deployed, absent(keep_in_use=True), check_mode=True)

    assert deployed.mutating() == [] and len(deployed.groups) == 3
    assert [k["name"] for k in result["kept"]] == ["dev-web-db"]
    assert result["msg"] == f"Would delete 2 security groups from {VPC}. Kept 1 still in use: dev-web-db."


def test_a_retried_create_adopts_the_group_its_first_request_made(monkeypatch):
    """CreateSecurityGroup applied, its answer lost, the retry answered InvalidGroup.Duplicate: the group of that
    name (tagged at creation) is used, and the run goes on."""
    aws = FakeEC2()
    create = aws.create_security_group

    def lost(client, name, description, vpc_id, tags):
        create(client, name, description, vpc_id, tags)
        return create(client, name, description, vpc_id, tags)

    monkeypatch.setattr(aws, "create_security_group", lost)
    result = exits(monkeypatch, aws, chain())

    assert sorted(g["GroupName"] for g in aws.groups.values()) == ["dev-web-alb", "dev-web-app", "dev-web-db"]
    assert result["groups"] == {g["GroupName"]: gid for gid, g in aws.groups.items()}
    assert aws.rules_of("dev-web-app")  # the rules were authorized on the adopted groups
    aws.calls.clear()
    monkeypatch.setattr(aws, "create_security_group", create)
    assert exits(monkeypatch, aws, chain())["changed"] is False


def test_a_retried_authorize_adds_only_what_is_missing(monkeypatch, deployed):
    """AuthorizeSecurityGroupIngress applied, its answer lost: the retry is InvalidPermission.Duplicate. The module
    reads the group again and authorizes what is still missing (here nothing)."""
    authorize = deployed.authorize_ingress

    def lost(client, group_id, permissions):
        authorize(client, group_id, permissions)
        return authorize(client, group_id, permissions)

    monkeypatch.setattr(deployed, "authorize_ingress", lost)
    args = chain()
    args["groups"][2]["rules"].append({"ports": [6432], "cidr_ip": "10.1.0.0/16", "rule_desc": "pgbouncer"})

    result = exits(monkeypatch, deployed, args)

    assert result["actions"] == ["authorize tcp 6432 from 10.1.0.0/16 on dev-web-db"]
    assert ("tcp", 6432, 6432, "IpRanges", "10.1.0.0/16") in deployed.rules_of("dev-web-db")
    assert [c[0] for c in deployed.mutating()] == ["authorize_ingress", "authorize_ingress"]


def test_another_create_error_still_fails(monkeypatch):
    aws = FakeEC2()
    aws.fail_on["create_security_group"] = aws_error("SecurityGroupLimitExceeded", "too many groups")
    result = fails(monkeypatch, aws, chain())
    assert result["msg"].startswith("Could not create security group dev-web-alb in")
    assert "SecurityGroupLimitExceeded: too many groups" in result["msg"]
