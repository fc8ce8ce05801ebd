# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Application-tier filters: one tier described once as data, read the same way by every role.

``tier_settings`` fills in the defaults of a tier description, ``tier_errors`` lists what is wrong with one
(or with a whole list of tiers) and ``tier_runtime`` resolves what an instance needs at boot (image URI, registry,
secret ARNs), so the alb and asg_launch_template roles agree on what a tier means and refuse bad input before any
AWS call. ``tier_overrides`` applies an operator's few run-time changes (counts, instance type, image tag) to the tiers, and
``tier_repositories`` names the account's ECR repositories the tiers' images live in (the container_registry role).
Documentation: tier_settings.yml, tier_errors.yml, tier_runtime.yml, tier_overrides.yml and tier_repositories.yml
beside this file.
"""

from collections.abc import Mapping
from collections.abc import Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import tier_spec
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_config import option_errors as distribution_option_errors
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import IMAGE_TAG
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import OVERRIDABLE
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import SECRET_ARN
from ansible_collections.atelier.infra.plugins.module_utils.stack import repository_name

_plain = tier_spec.plain


def tier_settings(tier):
    """The tier with every default filled in (nested health_check, scaling and distribution merged key by key)."""
    if not isinstance(tier, Mapping):
        raise AnsibleFilterError(f"tier_settings: a tier is a dict, got {type(tier).__name__}")
    return tier_spec.settings(tier)


def tier_distribution(tier, name, origin_domain="", origin_https=None):
    """The atelier.infra.cloudfront_distribution options of the tier's distribution, origin headers aside."""
    return tier_spec.distribution_options(tier, name, origin_domain, origin_https)


def tier_errors(tiers, subnet_tiers=None, stack=None):
    """What the tier specification's argument spec cannot check about one tier (a dict) or a list of tiers (ranges,
    patterns, rules across keys and tiers); empty when all is well. With subnet_tiers (the VPC's tiers, a list of
    {name, type}) the tiers' subnets are checked against them; with stack ({prefix, resources}: what the stack
    creates, see the filter stack_resources), the tiers' grants and secrets."""
    if not isinstance(tiers, (Mapping, Sequence)) or isinstance(tiers, str):
        raise AnsibleFilterError(f"tier_errors: expected a tier or a list of tiers, got {type(tiers).__name__}")
    return tier_spec.tier_errors(_plain(tiers), _plain(subnet_tiers) if subnet_tiers is not None else None,
                                 distribution_option_errors, _plain(stack) if stack else None)


def tier_argument_spec(which="tiers"):
    """The argument spec of the tiers (``tiers``: a list of tiers, ``tier``: one tier) for
    ansible.builtin.validate_argument_spec, generated from the tier specification."""
    options = tier_spec.argument_spec()
    if which == "tier":
        return {"type": "dict", "options": options}
    if which == "tiers":
        return {"type": "list", "elements": "dict", "options": options}
    raise AnsibleFilterError(f"tier_argument_spec: expected tier or tiers, got {which!r}")


def _split_secret(ref):
    """(secret id, json key or '') from name, name:key, ARN or ARN:key."""
    if SECRET_ARN.match(ref):
        parts = ref.split(":")
        return ":".join(parts[:7]), (parts[7] if len(parts) > 7 else "")
    name, _sep, key = ref.partition(":")
    return name, key


def _has_registry(image):
    """Whether the image reference starts with a registry host (a first component with . or :, or localhost)."""
    first = image.split("/", 1)[0]
    return "/" in image and ("." in first or ":" in first or first == "localhost")


def _repository(image):
    """The repository of an image reference without a registry host: tag and digest removed."""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name = name[: len(name) - len(last)] + last.split(":", 1)[0]
    return name


def tier_repositories(tiers, namespace=""):
    """The ECR repository names of the tiers' images: those without a registry host, tag and digest removed, under
    namespace/ when given (the stack's name prefix: plugins/module_utils/stack.py repository_name).

    Sorted and without duplicates; tiers without an image, or whose image names another registry, add nothing.
    """
    if not isinstance(tiers, Sequence) or isinstance(tiers, (str, bytes)):
        raise AnsibleFilterError(f"tier_repositories: the tiers must be a list, got {type(tiers).__name__}")
    names = set()
    for tier in tiers:
        if not isinstance(tier, Mapping):
            raise AnsibleFilterError(f"tier_repositories: a tier is a dict, got {type(tier).__name__}")
        image = tier.get("image") or ""
        if not isinstance(image, str) or not image or _has_registry(image):
            continue
        name = _repository(image)
        names.add(repository_name(namespace, name) if namespace else name)
    return sorted(names)


