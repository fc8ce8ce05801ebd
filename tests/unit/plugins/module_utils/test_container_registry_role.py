# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the container_registry role's logic: the repositories normaliser, the checks, the lifecycle policy,
the wrong-encryption check and the outputs."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import container_registry_role as role

KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
MRK = "arn:aws:kms:eu-west-1:123456789012:key/mrk-" + "0" * 32
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "ecr:BatchGetImage"}]}
# The role's defaults (roles/container_registry/defaults/main.yml) for the stack dev-shop.
DEFAULTS = {
    "container_registry_state": "present",
    "container_registry_region": "eu-west-1",
    "container_registry_namespace": "dev-shop",
    "container_registry_repositories": ["dev-shop/goal-tracker-backend", "dev-shop/goal-tracker-frontend"],
    "container_registry_scan_on_push": True,
    "container_registry_image_tag_mutability": "MUTABLE",
    "container_registry_encryption": "AES256",
    "container_registry_kms_key_id": "",
    "container_registry_lifecycle_keep": 10,
    "container_registry_untagged_days": 7,
    "container_registry_policy": {},
    "container_registry_delete_data": False,
    "container_registry_tags": {},
    "container_registry_outputs": {"registry": "ignored"},
}


def inputs(**changes):
    return dict(DEFAULTS, **{f"container_registry_{k}": v for k, v in changes.items()})


# ---- repositories ----


def test_names_get_the_role_wide_values():
    assert role.repositories(DEFAULTS) == [
        {"name": "dev-shop/goal-tracker-backend", "image_tag_mutability": "MUTABLE", "scan_on_push": True,
         "encryption": "AES256", "kms_key_id": "", "lifecycle_keep": 10, "untagged_days": 7, "policy": {}},
        {"name": "dev-shop/goal-tracker-frontend", "image_tag_mutability": "MUTABLE", "scan_on_push": True,
         "encryption": "AES256", "kms_key_id": "", "lifecycle_keep": 10, "untagged_days": 7, "policy": {}},
    ]


def test_an_entry_overrides_the_role_wide_values_and_only_its_own():
    repos = role.repositories(inputs(
        lifecycle_keep=20,
        repositories=[{"name": "dev-shop/web", "image_tag_mutability": "IMMUTABLE", "encryption": "KMS", "kms_key_id": KEY},
                      "dev-shop/api"],
    ))

    assert repos[0] == {"name": "dev-shop/web", "image_tag_mutability": "IMMUTABLE", "scan_on_push": True,
                        "encryption": "KMS", "kms_key_id": KEY, "lifecycle_keep": 20, "untagged_days": 7, "policy": {}}
    assert (repos[1]["encryption"], repos[1]["kms_key_id"], repos[1]["lifecycle_keep"]) == ("AES256", "", 20)


def test_strings_from_the_command_line_are_converted():
    (repo,) = role.repositories(inputs(repositories=["dev-shop/web"], lifecycle_keep="5", untagged_days="0", scan_on_push="false"))
    assert (repo["lifecycle_keep"], repo["untagged_days"], repo["scan_on_push"]) == (5, 0, False)


def test_entries_that_are_neither_names_nor_dicts_are_left_out():
    assert [r["name"] for r in role.repositories(inputs(repositories=["dev-shop/a", 7, None, {"name": "dev-shop/b"}]))] == [
        "dev-shop/a", "dev-shop/b"]
    assert role.repositories(inputs(repositories="dev-shop/a")) == []
    assert role.repositories({}) == []


def test_a_null_key_means_none():
    (repo,) = role.repositories(inputs(repositories=[{"name": "dev-shop/a", "kms_key_id": None}]))
    assert repo["kms_key_id"] == ""


# ---- errors ----


def test_the_defaults_are_fine():
    assert role.errors(DEFAULTS) == []


@pytest.mark.parametrize(
    "changes",
    [
        dict(repositories=[]),
        dict(repositories=[{"name": "dev-shop/web", "encryption": "KMS", "kms_key_id": KEY, "policy": POLICY,
                            "image_tag_mutability": "IMMUTABLE", "scan_on_push": False, "lifecycle_keep": 10000,
                            "untagged_days": 0}]),
        dict(repositories=[{"name": "dev-shop/web", "encryption": "KMS", "kms_key_id": MRK}]),
        dict(repositories=["dev-shop/team/web.v2_x"]),
        dict(namespace="", repositories=["goal-tracker-frontend"]),
        dict(namespace="team/dev", repositories=["team/dev/web"]),
        dict(lifecycle_keep="1", untagged_days="3650"),
    ],
)
def test_accepted(changes):
    assert role.errors(inputs(**changes)) == []


