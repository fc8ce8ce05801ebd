# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The bastion role's logic: the checks its argument spec cannot make, and what it publishes.

``errors`` takes the role's inputs as one dict (``bastion_*`` variable name to value; other keys are ignored) and
returns one message per problem, each naming the variable. Types and choices (the state, the volume type) are the
argument spec's; whether the instance type exists in the region, the volume covers the AMI's snapshot or the KMS key
is usable is for AWS to say.

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


def errors(inputs):
    """What is wrong with the bastion role's inputs that its argument spec cannot see; empty when all is well."""
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
        errs.append(f"{P}subnet_tier, {P}security_group and {P}vpc_name must not be empty")
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