def tier_runtime(tier, account_id, region, partition="aws", registry="", namespace=""):
    """What the tier's application needs to start: the image URI, the ECR registry to log in to, and its secrets.

    An image without a registry host is a repository of the account's ECR registry in the region (or of
    registry when given), under namespace/ when given (the stack's name prefix). Secrets are returned with the exact
    IAM resource each needs: a secret named without an ARN is matched by name plus AWS's six-character suffix
    (``-??????``), never ``*``.
    """
    t = tier_settings(tier)
    image = t["image"]
    if image and not _has_registry(image):
        host = registry or f"{account_id}.dkr.ecr.{region}.amazonaws.com"
        image = f"{host}/{repository_name(namespace, image) if namespace else image}"
    host = image.split("/", 1)[0] if image else ""
    secrets = []
    for env_name, ref in sorted((t["secrets"] or {}).items()):
        secret_id, key = _split_secret(ref)
        if secret_id.startswith("arn:"):
            arn = secret_id
        else:
            arn = f"arn:{partition}:secretsmanager:{region}:{account_id}:secret:{secret_id}-??????"
        secrets.append({"env": env_name, "secret_id": secret_id, "json_key": key, "arn": arn})
    return {
        "image": image,
        "registry": host,
        "ecr_login": ".dkr.ecr." in host,
        "secrets": secrets,
        "secret_arns": sorted({s["arn"] for s in secrets}),
    }


def _with_tag(image, tag):
    """The image reference with its tag replaced by (or set to) tag; a digest (@sha256:...) is dropped."""
    return f"{_repository(image)}:{tag}"


def tier_overrides(tiers, overrides=None):
    """The tiers with an operator's run-time overrides applied (``{tier name: {key: value}}``).

    Only the keys in OVERRIDABLE may be overridden. A value of None or "" is ignored (an unanswered survey
    question), a string of digits for a count becomes an int, and ``image_tag`` replaces the tag of the tier's
    image. Everything else is left to tier_errors, which runs on the result.
    """
    if overrides in (None, ""):
        overrides = {}
    if not isinstance(tiers, Sequence) or isinstance(tiers, (str, bytes)):
        raise AnsibleFilterError(f"tier_overrides: the tiers must be a list, got {type(tiers).__name__}")
    if not isinstance(overrides, Mapping):
        raise AnsibleFilterError(f"atelier_tier_overrides must be a dictionary of tier name to settings, got {type(overrides).__name__}")
    names = [t.get("name") for t in tiers if isinstance(t, Mapping)]
    errors = []
    for name in sorted(overrides, key=str):
        keys = overrides[name]
        if name not in names:
            errors.append(f"atelier_tier_overrides: no tier is named {name!r} (tiers: {', '.join(map(str, names))})")
        elif keys is not None and not isinstance(keys, Mapping):
            errors.append(f"atelier_tier_overrides.{name} must be a dictionary, got {type(keys).__name__}")
        else:
            unknown = sorted(set(keys or {}) - set(OVERRIDABLE), key=str)
            if unknown:
                errors.append(f"atelier_tier_overrides.{name}: {', '.join(map(str, unknown))} cannot be overridden "
                              f"(allowed: {', '.join(OVERRIDABLE)})")
            tag = (keys or {}).get("image_tag")
            if tag not in (None, "") and not (isinstance(tag, str) and IMAGE_TAG.match(tag)):
                errors.append(f"atelier_tier_overrides.{name}.image_tag {tag!r} is not an image tag "
                              "(letters, digits, _ . -, at most 128, not starting with . or -)")
    if errors:
        raise AnsibleFilterError("; ".join(errors))
    result = []
    for tier in tiers:
        tier = _plain(tier)
        changes = overrides.get(tier.get("name")) if isinstance(tier, Mapping) else None
        for key, value in (changes or {}).items():
            if value is None or value == "":
                continue
            if key in ("min_size", "desired_capacity", "max_size") and isinstance(value, str) and value.strip().isdigit():
                value = int(value)
            if key == "image_tag":
                if not tier.get("image"):
                    raise AnsibleFilterError(f"atelier_tier_overrides.{tier['name']}.image_tag: the tier has no image to tag")
                tier["image"] = _with_tag(tier["image"], value)
            else:
                tier[key] = value
        result.append(tier)
    return result


class FilterModule:
    """Application-tier filters."""

    def filters(self):
        return {
            "tier_settings": tier_settings,
            "tier_errors": tier_errors,
            "tier_runtime": tier_runtime,
            "tier_distribution": tier_distribution,
            "tier_overrides": tier_overrides,
            "tier_repositories": tier_repositories,
            "tier_argument_spec": tier_argument_spec,
        }
