# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The container_registry role's logic: its repositories as data, their checks, lifecycle policies and outputs.

The role's inputs come as one dict (``container_registry_*`` variable name to value; other keys are ignored):

* ``repositories`` turns ``container_registry_repositories`` (names, or dicts with a name and per-repository
  settings) into one dict per repository with the role-wide values filled in;
* ``errors`` lists what the argument spec cannot check (the entries of that raw list, names, ranges, the KMS key ARN
  and its region, the policy's shape, names outside the stack's namespace);
* ``tag_mutability`` chooses the role-wide tag mutability from the tiers' images (IMMUTABLE once every image of the
  stack's repositories is pinned to a tag other than ``latest`` or to a digest);
* ``lifecycle_policy`` writes a repository's lifecycle policy document, ``wrong_encryption`` reads the ecs_ecr
  results for repositories whose encryption differs from the asked one, ``outputs`` publishes the registry.

Pure Python, no boto3 import: exposed by plugins/filter/container_registry.py.
"""

import json
import re
from collections.abc import Mapping
from collections.abc import Sequence

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies

from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import as_int

P = "container_registry_"
# A repository entry's keys, each overriding the role-wide container_registry_<key>.
KEYS = ("name", "image_tag_mutability", "scan_on_push", "encryption", "kms_key_id", "lifecycle_keep", "untagged_days",
        "policy")
ROLE_WIDE = KEYS[1:]
DEFAULTS = {
    "image_tag_mutability": "MUTABLE",
    "scan_on_push": True,
    "encryption": "AES256",
    "kms_key_id": "",
    "lifecycle_keep": 10,
    "untagged_days": 7,
    "policy": {},
}
MUTABILITIES = ("MUTABLE", "IMMUTABLE")
ENCRYPTIONS = ("AES256", "KMS")
# ECR's repository name rule (2-256 characters): /-separated segments of lowercase letters and digits joined by . _ -.
NAME = re.compile(r"^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$")
KMS_KEY_ARN = re.compile(
    r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/"
    r"(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)
MAX_KEEP = 10000
MAX_UNTAGGED_DAYS = 3650


# A tag that names no release: every push moves it.
MOVING_TAGS = ("", "latest")


def _image_registry(image):
    """Whether the image reference starts with a registry host (a first component with . or :, or localhost)."""
    first = image.split("/", 1)[0]
    return "/" in image and ("." in first or ":" in first or first == "localhost")


def image_pinned(image):
    """Whether an image reference names one image for good: a digest (``@sha256:...``), or a tag other than
    ``latest`` (no tag means ``latest``)."""
    if "@" in image:
        return True
    last = image.rsplit("/", 1)[-1]
    tag = last.split(":", 1)[1] if ":" in last else ""
    return tag not in MOVING_TAGS


def tag_mutability(tiers):
    """The tag mutability the stack's repositories should have: IMMUTABLE when every tier image of the account's
    registry (an image without a registry host: the stack's repositories) is pinned (a digest, or a tag other than
    ``latest``), so a pushed tag always names the same image; MUTABLE when one of them runs ``latest`` (or no tag),
    which every release pushes again, or when the tiers have no such image."""
    images = []
    for tier in tiers or []:
        image = tier.get("image") if isinstance(tier, Mapping) else None
        if isinstance(image, str) and image and not _image_registry(image):
            images.append(image)
    return "IMMUTABLE" if images and all(image_pinned(image) for image in images) else "MUTABLE"


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _as_int(value):
    """Integers given as strings (extra vars on the command line) are integers; anything else stays as it is."""
    number = as_int(value)
    return value if number is None else number


def _as_bool(value):
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "on", "false", "no", "off"):
        return value.strip().lower() in ("true", "yes", "on")
    return value


def _entries(inputs):
    entries = inputs.get(P + "repositories")
    if isinstance(entries, (str, bytes)) or not isinstance(entries, Sequence):
        return []
    return list(entries)


def repositories(inputs):
    """Every repository of container_registry_repositories as a dict {name, image_tag_mutability, scan_on_push,
    encryption, kms_key_id, lifecycle_keep, untagged_days, policy}: an entry's own keys over the role-wide values.

    Entries that are neither a name nor a dict are left out (errors reports them); numbers and booleans given as
    strings are converted.
    """
    inputs = dict(inputs or {})
    role_wide = {key: inputs.get(P + key, DEFAULTS[key]) for key in ROLE_WIDE}
    out = []
    for entry in _entries(inputs):
        if isinstance(entry, str):
            entry = {"name": entry}
        elif not isinstance(entry, Mapping):
            continue
        repo = dict(role_wide)
        repo.update(entry)
        for key in ("lifecycle_keep", "untagged_days"):
            repo[key] = _as_int(repo[key])
        repo["scan_on_push"] = _as_bool(repo["scan_on_push"])
        if repo.get("kms_key_id") is None:
            repo["kms_key_id"] = ""
        out.append(repo)
    return out


def _encryption_error(where, repo, region):
    encryption, key = repo.get("encryption"), repo.get("kms_key_id")
    if encryption not in ENCRYPTIONS:
        return f"{where}encryption ({P}encryption) must be AES256 or KMS, got {encryption}"
    if encryption == "AES256" and key:
        return f"{where}kms_key_id ({P}kms_key_id) is set but the encryption is AES256; set encryption KMS"
    if encryption == "KMS" and not key:
        return (
            f"{where}encryption KMS needs kms_key_id ({P}kms_key_id), the key ARN (arn:aws:kms:<region>:<account>:key/<key id>)"
        )
    if key and not (isinstance(key, str) and KMS_KEY_ARN.match(key)):
        return (
            f"{where}kms_key_id ({P}kms_key_id) must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>; ECR "
            f"answers the ARN, so an alias or key id never converges), got {key}"
        )
    if key and key.split(":")[3] != region:
        return f"{where}kms_key_id ({P}kms_key_id) is a key of {key.split(':')[3]}; ECR needs a key of the registry region {region}"
    return None


def _repository_errors(repo, region, namespace):
    name = repo.get("name")
    where = f"{P}repositories {name}: "
    errs = []
    unknown = sorted(set(map(str, repo)) - set(KEYS))
    if unknown:
        errs.append(f"{where}unknown keys {', '.join(unknown)} (allowed: {', '.join(KEYS)})")
    if not isinstance(name, str) or not 2 <= len(name) <= 256 or not NAME.match(name):
        errs.append(
            f"{where}an ECR repository name is 2-256 lowercase letters, digits and . _ - inside /-separated segments "
            "(for example goal-tracker-frontend or team/web)"
        )
    elif namespace and not name.startswith(namespace + "/"):
        errs.append(
            f"{where}the repository is outside the stack's namespace {namespace}/ ({P}namespace): name it "
            f"{namespace}/{name}, so that two stacks in one account never share a repository "
            f"(or set {P}namespace to '' to manage repositories of any name)"
        )
    mutability = repo.get("image_tag_mutability")
    if mutability not in MUTABILITIES:
        errs.append(
            f"{where}image_tag_mutability ({P}image_tag_mutability) must be MUTABLE or IMMUTABLE, got {mutability}"
        )
    if not isinstance(repo.get("scan_on_push"), bool):
        errs.append(f"{where}scan_on_push ({P}scan_on_push) must be true or false, got {repo.get('scan_on_push')}")
    encryption_error = _encryption_error(where, repo, region)
    if encryption_error:
        errs.append(encryption_error)
    keep = repo.get("lifecycle_keep")
    if not _is_int(keep) or not 1 <= keep <= MAX_KEEP:
        errs.append(f"{where}lifecycle_keep ({P}lifecycle_keep) must be an integer from 1 to {MAX_KEEP}, got {keep}")
    days = repo.get("untagged_days")
    if not _is_int(days) or not 0 <= days <= MAX_UNTAGGED_DAYS:
        errs.append(
            f"{where}untagged_days ({P}untagged_days) must be an integer from 0 (no rule) to {MAX_UNTAGGED_DAYS}, got {days}"
        )
    policy = repo.get("policy")
    if not isinstance(policy, Mapping):
        errs.append(f"{where}policy ({P}policy) must be a dict (an IAM policy document, {{}} for none), got {policy}")
    elif policy and "Statement" not in policy:
        errs.append(f"{where}policy ({P}policy) must be an IAM policy document with a Statement list")
    return errs


def errors(inputs):
    """What is wrong with the container_registry role's inputs that its argument spec cannot see; empty when all is
    well. Every message names the variable (and the repository)."""
    inputs = dict(inputs or {})
    errs = []
    entries = inputs.get(P + "repositories")
    if isinstance(entries, (str, bytes)) or not isinstance(entries, Sequence):
        errs.append(f"{P}repositories must be a list of repository names or dicts")
    for entry in _entries(inputs):
        if not (isinstance(entry, str) or (isinstance(entry, Mapping) and "name" in entry)):
            errs.append(f"{P}repositories entry {entry} must be a repository name or a dict with a name")
    namespace = inputs.get(P + "namespace") or ""
    if namespace and not (isinstance(namespace, str) and NAME.match(namespace) and len(namespace) <= 200):
        errs.append(
            f"{P}namespace must be empty or at most 200 lowercase letters, digits and . _ - (segments separated by /), "
            f"got {namespace}"
        )
        namespace = ""
    repos = [r for r in repositories(inputs) if "name" in r]
    names = [str(r["name"]) for r in repos]
    for name in sorted(set(names)):
        if names.count(name) > 1:
            errs.append(f"{P}repositories names {name} more than once")
    region = inputs.get(P + "region", "")
    for repo in repos:
        errs += _repository_errors(repo, region, namespace)
    return errs


def lifecycle_policy(repo):
    """The lifecycle policy document of a repository (a dict from repositories()): untagged images expire
    untagged_days after their push (no such rule with 0), then every image beyond the newest lifecycle_keep expires.
    ECR requires the rule with tagStatus any to have the highest priority, so it comes last."""
    rules = []
    days = int(repo["untagged_days"])
    keep = int(repo["lifecycle_keep"])
    if days > 0:
        rules.append({
            "rulePriority": 1,
            "description": f"Expire untagged images {days} days after their push",
            "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": days},
            "action": {"type": "expire"},
        })
    rules.append({
        "rulePriority": len(rules) + 1,
        "description": f"Keep the last {keep} images",
        "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": keep},
        "action": {"type": "expire"},
    })
    return {"rules": rules}


def _document(policy):
    """A policy given or read as JSON text or as a dict, as a dict (None when there is none)."""
    if not policy:
        return None
    return json.loads(policy) if isinstance(policy, (str, bytes)) else dict(policy)


def setting_changes(repo, settings):
    """What community.aws.ecs_ecr (as the role runs it) would change in an existing repository: a repository from
    repositories() against its settings as atelier.infra.ecr_repository_tags read them (O(settings)). Any of "tag
    mutability", "scan on push", "encryption" (KMS asked and another key or type kept: ecs_ecr refuses it), "lifecycle
    policy", "repository policy" (another, or one kept when none is asked: purged); [] when nothing. Policies compare
    as ecs_ecr compares them (amazon.aws compare_policies)."""
    changes = []
    if settings.get("image_tag_mutability") != str(repo["image_tag_mutability"]).upper():
        changes.append("tag mutability")
    if bool(settings.get("scan_on_push")) != bool(repo["scan_on_push"]):
        changes.append("scan on push")
    if repo.get("encryption") == "KMS" and (settings.get("encryption_type"), settings.get("kms_key")) != ("KMS", repo.get("kms_key_id")):
        changes.append("encryption")
    if compare_policies(_document(settings.get("lifecycle_policy")), lifecycle_policy(repo)):
        changes.append("lifecycle policy")
    wanted = _document(repo.get("policy"))
    current = _document(settings.get("policy"))
    if (wanted is None and current is not None) or (wanted is not None and compare_policies(current, wanted)):
        changes.append("repository policy")
    return changes


def to_converge(owned, repos):
    """The names of the repositories community.aws.ecs_ecr must converge, from ecr_repository_tags' entries (owned,
    read with settings) and the repositories (repositories()): those missing or not read, and those whose settings
    differ (setting_changes). A run with nothing to change runs ecs_ecr for none."""
    found = {entry.get("name"): entry for entry in owned or [] if isinstance(entry, Mapping)}
    names = []
    for repo in repos or []:
        entry = found.get(repo["name"]) or {}
        settings = entry.get("settings")
        if not entry.get("exists") or not isinstance(settings, Mapping) or setting_changes(repo, settings):
            names.append(repo["name"])
    return names


def described(results, owned):
    """The results of the ecs_ecr loop, each skipped one (a repository that needed no change) replaced by the
    repository as ecr_repository_tags read it (its registryId and encryption), in the shape wrong_encryption and
    account read."""
    found = {entry.get("name"): entry for entry in owned or [] if isinstance(entry, Mapping)}
    out = []
    for result in results or []:
        if isinstance(result, Mapping) and not result.get("repository"):
            item = result.get("item") or {}
            settings = (found.get(item.get("name")) or {}).get("settings")
            if isinstance(settings, Mapping):
                result = {
                    "item": item,
                    "repository": {
                        "registryId": settings.get("registry_id"),
                        "encryptionConfiguration": {"encryptionType": settings.get("encryption_type")},
                    },
                }
        out.append(result)
    return out


def wrong_encryption(results):
    """From the results of the ecs_ecr loop (each with its item and the repository ECR described), one message per
    repository whose encryption is not the one asked for (ECR cannot change it after creation)."""
    out = []
    for result in results or []:
        if not isinstance(result, Mapping):
            continue
        actual = ((result.get("repository") or {}).get("encryptionConfiguration") or {}).get("encryptionType")
        item = result.get("item") or {}
        if actual and actual != item.get("encryption"):
            out.append(f"{item.get('name')} is encrypted with {actual}, not {item.get('encryption')}")
    return out


def account(results):
    """The account of the registry, as ECR answered it in the results of the ecs_ecr loop (each repository's
    registryId), or None when no result holds a repository (check mode before they exist, or no repository)."""
    for result in results or []:
        if isinstance(result, Mapping):
            registry = (result.get("repository") or {}).get("registryId")
            if registry:
                return registry
    return None


def registry_host(account, region):
    """The host of an account's ECR registry in a region."""
    return f"{account}.dkr.ecr.{region}.amazonaws.com"


def outputs(repos, account, region):
    """container_registry_outputs: the registry host, its region and each repository's URI by name."""
    host = registry_host(account, region)
    return {
        "registry": host,
        "region": region,
        "repositories": {repo["name"]: f"{host}/{repo['name']}" for repo in repos},
    }
