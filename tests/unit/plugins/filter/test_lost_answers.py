"""atelier.infra.aws_exists_already: a failure refused as existing (retry the task once) or anything else."""

import pytest

from ansible_collections.atelier.infra.plugins.filter.lost_answers import aws_exists_already


@pytest.mark.parametrize("code", ["EntityAlreadyExists", "DBInstanceAlreadyExists", "DBSubnetGroupAlreadyExists",
                                  "DBParameterGroupAlreadyExists", "ParameterAlreadyExists",
                                  "RepositoryAlreadyExistsException", "AlreadyExists", "ResourceAlreadyExistsException",
                                  "ResourceExistsException"])
def test_a_create_refused_as_existing_is_retried(code):
    assert aws_exists_already({"failed": True, "msg": "Failed to create", "error": {"code": code}}) is True


@pytest.mark.parametrize("result", [
    {"failed": True, "error": {"code": "AccessDenied"}},
    {"failed": True, "msg": "something else"},
    {"failed": True, "error": "AlreadyExists"},
    {"changed": True, "error": {"code": "EntityAlreadyExists"}},  # not failed: nothing to retry
    {"failed": False},
    None,
    "AlreadyExists",
])
def test_anything_else_is_not(result):
    assert aws_exists_already(result) is False
