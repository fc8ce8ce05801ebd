# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the static_site_* filters: they hand over to module_utils/static_site.py and turn its
ValueErrors into AnsibleFilterErrors."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter.static_site import FilterModule

DIST = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL"
FILTERS = FilterModule().filters()


def test_every_filter_is_registered_and_documented():
    from pathlib import Path

    here = Path(__file__).resolve().parents[4] / "plugins" / "filter"
    for name in FILTERS:
        assert (here / f"{name}.yml").is_file(), name


def test_bucket_policy_filter():
    policy = FILTERS["static_site_bucket_policy"]("b", DIST)
    assert policy["Statement"][1]["Condition"] == {"StringEquals": {"aws:SourceArn": DIST}}
    with pytest.raises(AnsibleFilterError, match="not a list of CloudFront distribution ARNs"):
        FILTERS["static_site_bucket_policy"]("b", "nope")


def test_lifecycle_rule_filter_errors():
    assert FILTERS["static_site_lifecycle_rule"](7, 0)["noncurrent_version_expiration_days"] == 7
    with pytest.raises(AnsibleFilterError, match="noncurrent_days"):
        FILTERS["static_site_lifecycle_rule"](0)


def test_origin_error_responses_and_invalidation_filters():
    assert FILTERS["static_site_origin"]("b", "eu-west-1", "OAC1")["domain_name"] == "b.s3.eu-west-1.amazonaws.com"
    assert [r["error_code"] for r in FILTERS["static_site_error_responses"]([404, 403])] == [403, 404]
    with pytest.raises(AnsibleFilterError, match="must start with /"):
        FILTERS["static_site_error_responses"]([404], "index.html")
    assert FILTERS["static_site_invalidation_paths"]({"uploaded": ["index.html"], "deleted": []}) == ["/", "/index.html"]
