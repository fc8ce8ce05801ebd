# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the ECR wrappers against botocore's Stubber (no network)."""

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.atelier.infra.plugins.module_utils import ecr

ARN = "arn:aws:ecr:us-east-1:123456789012:repository/web"
REPOSITORY = {"repositoryName": "web", "repositoryArn": ARN, "registryId": "123456789012"}


@pytest.fixture
def client():
    c = boto3.client("ecr", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    with Stubber(c) as stubber:
        yield c, stubber
        stubber.assert_no_pending_responses()


def test_describe_repository(client):
    c, stubber = client
    stubber.add_response("describe_repositories", {"repositories": [REPOSITORY]}, {"repositoryNames": ["web"]})

    assert ecr.describe_repository(c, "web")["repositoryArn"] == ARN


def test_describe_repository_of_another_registry(client):
    c, stubber = client
    stubber.add_response(
        "describe_repositories", {"repositories": [REPOSITORY]}, {"repositoryNames": ["web"], "registryId": "210987654321"}
    )

    assert ecr.describe_repository(c, "web", "210987654321") == REPOSITORY


def test_describe_missing_repository_is_none(client):
    c, stubber = client
    stubber.add_client_error("describe_repositories", "RepositoryNotFoundException", "not found")

    assert ecr.describe_repository(c, "web") is None


def test_describe_other_errors_raise(client):
    c, stubber = client
    stubber.add_client_error("describe_repositories", "AccessDeniedException", "no")

    with pytest.raises(ecr.AnsibleECRError, match="describe repository"):
        ecr.describe_repository(c, "web")


def _named(name):
    return {"repositoryName": name, "repositoryArn": f"arn:aws:ecr:us-east-1:123456789012:repository/{name}"}


def test_describe_repositories_all_present_is_one_call(client):
    c, stubber = client
    names = ["web", "api", "worker"]
    stubber.add_response("describe_repositories", {"repositories": [_named(n) for n in reversed(names)]},
                         {"repositoryNames": names, "registryId": "210987654321"})

    assert ecr.describe_repositories(c, names + ["web"], "210987654321") == {n: _named(n) for n in names}


def test_describe_repositories_by_hundreds(client):
    c, stubber = client
    names = [f"r{i:03}" for i in range(150)]
    stubber.add_response("describe_repositories", {"repositories": [_named(n) for n in names[:100]]},
                         {"repositoryNames": names[:100]})
    stubber.add_response("describe_repositories", {"repositories": [_named(n) for n in names[100:]]},
                         {"repositoryNames": names[100:]})

    assert list(ecr.describe_repositories(c, names)) == names


def test_describe_repositories_one_missing_falls_back_to_one_call_per_name(client):
    c, stubber = client
    stubber.add_client_error("describe_repositories", "RepositoryNotFoundException", "gone does not exist",
                             expected_params={"repositoryNames": ["web", "gone", "api"]})
    stubber.add_response("describe_repositories", {"repositories": [_named("web")]}, {"repositoryNames": ["web"]})
    stubber.add_client_error("describe_repositories", "RepositoryNotFoundException", "gone does not exist",
                             expected_params={"repositoryNames": ["gone"]})
    stubber.add_response("describe_repositories", {"repositories": [_named("api")]}, {"repositoryNames": ["api"]})

    assert ecr.describe_repositories(c, ["web", "gone", "api"]) == {"web": _named("web"), "gone": None, "api": _named("api")}


def test_describe_repositories_falls_back_only_for_the_batch_with_a_missing_one(client):
    c, stubber = client
    names = [f"r{i:03}" for i in range(102)]
    stubber.add_response("describe_repositories", {"repositories": [_named(n) for n in names[:100]]},
                         {"repositoryNames": names[:100]})
    stubber.add_client_error("describe_repositories", "RepositoryNotFoundException", "r101 does not exist",
                             expected_params={"repositoryNames": names[100:]})
    stubber.add_response("describe_repositories", {"repositories": [_named("r100")]}, {"repositoryNames": ["r100"]})
    stubber.add_client_error("describe_repositories", "RepositoryNotFoundException", "r101 does not exist",
                             expected_params={"repositoryNames": ["r101"]})

    found = ecr.describe_repositories(c, names)

    assert [n for n, r in found.items() if r is None] == ["r101"] and len(found) == 102


def test_describe_repositories_a_single_missing_one_is_not_asked_again(client):
    c, stubber = client
    stubber.add_client_error("describe_repositories", "RepositoryNotFoundException", "gone does not exist",
                             expected_params={"repositoryNames": ["gone"]})

    assert ecr.describe_repositories(c, ["gone"]) == {"gone": None}


@pytest.mark.parametrize("fallback", [False, True], ids=["batch", "fallback"])
def test_describe_repositories_other_errors_raise(client, fallback):
    c, stubber = client
    if fallback:
        stubber.add_client_error("describe_repositories", "RepositoryNotFoundException", "gone does not exist")
    stubber.add_client_error("describe_repositories", "AccessDeniedException", "no")

    with pytest.raises(ecr.AnsibleECRError, match="Failed to describe repository"):
        ecr.describe_repositories(c, ["web", "gone"])


def test_describe_no_repository_makes_no_call(client):
    c, _stubber = client
    assert ecr.describe_repositories(c, []) == {}


def test_list_tags_as_a_dict(client):
    c, stubber = client
    stubber.add_response("list_tags_for_resource", {"tags": [{"Key": "a", "Value": "1"}]}, {"resourceArn": ARN})

    assert ecr.list_repository_tags(c, ARN) == {"a": "1"}


def test_tag_and_untag(client):
    c, stubber = client
    stubber.add_response("tag_resource", {}, {"resourceArn": ARN, "tags": [{"Key": "a", "Value": "1"}]})
    stubber.add_response("untag_resource", {}, {"resourceArn": ARN, "tagKeys": ["b"]})

    assert ecr.tag_repository(c, ARN, {"a": "1"})
    assert ecr.untag_repository(c, ARN, ["b"])


def test_tag_errors_raise(client):
    c, stubber = client
    stubber.add_client_error("tag_resource", "InvalidTagParameterException", "bad tag")

    with pytest.raises(ecr.AnsibleECRError, match="tag repository"):
        ecr.tag_repository(c, ARN, {"aws:x": "1"})


def test_policies_read_as_text_and_none_when_there_is_none():
    import boto3
    from botocore.stub import Stubber

    c = boto3.client("ecr", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    with Stubber(c) as stubber:
        text = '{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 5}}]}'
        stubber.add_response("get_lifecycle_policy", {"lifecyclePolicyText": text}, {"repositoryName": "web"})
        stubber.add_client_error("get_lifecycle_policy", "LifecyclePolicyNotFoundException", "none")
        stubber.add_client_error("get_repository_policy", "RepositoryPolicyNotFoundException", "none")
        stubber.add_response("get_repository_policy", {"policyText": "{}"}, {"repositoryName": "web", "registryId": "1"})
        assert ecr.get_lifecycle_policy_text(c, "web") == text
        assert ecr.get_lifecycle_policy_text(c, "web") is None
        assert ecr.get_repository_policy_text(c, "web") is None
        assert ecr.get_repository_policy_text(c, "web", "1") == "{}"
    assert ecr.repository_settings({"repositoryName": "web"}, None, None) == {
        "registry_id": "", "repository_uri": "", "image_tag_mutability": "", "scan_on_push": False,
        "encryption_type": "", "kms_key": "", "lifecycle_policy": "", "policy": "",
    }
