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

import re
from collections.abc import Mapping
from collections.abc import Sequence

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_config import option_errors as distribution_option_errors

AL2023_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"

# Every key a tier may have, with its default (None: required, or derived from other keys).
DEFAULTS = {
    "name": None,
    "app_port": None,
    "subnets": None,  # subnet tier of the instances; default: the tier's name
    "alb_scheme": "internet-facing",
    "alb_subnets": None,  # default: public for an internet-facing ALB, else the instances' subnets
    "alb_ports": [80, 443],
    "clients": [],
    "cloudfront": False,
    "certificate_arn": "",
    "health_check": {
        "path": "/",
        "interval": 30,
        "timeout": 5,
        "healthy_threshold": 2,
        "unhealthy_threshold": 3,
        "matcher": "200-399",
    },
    "deregistration_delay": 30,
    "stickiness_seconds": 0,
    "image": "",
    "environment": {},
    "secrets": {},
    "container_imds": False,
    "instance_type": "t3.micro",
    "ami_id": "",
    "ami_ssm_parameter": AL2023_PARAMETER,
    "root_volume_size": 20,
    "root_device_name": "/dev/xvda",
    "min_size": 2,
    "desired_capacity": 2,
    "max_size": 4,
    "health_check_type": "ELB",
    "health_check_grace_period": 300,
    "scaling": {
        "policy": "target_tracking",
        "cpu_target": 70,
        "scale_out_cpu": 70,
        "scale_in_cpu": 30,
        "cooldown": 300,
    },
    # The tier's CloudFront distribution, when cloudfront is true (the cloudfront role).
    "distribution": {
        "price_class": "PriceClass_100",
        "aliases": [],
        "certificate_arn": "",
        "minimum_protocol_version": "TLSv1.2_2021",
        "web_acl_id": "",
        "logging_bucket": "",
        "logging_prefix": "",
        "default_behavior": {},
        "behaviors": [],
    },
}

# Every key of a distribution behaviour, with its default (path_pattern only in behaviors, required there).
BEHAVIOR_DEFAULTS = {
    "path_pattern": None,
    "viewer_protocol_policy": "redirect-to-https",
    "allowed_methods": ["GET", "HEAD", "OPTIONS"],
    "cached_methods": ["GET", "HEAD"],
    "compress": True,
    "cache_policy": "Managed-CachingOptimized",
    "origin_request_policy": "",
}

NAME = re.compile(r"^[a-z][a-z0-9-]{0,19}$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# A secret name (letters, digits and /_+=.@-), optionally followed by :<json key>; or a whole secret ARN.
SECRET_ARN = re.compile(r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:")
SECRET_REF = re.compile(r"^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[A-Za-z0-9/_+=.@-]+(:[A-Za-z0-9_.-]+)?$")
CERTIFICATE_ARN = re.compile(
    r"^arn:aws[a-z-]*:(acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]{36}|iam::\d{12}:server-certificate/[\w+=,.@/-]+)$"
)
MATCHER = re.compile(r"^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$")
INSTANCE_TYPE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9-]+$")
AMI_ID = re.compile(r"^ami-[0-9a-f]{8,17}$")
IMAGE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/:@-]*$")
SCALING_POLICIES = ("target_tracking", "step", "none")
# The keys an operator may override per run (atelier_tier_overrides, e.g. from an AWX survey).
OVERRIDABLE = ("instance_type", "min_size", "desired_capacity", "max_size", "image", "image_tag")
IMAGE_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")


def _plain(value):
    """A copy of value made of plain dicts and lists.

    Not copy.deepcopy: on ansible-core 2.19 the filter's input is a lazy-templating container whose deep copy
    copies the templar and its variables with it; one tier_errors call took seconds (a whole site.yml minutes).
    """
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        return [_plain(item) for item in value]
    return value


def _merge(defaults, value):
    merged = _plain(defaults)
    for key, item in value.items():
        if isinstance(merged.get(key), Mapping) and isinstance(item, Mapping):
            merged[key] = _merge(merged[key], item)
        else:
            merged[key] = _plain(item)
    return merged