W = "container_registry_repositories dev-shop/web: "


@pytest.mark.parametrize(
    "changes, message",
    [
        (dict(repositories="dev-shop/web"), "container_registry_repositories must be a list of repository names or dicts"),
        (dict(repositories=[{"image_tag_mutability": "MUTABLE"}]),
         "container_registry_repositories entry {'image_tag_mutability': 'MUTABLE'} must be a repository name or a dict with a name"),
        (dict(repositories=[5]), "container_registry_repositories entry 5 must be a repository name or a dict with a name"),
        (dict(repositories=["dev-shop/web", {"name": "dev-shop/web"}]), "container_registry_repositories names dev-shop/web more than once"),
        (dict(repositories=[{"name": "dev-shop/web", "colour": "red"}]),
         W + "unknown keys colour (allowed: name, image_tag_mutability, scan_on_push, encryption, kms_key_id, lifecycle_keep,"
             " untagged_days, policy)"),
        (dict(repositories=["dev-shop/Bad_Name"]), "container_registry_repositories dev-shop/Bad_Name: an ECR repository name is 2-256"),
        (dict(repositories=["dev-shop/web-"]), "dev-shop/web-: an ECR repository name"),
        (dict(namespace="", repositories=["a"]), "container_registry_repositories a: an ECR repository name"),
        (dict(repositories=["goal-tracker-frontend"]),
         "container_registry_repositories goal-tracker-frontend: the repository is outside the stack's namespace dev-shop/"
         " (container_registry_namespace): name it dev-shop/goal-tracker-frontend"),
        (dict(repositories=["dev-shopper/web"]), "outside the stack's namespace dev-shop/"),
        (dict(namespace="Dev Shop"), "container_registry_namespace must be empty or at most 200 lowercase letters"),
        (dict(image_tag_mutability="immutable", repositories=["dev-shop/web"]),
         W + "image_tag_mutability (container_registry_image_tag_mutability) must be MUTABLE or IMMUTABLE, got immutable"),
        (dict(repositories=[{"name": "dev-shop/web", "scan_on_push": "sometimes"}]),
         W + "scan_on_push (container_registry_scan_on_push) must be true or false, got sometimes"),
        (dict(repositories=[{"name": "dev-shop/web", "encryption": "SSE"}]),
         W + "encryption (container_registry_encryption) must be AES256 or KMS, got SSE"),
        (dict(repositories=[{"name": "dev-shop/web", "kms_key_id": KEY}]),
         W + "kms_key_id (container_registry_kms_key_id) is set but the encryption is AES256; set encryption KMS"),
        (dict(repositories=[{"name": "dev-shop/web", "encryption": "KMS"}]),
         W + "encryption KMS needs kms_key_id (container_registry_kms_key_id), the key ARN"),
        (dict(repositories=[{"name": "dev-shop/web", "encryption": "KMS", "kms_key_id": "alias/x"}]),
         W + "kms_key_id (container_registry_kms_key_id) must be a KMS key ARN"),
        (dict(repositories=[{"name": "dev-shop/web", "encryption": "KMS", "kms_key_id": KEY.replace("eu-west-1", "us-east-1")}]),
         W + "kms_key_id (container_registry_kms_key_id) is a key of us-east-1; ECR needs a key of the registry region eu-west-1"),
        (dict(lifecycle_keep=0, repositories=["dev-shop/web"]),
         W + "lifecycle_keep (container_registry_lifecycle_keep) must be an integer from 1 to 10000, got 0"),
        (dict(lifecycle_keep=10001, repositories=["dev-shop/web"]), "must be an integer from 1 to 10000, got 10001"),
        (dict(lifecycle_keep=True, repositories=["dev-shop/web"]), "must be an integer from 1 to 10000, got True"),
        (dict(untagged_days=-1, repositories=["dev-shop/web"]),
         W + "untagged_days (container_registry_untagged_days) must be an integer from 0 (no rule) to 3650, got -1"),
        (dict(untagged_days="week", repositories=["dev-shop/web"]), "to 3650, got week"),
        (dict(policy="not-a-dict", repositories=["dev-shop/web"]),
         W + "policy (container_registry_policy) must be a dict (an IAM policy document, {} for none), got not-a-dict"),
        (dict(policy={"Version": "2012-10-17"}, repositories=["dev-shop/web"]),
         W + "policy (container_registry_policy) must be an IAM policy document with a Statement list"),
    ],
)
def test_refused(changes, message):
    found = role.errors(inputs(**changes))
    assert len(found) == 1, found
    assert message in found[0], found


