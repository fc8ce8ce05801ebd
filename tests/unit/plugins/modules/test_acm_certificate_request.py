# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.acm_certificate_request: main() is driven with module args, and our own module_utils
wrappers are replaced by a fake ACM (no boto3 call, no network)."""

import hashlib
from unittest.mock import MagicMock

import pytest

from ansible_collections.atelier.infra.plugins.module_utils.acm import AnsibleACMError
from ansible_collections.atelier.infra.plugins.modules import acm_certificate_request

from tests.unit.plugins.modules.utils import AnsibleExitJson
from tests.unit.plugins.modules.utils import AnsibleFailJson
from tests.unit.plugins.modules.utils import run_main

# Our wrapper -> the fake's method standing in for it.
WRAPPERS = {
    "list_certificates": "_list",
    "describe_certificate": "_describe",
    "list_tags": "_list_tags",
    "request_certificate": "_request",
    "add_tags": "_add_tags",
    "remove_tags": "_remove_tags",
    "delete_certificate": "_delete",
}
READS = ("list_certificates", "describe_certificate", "list_tags")
OWNER = {"atelier:stack": "dev-atelier"}


def _record(name):
    apex = name[2:] if name.startswith("*.") else name
    digest = hashlib.sha256(apex.encode()).hexdigest()[:16]
    return {"Name": f"_{digest}.{apex}.", "Type": "CNAME", "Value": f"_{digest}.acm-validations.aws."}


class FakeACM:
    """Certificates by ARN, behind mocks of our module_utils wrappers. records_after: how many reads of a new
    certificate answer without validation records (AWS adds them a few seconds after the request)."""

    def __init__(self, monkeypatch, records_after=0):
        self.certificates = {}
        self.tags = {}
        self.tokens = {}
        self.records_after = records_after
        self.reads = {}
        self.count = 0
        for name, method in WRAPPERS.items():
            mock = MagicMock(side_effect=getattr(self, method))
            setattr(self, name, mock)
            monkeypatch.setattr(acm_certificate_request, name, mock)
        monkeypatch.setattr(acm_certificate_request.time, "sleep", MagicMock())

    def add(self, domain, sans=(), status="ISSUED", tags=None, in_use_by=()):
        self.count += 1
        arn = f"arn:aws:acm:us-east-1:123456789012:certificate/{self.count:04d}"
        names = [domain] + [n for n in sans if n != domain]
        self.certificates[arn] = {
            "CertificateArn": arn, "DomainName": domain, "SubjectAlternativeNames": names, "Status": status,
            "InUseBy": list(in_use_by), "CreatedAt": f"2026-01-{self.count:02d}",
            "DomainValidationOptions": [{"DomainName": n, "ValidationMethod": "DNS", "ResourceRecord": _record(n)} for n in names],
        }
        self.tags[arn] = dict(tags or {})
        self.reads[arn] = self.records_after
        return arn

    def _list(self, client, statuses=None):
        return [{"CertificateArn": arn, "DomainName": c["DomainName"], "Status": c["Status"]} for arn, c in self.certificates.items()]

    def _describe(self, client, arn):
        certificate = self.certificates.get(arn)
        if certificate is None:
            return None
        certificate = dict(certificate)
        if self.reads.get(arn):
            self.reads[arn] -= 1
            certificate["DomainValidationOptions"] = [
                {k: v for k, v in option.items() if k != "ResourceRecord"} for option in certificate["DomainValidationOptions"]]
        return certificate

    def _list_tags(self, client, arn):
        return dict(self.tags[arn])

    def _request(self, client, domain, sans, token, tags):
        if token and token in self.tokens:
            return self.tokens[token]
        arn = self.add(domain, sans, status="PENDING_VALIDATION", tags=tags)
        if token:
            self.tokens[token] = arn
        return arn

    def _add_tags(self, client, arn, tags):
        self.tags[arn].update(tags)

    def _remove_tags(self, client, arn, keys):
        for key in keys:
            self.tags[arn].pop(key)

    def _delete(self, client, arn):
        if self.certificates[arn]["InUseBy"]:
            return False
        del self.certificates[arn]
        return True

    def writes(self):
        return sum(getattr(self, name).call_count for name in WRAPPERS if name not in READS)


def args(**overrides):
    result = {"domain_name": "app.example.com", "subject_alternative_names": ["www.example.com"], "owner_tags": OWNER,
              "region": "us-east-1"}
    result.update(overrides)
    return result


def test_requests_a_certificate_with_the_owner_tags_and_returns_its_validation_records(monkeypatch):
    aws = FakeACM(monkeypatch, records_after=2)
    result = run_main(acm_certificate_request, args(tags={"Name": "web"}))
    assert isinstance(result, AnsibleExitJson), result.result
    out = result.result
    assert out["changed"] is True and out["reused"] is False and out["status"] == "PENDING_VALIDATION"
    (arn,) = aws.certificates
    assert out["certificate_arn"] == arn
    assert aws.tags[arn] == {"Name": "web", "atelier:stack": "dev-atelier"}
    _, domain, sans, token, _ = aws.request_certificate.call_args.args
    assert (domain, sans) == ("app.example.com", ["www.example.com"])
    assert len(token) <= 32 and token.isalnum()
    # The records are read until every domain has one (two reads without them here).
    assert [r["name"] for r in out["validation_records"]] == [_record("app.example.com")["Name"], _record("www.example.com")["Name"]]
    assert out["validation_records"][0] == {"name": _record("app.example.com")["Name"], "type": "CNAME",
                                            "value": _record("app.example.com")["Value"]}
    assert aws.describe_certificate.call_count >= 3


def test_a_wildcard_shares_its_apex_record(monkeypatch):
    FakeACM(monkeypatch)
    out = run_main(acm_certificate_request, args(domain_name="example.com", subject_alternative_names=["*.example.com"])).result
    assert len(out["validation_records"]) == 1


def test_the_same_request_twice_reuses_the_certificate_and_writes_nothing(monkeypatch):
    aws = FakeACM(monkeypatch)
    first = run_main(acm_certificate_request, args()).result
    writes = aws.writes()
    aws.certificates[first["certificate_arn"]]["Status"] = "ISSUED"
    aws.describe_certificate.reset_mock()
    # Names in another order and case, with a trailing dot: the same set.
    second = run_main(acm_certificate_request, args(domain_name="App.Example.com.", subject_alternative_names=["www.example.com", "app.example.com"])).result
    assert second["changed"] is False and second["reused"] is True
    assert second["certificate_arn"] == first["certificate_arn"]
    assert aws.writes() == writes == 1
    # An issued certificate with its records is read once, even with wait.
    assert aws.describe_certificate.call_count == 1
    run_main(acm_certificate_request, args(wait=True))
    assert aws.describe_certificate.call_count == 2


def test_a_lost_answer_retried_returns_the_same_certificate(monkeypatch):
    aws = FakeACM(monkeypatch)
    first = run_main(acm_certificate_request, args(subject_alternative_names=["www.example.com", "api.example.com"])).result
    first_token = aws.request_certificate.call_args.args[3]
    aws.list_certificates.side_effect = lambda client, statuses=None: []  # not listed yet
    again = run_main(acm_certificate_request, args(subject_alternative_names=["api.example.com", "www.example.com"])).result
    assert aws.request_certificate.call_args.args[3] == first_token
    assert again["certificate_arn"] == first["certificate_arn"] and len(aws.certificates) == 1


def test_a_token_of_a_deleted_certificate_is_not_reused(monkeypatch):
    aws = FakeACM(monkeypatch)
    first = run_main(acm_certificate_request, args()).result
    del aws.certificates[first["certificate_arn"]]  # deleted within the token's hour
    again = run_main(acm_certificate_request, args()).result
    assert again["certificate_arn"] != first["certificate_arn"] and again["certificate_arn"] in aws.certificates
    assert aws.request_certificate.call_args.args[3] is None


def test_another_owners_certificate_is_reused_only_with_reuse_any_and_never_tagged(monkeypatch):
    aws = FakeACM(monkeypatch)
    theirs = aws.add("app.example.com", ["www.example.com"], tags={"atelier:stack": "other"})
    out = run_main(acm_certificate_request, args(reuse_any=True, tags={"Name": "web"})).result
    assert (out["certificate_arn"], out["reused"], out["owned"], out["changed"]) == (theirs, True, False, False)
    assert aws.tags[theirs] == {"atelier:stack": "other"}
    assert aws.writes() == 0
    out = run_main(acm_certificate_request, args()).result
    assert out["certificate_arn"] != theirs and out["changed"] is True


def test_an_issued_certificate_of_the_owner_is_preferred_to_a_pending_one(monkeypatch):
    aws = FakeACM(monkeypatch)
    aws.add("app.example.com", ["www.example.com"], status="PENDING_VALIDATION", tags=OWNER)
    issued = aws.add("app.example.com", ["www.example.com"], tags=OWNER)
    aws.add("app.example.com", ["www.example.com"], status="EXPIRED", tags=OWNER)
    assert run_main(acm_certificate_request, args()).result["certificate_arn"] == issued


def test_a_changed_name_set_requests_a_new_certificate_and_returns_the_old_one_as_replaced(monkeypatch):
    aws = FakeACM(monkeypatch)
    old = aws.add("app.example.com", ["www.example.com"], tags=OWNER, in_use_by=["arn:aws:elasticloadbalancing:lb"])
    out = run_main(acm_certificate_request, args(subject_alternative_names=["www.example.com", "api.example.com"])).result
    assert out["changed"] is True and out["certificate_arn"] != old
    assert [r["certificate_arn"] for r in out["replaced"]] == [old]
    assert out["replaced"][0]["in_use_by"] == ["arn:aws:elasticloadbalancing:lb"]
    assert old in aws.certificates and aws.delete_certificate.call_count == 0


def test_tags_of_a_reused_certificate_are_converged(monkeypatch):
    aws = FakeACM(monkeypatch)
    arn = aws.add("app.example.com", ["www.example.com"], tags=dict(OWNER, Name="old", extra="x"))
    out = run_main(acm_certificate_request, args(tags={"Name": "web"})).result
    assert out["changed"] is True
    assert aws.tags[arn] == {"Name": "web", "atelier:stack": "dev-atelier"}
    assert aws.request_certificate.call_count == 0


def test_wait_reads_until_issued(monkeypatch):
    aws = FakeACM(monkeypatch)
    arn = aws.add("app.example.com", ["www.example.com"], status="PENDING_VALIDATION", tags=OWNER)
    describe = aws._describe
    reads = []

    def issue_on_fifth_read(client, requested):
        reads.append(requested)
        if len(reads) == 5:  # candidates, records, then the third read of the wait
            aws.certificates[arn]["Status"] = "ISSUED"
        return describe(client, requested)

    aws.describe_certificate.side_effect = issue_on_fifth_read
    out = run_main(acm_certificate_request, args(wait=True)).result
    assert out["status"] == "ISSUED" and out["changed"] is False
    assert acm_certificate_request.time.sleep.call_count >= 1


def test_wait_fails_with_the_records_when_not_issued_in_time(monkeypatch):
    aws = FakeACM(monkeypatch)
    aws.add("app.example.com", ["www.example.com"], status="PENDING_VALIDATION", tags=OWNER)
    result = run_main(acm_certificate_request, args(wait=True, wait_timeout=0))
    assert isinstance(result, AnsibleFailJson)
    assert "PENDING_VALIDATION, not ISSUED" in result.result["msg"]
    assert len(result.result["validation_records"]) == 2


def test_check_mode_requests_nothing(monkeypatch):
    aws = FakeACM(monkeypatch)
    out = run_main(acm_certificate_request, args(_ansible_check_mode=True, _ansible_diff=True)).result
    assert out["changed"] is True and out["certificate_arn"] is None
    assert out["msg"].startswith("Would have requested a certificate")
    assert out["diff"]["before"] == {} and list(out["diff"]["after"]) == ["(new)"]
    assert aws.writes() == 0


def test_absent_deletes_the_owners_certificates_and_keeps_those_in_use(monkeypatch):
    aws = FakeACM(monkeypatch)
    free = aws.add("app.example.com", ["www.example.com"], tags=OWNER)
    used = aws.add("app.example.com", ["www.example.com", "api.example.com"], tags=OWNER,
                   in_use_by=["arn:aws:cloudfront::123456789012:distribution/E1"])
    theirs = aws.add("app.example.com", tags={"atelier:stack": "other"})
    other_domain = aws.add("api.example.com", tags=OWNER)
    result = run_main(acm_certificate_request, args(state="absent"))
    assert isinstance(result, AnsibleExitJson), result.result
    out = result.result
    assert out["changed"] is True and out["deleted"] == [free]
    assert [c["certificate_arn"] for c in out["kept"]] == [used]
    assert sorted(aws.certificates) == sorted([used, theirs, other_domain])
    # A certificate ACM lists as in use is not even tried.
    assert [c.args[1] for c in aws.delete_certificate.call_args_list] == [free]
    again = run_main(acm_certificate_request, args(state="absent")).result
    assert again["changed"] is False and [c["certificate_arn"] for c in again["kept"]] == [used]


def test_absent_keeps_a_certificate_acm_refuses_to_delete(monkeypatch):
    aws = FakeACM(monkeypatch)
    arn = aws.add("app.example.com", ["www.example.com"], tags=OWNER)
    aws.delete_certificate.side_effect = lambda client, requested: False  # ResourceInUseException
    out = run_main(acm_certificate_request, args(state="absent")).result
    assert out["changed"] is False and out["deleted"] == [] and [c["certificate_arn"] for c in out["kept"]] == [arn]


def test_absent_by_arn_deletes_only_that_one_and_refuses_another_owners(monkeypatch):
    aws = FakeACM(monkeypatch)
    old = aws.add("app.example.com", ["www.example.com"], tags=OWNER)
    new = aws.add("app.example.com", ["www.example.com", "api.example.com"], tags=OWNER)
    theirs = aws.add("app.example.com", tags={"atelier:stack": "other"})
    assert run_main(acm_certificate_request, args(state="absent", certificate_arn=old)).result["deleted"] == [old]
    assert new in aws.certificates
    refused = run_main(acm_certificate_request, args(state="absent", certificate_arn=theirs))
    assert isinstance(refused, AnsibleFailJson) and "does not carry owner_tags" in refused.result["msg"]
    assert theirs in aws.certificates


def test_check_mode_absent_deletes_nothing(monkeypatch):
    aws = FakeACM(monkeypatch)
    arn = aws.add("app.example.com", ["www.example.com"], tags=OWNER)
    out = run_main(acm_certificate_request, args(state="absent", _ansible_check_mode=True)).result
    assert out["changed"] is True and out["deleted"] == [arn]
    assert aws.writes() == 0 and arn in aws.certificates


def test_an_acm_error_fails_with_its_message(monkeypatch):
    aws = FakeACM(monkeypatch)
    aws.request_certificate.side_effect = AnsibleACMError(message="Failed to request certificate")
    result = run_main(acm_certificate_request, args())
    assert isinstance(result, AnsibleFailJson) and "Failed to request certificate" in result.result["msg"]


@pytest.mark.parametrize(
    "overrides, fragment",
    [
        ({"domain_name": "app_example.com"}, "domain_name: 'app_example.com' is not a DNS name"),
        ({"subject_alternative_names": ["www..example.com"]}, "subject_alternative_names: 'www..example.com'"),
        ({"subject_alternative_names": [f"n{i}.example.com" for i in range(10)]}, "at most 10 names"),
        ({"owner_tags": {}}, "owner_tags: must name at least one tag"),
        ({"owner_tags": None}, "owner_tags: must name at least one tag"),
        ({"certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/1"}, "certificate_arn: only with state=absent"),
        ({"wait_timeout": -1}, "wait_timeout: must be zero or more"),
    ],
)
def test_bad_input_fails_before_any_call(monkeypatch, overrides, fragment):
    aws = FakeACM(monkeypatch)
    result = run_main(acm_certificate_request, args(**overrides))
    assert isinstance(result, AnsibleFailJson)
    assert fragment in result.result["msg"], result.result["msg"]
    assert aws.list_certificates.call_count == 0