def tier_settings(tier):
    """The tier with every default filled in (nested health_check and scaling merged key by key)."""
    if not isinstance(tier, Mapping):
        raise AnsibleFilterError(f"tier_settings: a tier is a dict, got {type(tier).__name__}")
    settings = _merge(DEFAULTS, tier)
    if not settings.get("subnets"):
        settings["subnets"] = settings.get("name")
    if not settings.get("alb_subnets"):
        settings["alb_subnets"] = "public" if settings["alb_scheme"] == "internet-facing" else settings["subnets"]
    distribution = settings["distribution"]
    if isinstance(distribution, Mapping):
        default_behavior = distribution.get("default_behavior")
        if isinstance(default_behavior, Mapping):
            defaults = {k: v for k, v in BEHAVIOR_DEFAULTS.items() if k != "path_pattern"}
            distribution["default_behavior"] = _merge(defaults, default_behavior)
        behaviors = distribution.get("behaviors")
        if isinstance(behaviors, list):
            distribution["behaviors"] = [_merge(BEHAVIOR_DEFAULTS, b) if isinstance(b, Mapping) else b for b in behaviors]
    return settings


def _bucket_domain(bucket):
    bucket = str(bucket)
    return bucket if bucket.endswith(".s3.amazonaws.com") else f"{bucket}.s3.amazonaws.com"


def tier_distribution(tier, name, origin_domain="", origin_https=None):
    """The atelier.infra.cloudfront_distribution options of the tier's distribution, origin headers aside.

    One origin, ``alb``: origin_domain (the tier's ALB), over HTTPS when the tier's ALB has a certificate
    (origin_https overrides), else HTTP. Every behaviour forwards to it.
    """
    t = tier_settings(tier)
    d = t["distribution"]
    https = bool(t["certificate_arn"]) if origin_https is None else bool(origin_https)

    def behavior(b):
        result = {
            "origin_id": "alb",
            "viewer_protocol_policy": b["viewer_protocol_policy"],
            "allowed_methods": list(b["allowed_methods"]),
            "cached_methods": list(b["cached_methods"]),
            "compress": b["compress"],
            "cache_policy": b["cache_policy"],
            "origin_request_policy": b["origin_request_policy"] or None,
            "response_headers_policy_id": None,
        }
        if "path_pattern" in b:
            result["path_pattern"] = b["path_pattern"]
        return result

    return {
        "name": name,
        "origins": [
            {
                "id": "alb",
                "domain_name": origin_domain,
                "protocol_policy": "https-only" if https else "http-only",
            }
        ],
        "default_behavior": behavior(d["default_behavior"]),
        "behaviors": [behavior(b) for b in d["behaviors"]],
        "aliases": list(d["aliases"]),
        "certificate_arn": d["certificate_arn"] or None,
        "minimum_protocol_version": d["minimum_protocol_version"],
        "price_class": d["price_class"],
        "web_acl_id": d["web_acl_id"] or None,
        "logging": {"bucket": _bucket_domain(d["logging_bucket"]), "prefix": d["logging_prefix"], "include_cookies": False}
        if d["logging_bucket"]
        else None,
    }


def _distribution_errors(errors, where, tier, t):
    d = t["distribution"]
    if not isinstance(d, Mapping):
        errors.append(f"{where}: distribution must be a dict, got {d!r}")
        return
    _check_keys(errors, f"{where}: distribution", d, DEFAULTS["distribution"])
    shapes_ok = isinstance(d.get("default_behavior"), Mapping) and isinstance(d.get("behaviors"), list)
    if not shapes_ok:
        errors.append(f"{where}: distribution.default_behavior must be a dict and distribution.behaviors a list")
        return
    # The behaviours as the tier gives them (tier_settings fills path_pattern with None).
    given = (tier.get("distribution") or {}).get("behaviors") or []
    behaviors = [("distribution.default_behavior", d["default_behavior"], False)]
    behaviors += [(f"distribution.behaviors[{i}]", b, True) for i, b in enumerate(given)]
    for what, b, with_path in behaviors:
        if not isinstance(b, Mapping):
            errors.append(f"{where}: {what} must be a dict, got {b!r}")
            return
        known = BEHAVIOR_DEFAULTS if with_path else {k: v for k, v in BEHAVIOR_DEFAULTS.items() if k != "path_pattern"}
        _check_keys(errors, f"{where}: {what}", b, known)
        if with_path and "path_pattern" not in b:
            errors.append(f"{where}: {what}: path_pattern is required")
            return
        if b.get("viewer_protocol_policy", "redirect-to-https") not in ("allow-all", "https-only", "redirect-to-https"):
            errors.append(f"{where}: {what}: viewer_protocol_policy must be allow-all, https-only or redirect-to-https")
    if d["price_class"] not in ("PriceClass_100", "PriceClass_200", "PriceClass_All"):
        errors.append(f"{where}: distribution.price_class must be PriceClass_100, PriceClass_200 or PriceClass_All")
    if not isinstance(d["aliases"], list) or not all(isinstance(a, str) for a in d["aliases"]):
        errors.append(f"{where}: distribution.aliases must be a list of domain names")
        return
    options = tier_distribution(tier, "check", "origin.example")
    for message in distribution_option_errors(options):
        errors.append(f"{where}: distribution: {message}")


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _int_between(errors, what, value, low, high):
    if not _is_int(value) or not low <= value <= high:
        errors.append(f"{what} must be an integer between {low} and {high}, got {value!r}")
        return False
    return True