def test_every_problem_is_named_at_once():
    found = role.errors(inputs(repositories=[
        "dev-shop/Bad_Name",
        {"name": "dev-shop/ok", "image_tag_mutability": "immutable", "lifecycle_keep": 0, "encryption": "KMS",
         "kms_key_id": "alias/x", "colour": "red"},
        {"name": "dev-shop/ok", "policy": "not-a-dict", "encryption": "KMS"},
    ]))
    assert len(found) == 8, found


# ---- lifecycle policy ----


def test_lifecycle_policy_with_both_rules():
    assert role.lifecycle_policy({"untagged_days": 7, "lifecycle_keep": 5}) == {"rules": [
        {"rulePriority": 1, "description": "Expire untagged images 7 days after their push",
         "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7},
         "action": {"type": "expire"}},
        {"rulePriority": 2, "description": "Keep the last 5 images",
         "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 5},
         "action": {"type": "expire"}},
    ]}


def test_lifecycle_policy_without_the_untagged_rule():
    assert role.lifecycle_policy({"untagged_days": 0, "lifecycle_keep": "3"}) == {"rules": [
        {"rulePriority": 1, "description": "Keep the last 3 images",
         "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 3},
         "action": {"type": "expire"}},
    ]}


# ---- wrong encryption ----


def _result(name, asked, actual):
    result = {"item": {"name": name, "encryption": asked}, "repository": {"repositoryName": name}}
    if actual:
        result["repository"]["encryptionConfiguration"] = {"encryptionType": actual}
    return result


@pytest.mark.parametrize(
    "results, expected",
    [
        ([_result("a", "AES256", "AES256"), _result("b", "KMS", "KMS")], []),
        ([_result("a", "KMS", "AES256")], ["a is encrypted with AES256, not KMS"]),
        ([_result("a", "AES256", "KMS"), _result("b", "KMS", "AES256")],
         ["a is encrypted with KMS, not AES256", "b is encrypted with AES256, not KMS"]),
        # A repository check mode would create has no encryption configuration yet; a skipped item no repository.
        ([_result("a", "KMS", None), {"item": {"name": "b", "encryption": "KMS"}, "skipped": True}], []),
        ([], []),
    ],
)
def test_wrong_encryption(results, expected):
    assert role.wrong_encryption(results) == expected


# ---- outputs ----


def test_outputs():
    repos = role.repositories(DEFAULTS)
    host = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
    assert role.outputs(repos, "123456789012", "eu-west-1") == {
        "registry": host,
        "region": "eu-west-1",
        "repositories": {
            "dev-shop/goal-tracker-backend": f"{host}/dev-shop/goal-tracker-backend",
            "dev-shop/goal-tracker-frontend": f"{host}/dev-shop/goal-tracker-frontend",
        },
    }


@pytest.mark.parametrize(
    "image, pinned",
    [
        ("goal-tracker-frontend:latest", False),
        ("goal-tracker-frontend", False),
        ("team/goal-tracker-frontend:", False),
        ("goal-tracker-frontend:1.4.2", True),
        ("team/goal-tracker-frontend:2026-12-04", True),
        ("goal-tracker-frontend@sha256:" + "a" * 64, True),
        ("goal-tracker-frontend:latest@sha256:" + "a" * 64, True),
        ("localhost:5000/web", False),
        ("localhost:5000/web:v3", True),
    ],
)
def test_image_pinned(image, pinned):
    assert role.image_pinned(image) is pinned


@pytest.mark.parametrize(
    "images, expected",
    [
        (["goal-tracker-frontend:1.4.2", "goal-tracker-backend:1.4.2"], "IMMUTABLE"),
        (["goal-tracker-frontend:1.4.2", "goal-tracker-backend@sha256:" + "b" * 64], "IMMUTABLE"),
        # One tier still on latest (or on no tag) keeps every repository mutable.
        (["goal-tracker-frontend:1.4.2", "goal-tracker-backend:latest"], "MUTABLE"),
        (["goal-tracker-frontend:1.4.2", "goal-tracker-backend"], "MUTABLE"),
        # Another registry's image is not one of the stack's repositories: it does not count either way.
        (["goal-tracker-frontend:1.4.2", "public.ecr.aws/nginx/nginx:latest"], "IMMUTABLE"),
        (["ghcr.io/org/web:latest"], "MUTABLE"),
        ([None, ""], "MUTABLE"),
        ([], "MUTABLE"),
    ],
)
def test_tag_mutability(images, expected):
    tiers = [{"name": f"t{i}", "image": image} for i, image in enumerate(images)] + ["not a tier"]
    assert role.tag_mutability(tiers) == expected


