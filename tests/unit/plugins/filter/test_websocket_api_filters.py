"""The websocket_api filters: what they hand the module_utils and what they refuse."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter import websocket_api as filters


def test_the_filters_refuse_what_is_not_their_shape():
    with pytest.raises(AnsibleFilterError, match="must be a dict"):
        filters.websocket_api_errors(["x"])
    with pytest.raises(AnsibleFilterError, match="must be a list"):
        filters.websocket_api_specs({"name": "chat"}, "p", "1", "r")


def test_specs_permissions_and_outputs_chain():
    apis = [{"name": "chat", "routes": [{"key": "$default", "function": "f"}]}]
    specs = filters.websocket_api_specs(apis, "p", "1", "us-east-1", "aws", {"atelier:env": "dev"})
    assert filters.websocket_api_permissions(specs, [{"api": {"api_id": "a"}}], "1", "us-east-1")[0]["source_arn"] \
        == "arn:aws:execute-api:us-east-1:1:a/*"
    assert filters.websocket_api_outputs(specs, [{}])["apis"][0]["api_name"] == "p-chat"
    assert filters.websocket_api_errors({"websocket_api_apis": apis, "websocket_api_functions": [{"name": "f"}]}) == []
