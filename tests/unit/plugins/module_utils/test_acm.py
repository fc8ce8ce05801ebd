# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of plugins/module_utils/acm.py: the wrappers against botocore's Stubber (no network), and the choice of
the certificate to reuse."""

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.atelier.infra.plugins.module_utils import acm

ARN = "arn:aws:acm:us-east-1:123456789012:certificate/1"


@pytest.fixture
def client():
    client = boto3.client("acm", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stubber:
        client.stubber = stubber
        yield client
        stubber.assert_no_pending_responses()


def test_delete_answers_false_for_a_certificate_in_use_and_true_once_gone(client):
    client.stubber.add_client_error("delete_certificate", "ResourceInUseException", f"Certificate {ARN} in use.")
    client.stubber.add_client_error("delete_certificate", "ResourceNotFoundException", "no such certificate")
    client.stubber.add_response("delete_certificate", {}, {"CertificateArn": ARN})
    assert acm.delete_certificate(client, ARN) is False
    assert acm.delete_certificate(client, ARN) is True
    assert acm.delete_certificate(client, ARN) is True


def test_delete_raises_other_errors(client):
    client.stubber.add_client_error("delete_certificate", "AccessDeniedException", "no")
    with pytest.raises(acm.AnsibleACMError, match="Failed to delete certificate"):
        acm.delete_certificate(client, ARN)


def test_describe_answers_none_for_a_missing_certificate(client):
    client.stubber.add_client_error("describe_certificate", "ResourceNotFoundException", "gone")
    assert acm.describe_certificate(client, ARN) is None


def test_request_sends_dns_validation_the_token_and_the_tags(client):
    client.stubber.add_response("request_certificate", {"CertificateArn": ARN}, {
        "DomainName": "app.example.com", "ValidationMethod": "DNS", "SubjectAlternativeNames": ["www.example.com"],
        "IdempotencyToken": "abc", "Tags": [{"Key": "k", "Value": "v"}]})
    assert acm.request_certificate(client, "app.example.com", ["www.example.com"], "abc", {"k": "v"}) == ARN


def test_list_asks_for_every_status(client):
    client.stubber.add_response("list_certificates", {"CertificateSummaryList": [{"CertificateArn": ARN, "DomainName": "a.b"}]},
                                {"CertificateStatuses": acm.ALL_STATUSES})
    assert acm.list_certificates(client) == [{"CertificateArn": ARN, "DomainName": "a.b"}]


def _certificate(arn, names, status="ISSUED", owned=True, created="2026-01-01"):
    return {"CertificateArn": arn, "DomainName": names[0], "SubjectAlternativeNames": names, "Status": status,
            "Owned": owned, "CreatedAt": created}


def test_choose_prefers_the_owners_issued_then_newest_and_lists_the_replaced():
    wanted = acm.name_set("app.example.com", ["www.example.com"])
    same = ["app.example.com", "www.example.com"]
    candidates = [
        _certificate("pending", same, status="PENDING_VALIDATION", created="2026-03-01"),
        _certificate("old", same, created="2026-01-01"),
        _certificate("new", same, created="2026-02-01"),
        _certificate("theirs", same, owned=False, created="2026-04-01"),
        _certificate("fewer", ["app.example.com"]),
        _certificate("failed", ["app.example.com"], status="FAILED"),
    ]
    reused, replaced = acm.choose(candidates, wanted, reuse_any=True)
    assert reused["CertificateArn"] == "new"
    assert [c["CertificateArn"] for c in replaced] == ["fewer"]
    reused, _ = acm.choose(candidates[3:], wanted, reuse_any=True)
    assert reused["CertificateArn"] == "theirs"
    assert acm.choose(candidates[3:], wanted, reuse_any=False)[0] is None


def test_validation_records_once_per_record_and_ready_only_when_every_domain_has_one():
    record = {"Name": "_x.example.com.", "Type": "CNAME", "Value": "_y.acm-validations.aws."}
    certificate = {"Status": "PENDING_VALIDATION", "DomainValidationOptions": [
        {"DomainName": "example.com", "ResourceRecord": record}, {"DomainName": "*.example.com", "ResourceRecord": dict(record)}]}
    assert acm.validation_records(certificate) == [{"name": "_x.example.com.", "type": "CNAME", "value": "_y.acm-validations.aws."}]
    assert acm.records_ready(certificate)
    certificate["DomainValidationOptions"].append({"DomainName": "www.example.com"})
    assert not acm.records_ready(certificate)
    assert acm.records_ready(dict(certificate, Status="ISSUED"))


def test_the_token_is_32_alphanumeric_characters_of_the_names_and_owner():
    token = acm.idempotency_token("App.example.com.", ["www.example.com"], {"stack": "dev"})
    assert len(token) == 32 and token.isalnum()
    assert token == acm.idempotency_token("app.example.com", ["www.example.com", "app.example.com"], {"stack": "dev"})
    assert token != acm.idempotency_token("app.example.com", ["www.example.com"], {"stack": "prod"})