def _check_keys(errors, where, value, known):
    for key in sorted(set(value) - set(known)):
        errors.append(f"{where}: unknown key {key!r} (known: {', '.join(sorted(known))})")


def _subnet_errors(errors, where, t, subnet_tiers):
    names_ok = True
    for key in ("subnets", "alb_subnets"):
        if t[key] is not None and not isinstance(t[key], str):  # None: the tier has no name, reported already
            errors.append(f"{where}: {key} must be the name of a subnet tier, got {t[key]!r}")
            names_ok = False
    if subnet_tiers is None or not names_ok:
        return
    types = {s.get("name"): s.get("type") for s in subnet_tiers if isinstance(s, Mapping)}
    known = ", ".join(types)
    if t["subnets"] not in types:
        errors.append(f"{where}: subnets {t['subnets']!r} is not a subnet tier of the VPC ({known})")
    elif types[t["subnets"]] == "public":
        errors.append(f"{where}: subnets {t['subnets']!r} is public; instances run in private subnets without public IPs")
    if t["alb_subnets"] not in types:
        errors.append(f"{where}: alb_subnets {t['alb_subnets']!r} is not a subnet tier of the VPC ({known})")
    elif t["alb_scheme"] == "internet-facing" and types[t["alb_subnets"]] != "public":
        errors.append(f"{where}: an internet-facing ALB needs public subnets, {t['alb_subnets']!r} is {types[t['alb_subnets']]}")


def _health_check_errors(errors, where, check):
    if not isinstance(check, Mapping):
        errors.append(f"{where}: health_check must be a dict, got {check!r}")
        return
    _check_keys(errors, f"{where} health_check", check, DEFAULTS["health_check"])
    path = check.get("path")
    if not isinstance(path, str) or not path.startswith("/") or len(path) > 1024:
        errors.append(f"{where}: health_check path must start with / (for example /health), got {path!r}")
    interval_ok = _int_between(errors, f"{where}: health_check interval", check.get("interval"), 5, 300)
    if _int_between(errors, f"{where}: health_check timeout", check.get("timeout"), 2, 120) and interval_ok:
        if check["timeout"] >= check["interval"]:
            errors.append(f"{where}: health_check timeout ({check['timeout']}) must be less than its interval ({check['interval']})")
    _int_between(errors, f"{where}: health_check healthy_threshold", check.get("healthy_threshold"), 2, 10)
    _int_between(errors, f"{where}: health_check unhealthy_threshold", check.get("unhealthy_threshold"), 2, 10)
    matcher = str(check.get("matcher", ""))
    codes = [int(c) for c in re.findall(r"\d{3}", matcher)]
    if not MATCHER.match(matcher) or any(c < 200 or c > 499 for c in codes):
        errors.append(f"{where}: health_check matcher must be HTTP codes 200-499 such as 200 or 200-399 or 200,302, got {matcher!r}")


