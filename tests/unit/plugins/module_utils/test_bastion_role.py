# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the bastion role's logic: the input checks and the outputs."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import bastion_role as role

ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICUVcMHnMX8/qybDYyQw3dzs36RQDMy+uGoHNzfRBe+H me@laptop"
DEFAULTS = {
    "bastion_state": "present",
    "bastion_region": "us-east-1",
    "bastion_name": "dev-shop-bastion",
    "bastion_vpc_name": "dev-shop",
    "bastion_subnet_tier": "backend",
    "bastion_public_ip": False,
    "bastion_security_group": "dev-shop-bastion",
    "bastion_instance_type": "t2.micro",
    "bastion_image_id": "",
    "bastion_volume_size": 8,
    "bastion_volume_type": "gp3",
    "bastion_kms_key_id": "",
    "bastion_public_key": "",
    "bastion_instance_role": "dev-shop-bastion",
    "bastion_tags": {},
    "bastion_outputs": {},
}


def errors(**changes):
    return role.errors(dict(DEFAULTS, **{f"bastion_{k}": v for k, v in changes.items()}))


def test_the_defaults_are_fine():
    assert role.errors(DEFAULTS) == []


@pytest.mark.parametrize(
    "changes",
    [
        dict(public_key=ED25519),
        dict(public_key=" " + ED25519.rsplit(" ", 1)[0] + "\n"),
        dict(public_key="ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ=="),
        dict(public_key="ecdsa-sha2-nistp384 AAAAE2VjZHNh a comment with spaces"),
        dict(image_id="ami-0123abcd"),
        dict(image_id="ami-0123456789abcdef0"),
        dict(volume_size=16384),
        dict(volume_size="100"),
        dict(instance_type="m7g-flex.large"),
        dict(instance_role="bastion+role=,.@_-x"),
        dict(name="a" * 128),
    ],
)
def test_accepted(changes):
    assert errors(**changes) == []


@pytest.mark.parametrize(
    "changes, message",
    [
        (dict(name="-bastion"), "bastion_name -bastion must be 1 to 128 letters, digits, dots, dashes or underscores"),
        (dict(name="a" * 129), "must be 1 to 128 letters"),
        (dict(name="my bastion"), "bastion_name my bastion must be"),
        (dict(instance_role="r" * 65), "is not an IAM role name (1 to 64 of letters, digits and +=,.@_-)"),
        (dict(instance_role="a/b"), "bastion_instance_role a/b is not an IAM role name"),
        (dict(instance_type="micro"), "bastion_instance_type micro is not an instance type like t2.micro"),
        (dict(instance_type="T2.micro"), "bastion_instance_type T2.micro is not"),
        (dict(image_id="ami-123"), "bastion_image_id ami-123 is not an AMI id (ami- and 8 or 17 hex digits); empty = latest Amazon Linux 2023"),
        (dict(image_id="ami-0123456789ABCDEF0"), "is not an AMI id"),
        (dict(volume_size=7), "bastion_volume_size must be an integer from 8 to 16384 (GiB), got 7"),
        (dict(volume_size=16385), "got 16385"),
        (dict(volume_size="big"), "got big"),
        (dict(volume_size=True), "got True"),
        (dict(volume_size=8.5), "got 8.5"),
        (dict(public_key="AAAAC3NzaC1lZDI1NTE5AAAAI"), "bastion_public_key must be one OpenSSH public key line"),
        (dict(public_key="ssh-dss AAAAB3NzaC1kc3M="), "bastion_public_key must be one OpenSSH public key line"),
        (dict(public_key=ED25519 + "\n" + ED25519), "bastion_public_key must be one OpenSSH public key line"),
        (dict(public_key="-----BEGIN OPENSSH PRIVATE KEY-----"), "bastion_public_key must be"),
        (dict(subnet_tier=""), "bastion_subnet_tier, bastion_security_group and bastion_vpc_name must not be empty (without a "
                               "public IP the bastion runs in the first private subnet tier of atelier_subnet_tiers)"),
        (dict(vpc_name=None), "must not be empty"),
    ],
)
def test_refused(changes, message):
    found = errors(**changes)
    assert len(found) == 1, found
    assert message in found[0]


