# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The bastion role's logic: the checks its argument spec cannot make, and what it publishes.

``errors`` takes the role's inputs as one dict (``bastion_*`` variable name to value; other keys are ignored) and
returns one message per problem, each naming the variable. Types and choices (the state, the volume type) are the
argument spec's; whether the instance type exists in the region, the volume covers the AMI's snapshot or the KMS key
is usable is for AWS to say. ``subnet_tier`` picks the subnet tier the bastion runs in from the VPC's subnet tiers:
a public one with a public IP (SSH), a private one (egress through the NAT gateway to Session Manager) without.

Pure Python, no boto3 import: exposed by plugins/filter/bastion.py.
"""

import re

from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import INSTANCE_TYPE

P = "bastion_"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
IAM_ROLE_NAME = re.compile(r"^[A-Za-z0-9+=,.@_-]{1,64}$")
AMI_ID = re.compile(r"^ami-[0-9a-f]{8}([0-9a-f]{9})?$")
# One OpenSSH public key line: type, base64 blob, optional comment.
PUBLIC_KEY = re.compile(r"^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) AAAA[A-Za-z0-9+/]+={0,3}( [^\n\r]*)?$")
MIN_VOLUME = 8
MAX_VOLUME = 16384


def _flag(value):
    """Ansible's truthiness of a boolean input (true/false, yes/no, 1/0 given as strings too)."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "on", "1", "y", "t")
    return bool(value)


def subnet_tier(subnet_tiers, public_ip):
    """The subnet tier the bastion runs in: with a public IP the first ``public`` tier of subnet_tiers (the VPC's
    tiers, a list of {name, type}), else the first ``private`` one, whose route out goes through a NAT gateway (the
    SSM agent must reach the ssm, ssmmessages and ec2messages endpoints). ``public`` / ``""`` when the VPC has no such
    tier (the checks then say so)."""
    wanted = "public" if _flag(public_ip) else "private"
    for tier in subnet_tiers or []:
        if isinstance(tier, dict) and tier.get("type") == wanted and tier.get("name"):
            return tier["name"]
    return "public" if wanted == "public" else ""


def _network_errors(inputs, subnet_tiers):
    """The public IP against the type of the subnet tier (when the VPC's subnet tiers are known)."""
    public_ip = _flag(inputs.get(P + "public_ip", False))
    tier = inputs.get(P + "subnet_tier")
    types = {t.get("name"): t.get("type") for t in subnet_tiers or [] if isinstance(t, dict)}
    if not tier or tier not in types:
        return []
    if public_ip and types[tier] != "public":
        return [f"{P}public_ip needs a public subnet tier (a route to the internet gateway), but {P}subnet_tier {tier} "
                f"is {types[tier]}"]
    if not public_ip and types[tier] != "private":
        return [f"{P}subnet_tier {tier} is {types[tier]}: without a public IP ({P}public_ip false, no "
                f"{P}public_key) the bastion needs a private subnet tier, whose NAT gateway carries the SSM agent's "
                "traffic to Session Manager"]
    return []


def errors(inputs, subnet_tiers=None):
    """What is wrong with the bastion role's inputs that its argument spec cannot see; empty when all is well.
    With subnet_tiers (the VPC's tiers, a list of {name, type}) the public IP is checked against the subnet tier's
    type."""
    inputs = dict(inputs or {})
    errs = []
    name = inputs.get(P + "name", "")
    if not NAME.match(str(name)):
        errs.append(f"{P}name {name} must be 1 to 128 letters, digits, dots, dashes or underscores")
    role = inputs.get(P + "instance_role", "")
    if not IAM_ROLE_NAME.match(str(role)):
        errs.append(f"{P}instance_role {role} is not an IAM role name (1 to 64 of letters, digits and +=,.@_-)")
    instance_type = inputs.get(P + "instance_type", "")
    if not INSTANCE_TYPE.match(str(instance_type)):
        errs.append(f"{P}instance_type {instance_type} is not an instance type like t2.micro")
    image = inputs.get(P + "image_id") or ""
    if image and not AMI_ID.match(str(image)):
        errs.append(f"{P}image_id {image} is not an AMI id (ami- and 8 or 17 hex digits); empty = latest Amazon Linux 2023")
    size = inputs.get(P + "volume_size")
    if not re.fullmatch(r"[0-9]+", str(size).strip()) or isinstance(size, bool) or not MIN_VOLUME <= int(size) <= MAX_VOLUME:
        errs.append(f"{P}volume_size must be an integer from {MIN_VOLUME} to {MAX_VOLUME} (GiB), got {size}")
    key = inputs.get(P + "public_key") or ""
    if key and not PUBLIC_KEY.match(str(key).strip()):
        errs.append(
            f"{P}public_key must be one OpenSSH public key line (ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521, "
            "then the base64 key, then an optional comment)"
        )
    if not all(inputs.get(P + what) for what in ("subnet_tier", "security_group", "vpc_name")):
        errs.append(f"{P}subnet_tier, {P}security_group and {P}vpc_name must not be empty (without a public IP the "
                    "bastion runs in the first private subnet tier of atelier_subnet_tiers)")
    errs += _network_errors(inputs, subnet_tiers)
    return errs


def outputs(instance, name, region, key_wanted):
    """bastion_outputs from the instance ec2_instance returned (a dict, or empty in check mode before the launch):
    its id and addresses, the key pair's name (when a key was given) and the commands to reach it."""
    instance = instance or {}
    if isinstance(key_wanted, str):
        key_wanted = key_wanted.strip().lower() in ("true", "yes", "1")
    instance_id = instance.get("instance_id") or ""
    out = {
        "instance_id": instance_id,
        "public_ip": instance.get("public_ip_address") or "",
        "private_ip": instance.get("private_ip_address") or "",
        "key_name": name if key_wanted else "",
        "ssm_command": f"aws ssm start-session --target {instance_id or '<instance-id>'} --region {region}",
    }
    if key_wanted:
        out["ssh_command"] = f"ssh -i <private key> ec2-user@{instance.get('public_ip_address') or '<public-ip>'}"
    return out