def _scaling_errors(errors, where, t):
    scaling = t["scaling"]
    if not isinstance(scaling, Mapping):
        errors.append(f"{where}: scaling must be a dict, got {scaling!r}")
        return
    _check_keys(errors, f"{where} scaling", scaling, DEFAULTS["scaling"])
    if scaling.get("policy") not in SCALING_POLICIES:
        errors.append(f"{where}: scaling policy must be one of {', '.join(SCALING_POLICIES)}, got {scaling.get('policy')!r}")
    _int_between(errors, f"{where}: scaling cpu_target", scaling.get("cpu_target"), 1, 100)
    out_ok = _int_between(errors, f"{where}: scaling scale_out_cpu", scaling.get("scale_out_cpu"), 1, 100)
    in_ok = _int_between(errors, f"{where}: scaling scale_in_cpu", scaling.get("scale_in_cpu"), 0, 99)
    if out_ok and in_ok and scaling["scale_in_cpu"] >= scaling["scale_out_cpu"]:
        errors.append(
            f"{where}: scaling scale_in_cpu ({scaling['scale_in_cpu']}) must be below scale_out_cpu ({scaling['scale_out_cpu']})"
        )
    _int_between(errors, f"{where}: scaling cooldown", scaling.get("cooldown"), 0, 86400)


def _capacity_errors(errors, where, t):
    sizes = [
        _int_between(errors, f"{where}: min_size", t["min_size"], 0, 10000),
        _int_between(errors, f"{where}: desired_capacity", t["desired_capacity"], 0, 10000),
        _int_between(errors, f"{where}: max_size", t["max_size"], 1, 10000),
    ]
    if all(sizes) and not t["min_size"] <= t["desired_capacity"] <= t["max_size"]:
        errors.append(
            f"{where}: capacity must satisfy min_size <= desired_capacity <= max_size, "
            f"got {t['min_size']} <= {t['desired_capacity']} <= {t['max_size']}"
        )


def _container_errors(errors, where, t):
    image = t["image"]
    if image and (not isinstance(image, str) or not IMAGE.match(image)):
        errors.append(f"{where}: image {image!r} is not a container image reference (repository[:tag] or a registry URI)")
    for what in ("environment", "secrets"):
        values = t[what]
        if not isinstance(values, Mapping):
            errors.append(f"{where}: {what} must be a dict of variable name to value, got {values!r}")
            continue
        for key, value in values.items():
            if not ENV_NAME.match(str(key)):
                errors.append(f"{where}: {what} variable name {key!r} is not a valid environment variable name")
            if what == "secrets" and (not isinstance(value, str) or not SECRET_REF.match(value)):
                errors.append(
                    f"{where}: secret {key} must name a Secrets Manager secret (name, name:json_key or ARN), got {value!r}"
                )
            if what == "environment" and isinstance(value, (Mapping, list)):
                errors.append(f"{where}: environment variable {key} must be a string or number, got {value!r}")
    overlap = []
    if isinstance(t["environment"], Mapping) and isinstance(t["secrets"], Mapping):
        overlap = sorted(set(t["environment"]) & set(t["secrets"]))
    if overlap:
        errors.append(f"{where}: {', '.join(overlap)} set both in environment and secrets")