# ---- what ecs_ecr must converge, read first ----


def _settings(repo, **changes):
    """The settings ecr_repository_tags reads of a repository the role converged (repo from repositories())."""
    import json

    settings = {
        "registry_id": "123456789012", "repository_uri": "u", "image_tag_mutability": repo["image_tag_mutability"].upper(),
        "scan_on_push": repo["scan_on_push"], "encryption_type": repo["encryption"], "kms_key": repo["kms_key_id"],
        # As ECR keeps it: other key order, other spacing.
        "lifecycle_policy": json.dumps({"rules": [dict(reversed(list(r.items()))) for r in role.lifecycle_policy(repo)["rules"]]}),
        "policy": json.dumps(repo["policy"], indent=2) if repo["policy"] else "",
    }
    settings.update(changes)
    return settings


@pytest.mark.parametrize(
    "repo_changes, settings_changes, expected",
    [
        ({}, {}, []),
        ({"policy": POLICY}, {}, []),
        ({"encryption": "KMS", "kms_key_id": KEY}, {}, []),
        ({}, {"image_tag_mutability": "IMMUTABLE"}, ["tag mutability"]),
        ({}, {"scan_on_push": False}, ["scan on push"]),
        ({}, {"lifecycle_policy": ""}, ["lifecycle policy"]),
        ({}, {"lifecycle_policy": '{"rules": []}'}, ["lifecycle policy"]),
        # A policy added by hand is purged; another one than asked is replaced.
        ({}, {"policy": '{"Version": "2012-10-17", "Statement": []}'}, ["repository policy"]),
        ({"policy": POLICY}, {"policy": ""}, ["repository policy"]),
        ({"policy": POLICY}, {"policy": '{"Version": "2012-10-17", "Statement": []}'}, ["repository policy"]),
        ({"encryption": "KMS", "kms_key_id": KEY}, {"encryption_type": "AES256", "kms_key": ""}, ["encryption"]),
    ],
)
def test_setting_changes(repo_changes, settings_changes, expected):
    (repo,) = role.repositories(dict(DEFAULTS, container_registry_repositories=[dict({"name": "dev-shop/web"}, **repo_changes)]))
    assert role.setting_changes(repo, _settings(repo, **settings_changes)) == expected


def test_to_converge_names_the_missing_the_unread_and_the_differing():
    repos = role.repositories(inputs(repositories=["dev-shop/a", "dev-shop/b", "dev-shop/c", "dev-shop/d"]))
    a, b, c, _d = repos
    owned = [
        {"name": "dev-shop/a", "exists": True, "settings": _settings(a)},
        {"name": "dev-shop/b", "exists": True, "settings": _settings(b, scan_on_push=False)},
        {"name": "dev-shop/c", "exists": True},
        {"name": "dev-shop/d", "exists": False},
    ]
    assert role.to_converge(owned, repos) == ["dev-shop/b", "dev-shop/c", "dev-shop/d"]
    assert role.to_converge([], repos) == [r["name"] for r in repos]


def test_described_completes_the_skipped_results_with_what_was_read():
    repos = role.repositories(inputs(repositories=["dev-shop/a", "dev-shop/b"]))
    owned = [{"name": "dev-shop/a", "exists": True, "settings": _settings(repos[0], encryption_type="KMS")}]
    ran = {"item": repos[1], "repository": {"registryId": "210987654321", "encryptionConfiguration": {"encryptionType": "AES256"}}}
    results = [{"item": repos[0], "skipped": True, "changed": False}, ran]
    described = role.described(results, owned)
    assert described[1] is ran
    assert described[0] == {"item": repos[0], "repository": {"registryId": "123456789012", "encryptionConfiguration": {"encryptionType": "KMS"}}}
    assert role.account(described) == "123456789012"
    assert role.wrong_encryption(described) == ["dev-shop/a is encrypted with KMS, not AES256"]
    # A skipped item not read (check mode before it exists) stays as it is.
    assert role.described([{"item": repos[1], "skipped": True}], owned) == [{"item": repos[1], "skipped": True}]