INSTANCE = {"instance_id": "i-0abc", "public_ip_address": "203.0.113.9", "private_ip_address": "10.0.1.12"}


@pytest.mark.parametrize(
    "instance, key_wanted, expected",
    [
        (INSTANCE, False, {"instance_id": "i-0abc", "public_ip": "203.0.113.9", "private_ip": "10.0.1.12", "key_name": "",
                           "ssm_command": "aws ssm start-session --target i-0abc --region eu-west-1"}),
        (INSTANCE, True, {"instance_id": "i-0abc", "public_ip": "203.0.113.9", "private_ip": "10.0.1.12",
                          "key_name": "dev-shop-bastion",
                          "ssm_command": "aws ssm start-session --target i-0abc --region eu-west-1",
                          "ssh_command": "ssh -i <private key> ec2-user@203.0.113.9"}),
        ({}, "True", {"instance_id": "", "public_ip": "", "private_ip": "", "key_name": "dev-shop-bastion",
                      "ssm_command": "aws ssm start-session --target <instance-id> --region eu-west-1",
                      "ssh_command": "ssh -i <private key> ec2-user@<public-ip>"}),
        (None, "False", {"instance_id": "", "public_ip": "", "private_ip": "", "key_name": "",
                         "ssm_command": "aws ssm start-session --target <instance-id> --region eu-west-1"}),
    ],
    ids=["no-key", "key", "check-mode-with-key", "check-mode"],
)
def test_outputs(instance, key_wanted, expected):
    assert role.outputs(instance, "dev-shop-bastion", "eu-west-1", key_wanted) == expected


SUBNET_TIERS = [
    {"name": "public", "type": "public"},
    {"name": "frontend", "type": "private"},
    {"name": "backend", "type": "private"},
    {"name": "database", "type": "isolated"},
]


@pytest.mark.parametrize(
    "subnet_tiers, public_ip, expected",
    [
        (SUBNET_TIERS, False, "frontend"),
        (SUBNET_TIERS, "false", "frontend"),
        (SUBNET_TIERS, True, "public"),
        (SUBNET_TIERS, "True", "public"),
        ([{"name": "edge", "type": "public"}, {"name": "app", "type": "private"}], True, "edge"),
        ([{"name": "edge", "type": "public"}, {"name": "db", "type": "isolated"}], False, ""),
        ([], True, "public"),
        (None, False, ""),
    ],
)
def test_subnet_tier(subnet_tiers, public_ip, expected):
    assert role.subnet_tier(subnet_tiers, public_ip) == expected


@pytest.mark.parametrize(
    "changes",
    [
        dict(public_ip=False, subnet_tier="backend"),
        dict(public_ip=True, subnet_tier="public", public_key=ED25519),
        # A tier the VPC does not list is the lookup's to report (no subnets found).
        dict(public_ip=False, subnet_tier="elsewhere"),
    ],
)
def test_network_accepted(changes):
    assert role.errors(dict(DEFAULTS, **{f"bastion_{k}": v for k, v in changes.items()}), SUBNET_TIERS) == []


@pytest.mark.parametrize(
    "changes, message",
    [
        (dict(public_ip=True, subnet_tier="backend"),
         "bastion_public_ip needs a public subnet tier (a route to the internet gateway), but bastion_subnet_tier backend is private"),
        (dict(public_ip=False, subnet_tier="public"),
         "bastion_subnet_tier public is public: without a public IP (bastion_public_ip false, no bastion_public_key) the bastion "
         "needs a private subnet tier, whose NAT gateway carries the SSM agent's traffic to Session Manager"),
        (dict(public_ip="false", subnet_tier="database"), "bastion_subnet_tier database is isolated"),
    ],
)
def test_network_refused(changes, message):
    found = role.errors(dict(DEFAULTS, **{f"bastion_{k}": v for k, v in changes.items()}), SUBNET_TIERS)
    assert found == [message] or (len(found) == 1 and message in found[0]), found


def test_network_not_checked_without_the_subnet_tiers():
    assert role.errors(dict(DEFAULTS, bastion_public_ip=True)) == []