def _one_tier_errors(tier, subnet_tiers):
    if not isinstance(tier, Mapping):
        return [f"a tier must be a dict, got {tier!r}"]
    name = tier.get("name")
    where = f"tier {name}"
    errors = []
    _check_keys(errors, where, tier, DEFAULTS)
    if not isinstance(name, str) or not NAME.match(name):
        errors.append(f"{where}: name must be lowercase letters, digits and hyphens, start with a letter, at most 20 characters")
    for required in ("name", "app_port"):
        if required not in tier:
            errors.append(f"{where}: {required} is required")
    t = tier_settings(tier)
    _int_between(errors, f"{where}: app_port", t["app_port"], 1, 65535)
    ports = t["alb_ports"] if isinstance(t["alb_ports"], list) else [t["alb_ports"]]
    for port in ports:
        _int_between(errors, f"{where}: alb_ports entry", port, 1, 65535)
    if t["alb_scheme"] not in ("internet-facing", "internal"):
        errors.append(f"{where}: alb_scheme must be internet-facing or internal, got {t['alb_scheme']!r}")
    if not isinstance(t["clients"], list) or not all(isinstance(c, str) for c in t["clients"]):
        errors.append(f"{where}: clients must be a list of tier names, got {t['clients']!r}")
    elif t["alb_scheme"] == "internal" and not t["clients"]:
        errors.append(f"{where}: an internal ALB needs clients (the tiers allowed to call it)")
    if t["cloudfront"] and t["alb_scheme"] == "internal":
        errors.append(f"{where}: CloudFront can only front an internet-facing ALB")
    if t["certificate_arn"] and not CERTIFICATE_ARN.match(str(t["certificate_arn"])):
        errors.append(
            f"{where}: certificate_arn {t['certificate_arn']!r} is not an ACM certificate ARN "
            "(arn:aws:acm:<region>:<account>:certificate/<uuid>)"
        )
    _subnet_errors(errors, where, t, subnet_tiers)
    _health_check_errors(errors, where, t["health_check"])
    _int_between(errors, f"{where}: deregistration_delay", t["deregistration_delay"], 0, 3600)
    if t["stickiness_seconds"] != 0:
        _int_between(errors, f"{where}: stickiness_seconds (0 = off)", t["stickiness_seconds"], 1, 604800)
    _container_errors(errors, where, t)
    if not isinstance(t["instance_type"], str) or not INSTANCE_TYPE.match(t["instance_type"]):
        errors.append(f"{where}: instance_type {t['instance_type']!r} is not an EC2 instance type such as t3.micro")
    if t["ami_id"] and not AMI_ID.match(str(t["ami_id"])):
        errors.append(f"{where}: ami_id {t['ami_id']!r} is not an AMI id (ami-0123456789abcdef0)")
    if not t["ami_id"] and not str(t["ami_ssm_parameter"]).startswith("/"):
        errors.append(f"{where}: ami_ssm_parameter must be an SSM parameter path starting with /, got {t['ami_ssm_parameter']!r}")
    _int_between(errors, f"{where}: root_volume_size (GiB)", t["root_volume_size"], 1, 16384)
    _capacity_errors(errors, where, t)
    if t["health_check_type"] not in ("EC2", "ELB"):
        errors.append(f"{where}: health_check_type must be EC2 or ELB, got {t['health_check_type']!r}")
    _int_between(errors, f"{where}: health_check_grace_period", t["health_check_grace_period"], 0, 7200)
    _scaling_errors(errors, where, t)
    if t["cloudfront"]:
        _distribution_errors(errors, where, tier, t)
    return errors


def tier_errors(tiers, subnet_tiers=None):
    """Every problem of one tier (a dict) or of a list of tiers, as messages; empty when all is well.

    With subnet_tiers (the VPC's tiers, a list of {name, type}) the tiers' subnets are checked against them.
    """
    if isinstance(tiers, Mapping):
        return _one_tier_errors(tiers, subnet_tiers)
    if not isinstance(tiers, Sequence) or isinstance(tiers, str):
        raise AnsibleFilterError(f"tier_errors: expected a tier or a list of tiers, got {type(tiers).__name__}")
    errors = []
    for tier in tiers:
        errors.extend(_one_tier_errors(tier, subnet_tiers))
    names = [t.get("name") for t in tiers if isinstance(t, Mapping)]
    for name in sorted({n for n in names if isinstance(n, str) and names.count(n) > 1}):
        errors.append(f"tier names must be unique: {name} is described {names.count(name)} times")
    for tier in tiers:
        if not isinstance(tier, Mapping):
            continue
        clients = tier.get("clients") or []
        for client in clients if isinstance(clients, list) else []:
            if client not in names or client == tier.get("name"):
                errors.append(f"tier {tier.get('name')}: client {client} is not another tier ({', '.join(map(str, names))})")
    return errors


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


def tier_repositories(tiers):
    """The ECR repository names of the tiers' images: those without a registry host, tag and digest removed.

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
        name = image.split("@", 1)[0]
        last = name.rsplit("/", 1)[-1]
        if ":" in last:
            name = name[: len(name) - len(last)] + last.split(":", 1)[0]
        names.add(name)
    return sorted(names)


def tier_runtime(tier, account_id, region, partition="aws", registry=""):
    """What an instance of the tier needs at boot: the image URI, the ECR registry to log in to, and its secrets.

    An image without a registry host is a repository of the account's ECR registry in the region (or of
    registry when given). Secrets are returned with the exact IAM resource each needs: a secret named without
    an ARN is matched by name plus AWS's six-character suffix (``-??????``), never ``*``.
    """
    t = tier_settings(tier)
    image = t["image"]
    if image and not _has_registry(image):
        host = registry or f"{account_id}.dkr.ecr.{region}.amazonaws.com"
        image = f"{host}/{image}"
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
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name = name[: len(name) - len(last)] + last.split(":", 1)[0]
    return f"{name}:{tag}"


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
        }
