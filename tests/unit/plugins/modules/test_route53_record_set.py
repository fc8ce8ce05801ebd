# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.route53_record_set: main() is driven with module args, and our own module_utils
wrappers are replaced by a fake Route 53 that plays a change batch as AWS does (all or nothing; CREATE of an existing
record set and DELETE of a missing or different one refused)."""

import copy
from unittest.mock import MagicMock

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import route53
from ansible_collections.atelier.infra.plugins.module_utils.route53 import AnsibleRoute53Error
from ansible_collections.atelier.infra.plugins.modules import route53_record_set

from tests.unit.plugins.modules.utils import AnsibleExitJson
from tests.unit.plugins.modules.utils import AnsibleFailJson
from tests.unit.plugins.modules.utils import run_main

WRAPPERS = {"zones_named": "_zones_named", "list_record_sets": "_list", "change_record_sets": "_change"}
ZONE_ID = "Z0000000000000000001"
ALB = {"dns_name": "Dev-Web-123.us-east-1.elb.amazonaws.com", "hosted_zone_id": "Z35SXDOTRQ7X7K", "evaluate_target_health": True}
MINE = '"heritage=atelier,owner=dev-atelier"'


class FakeRoute53:
    def __init__(self, monkeypatch, private=False):
        self.zones = {ZONE_ID: {"Id": f"/hostedzone/{ZONE_ID}", "Name": "example.com.", "Config": {"PrivateZone": private}}}
        self.sets = {
            ("example.com.", "SOA"): {"Name": "example.com.", "Type": "SOA", "TTL": 900, "ResourceRecords": [{"Value": "ns. soa"}]},
            ("example.com.", "NS"): {"Name": "example.com.", "Type": "NS", "TTL": 172800, "ResourceRecords": [{"Value": "ns."}]},
        }
        for name, method in WRAPPERS.items():
            mock = MagicMock(side_effect=getattr(self, method))
            setattr(self, name, mock)
            monkeypatch.setattr(route53_record_set, name, mock)

    def put(self, name, record_type, values, ttl=300):
        self.sets[(name, record_type)] = {"Name": name, "Type": record_type, "TTL": ttl,
                                          "ResourceRecords": [{"Value": v} for v in values]}

    def _zones_named(self, client, name):
        return [z for z in self.zones.values() if z["Name"] == name.rstrip(".") + "."]

    def _list(self, client, zone_id):
        if zone_id not in self.zones:
            return None
        # Route 53 escapes a wildcard as \052 and lowers alias names.
        return [dict(copy.deepcopy(r), Name=r["Name"].replace("*", "\\052")) for r in self.sets.values()]

    def _change(self, client, zone_id, changes, comment):
        sets = copy.deepcopy(self.sets)
        for change in changes:
            rrset = copy.deepcopy(change["ResourceRecordSet"])
            rrset["Name"] = rrset["Name"].replace("\\052", "*")  # Route 53 takes a wildcard escaped or not
            if rrset.get("AliasTarget"):
                rrset["AliasTarget"]["DNSName"] = rrset["AliasTarget"]["DNSName"].lower()
            key = (rrset["Name"], rrset["Type"])
            if change["Action"] == "CREATE" and key in sets:
                raise AnsibleRoute53Error(message=f"Failed: {key} already exists")
            if change["Action"] == "DELETE" and (key not in sets or sets[key] != rrset):
                raise AnsibleRoute53Error(message=f"Failed: {key} not found or other values")
            if change["Action"] == "DELETE":
                del sets[key]
            else:
                sets[key] = rrset
        self.sets = sets
        return {"Id": "/change/C1", "Status": "PENDING"}

    def names(self):
        return sorted(f"{name} {record_type}" for name, record_type in self.sets if record_type not in ("SOA", "NS"))


def args(*records, **overrides):
    result = {"zone": "example.com", "owner": "dev-atelier", "records": list(records), "region": "us-east-1"}
    result.update(overrides)
    return {key: value for key, value in result.items() if value is not None}


def a(name="app.example.com", values=("192.0.2.1",), **extra):
    return dict(name=name, type="A", values=list(values), **extra)


def alias(name="app.example.com", target=None):
    return dict(name=name, type="A", alias=dict(target or ALB))


def test_creates_the_records_and_their_markers_in_one_batch(monkeypatch):
    aws = FakeRoute53(monkeypatch)
    txt = dict(name="example.com", type="TXT", values=["v=spf1 -all"])
    cname = dict(name="_abc.app.example.com", type="CNAME", value="_def.acm-validations.aws.")
    result = run_main(route53_record_set, args(alias(), txt, cname, a("*.example.com")))
    assert isinstance(result, AnsibleExitJson), result.result
    out = result.result
    assert out["changed"] is True and aws.change_record_sets.call_count == 1
    assert aws.names() == sorted([
        "app.example.com. A", "_atelier-owner-a.app.example.com. TXT", "example.com. TXT",
        "_atelier-owner-txt.example.com. TXT", "_abc.app.example.com. CNAME", "_atelier-owner-cname._abc.app.example.com. TXT",
        "*.example.com. A", "_atelier-owner-a-wildcard.example.com. TXT"])
    assert aws.sets[("_atelier-owner-a.app.example.com.", "TXT")]["ResourceRecords"] == [{"Value": MINE}]
    assert aws.sets[("example.com.", "TXT")]["ResourceRecords"] == [{"Value": '"v=spf1 -all"'}]
    assert aws.sets[("app.example.com.", "A")]["AliasTarget"]["DNSName"] == "dev-web-123.us-east-1.elb.amazonaws.com."
    assert [c["action"] for c in out["changes"]] == ["CREATE"] * 8
    assert {(r["name"], r["type"]) for r in out["records"]} == {
        ("app.example.com.", "A"), ("example.com.", "TXT"), ("_abc.app.example.com.", "CNAME"), ("*.example.com.", "A")}
    assert out["zone_id"] == ZONE_ID and out["zone_name"] == "example.com."


def test_a_second_run_lists_once_and_changes_nothing(monkeypatch):
    aws = FakeRoute53(monkeypatch)
    records = [alias(), a("*.example.com"), dict(name="_abc.app.example.com", type="CNAME", value="_DEF.acm-validations.aws")]
    run_main(route53_record_set, args(*records))
    aws.list_record_sets.reset_mock()
    aws.change_record_sets.reset_mock()
    # The alias in upper case without its trailing dot: Route 53 stores it lower case with the dot.
    out = run_main(route53_record_set, args(*records)).result
    assert out["changed"] is False and out["changes"] == [] and out["msg"] == "No change."
    assert aws.list_record_sets.call_count == 1 and aws.change_record_sets.call_count == 0


def test_a_changed_owned_record_is_upserted_alone(monkeypatch):
    aws = FakeRoute53(monkeypatch)
    run_main(route53_record_set, args(a(), a("api.example.com")))
    out = run_main(route53_record_set, args(a(values=["192.0.2.2", "192.0.2.3"]), a("api.example.com", ttl=60))).result
    assert [(c["action"], c["name"]) for c in out["changes"]] == [("UPSERT", "api.example.com."), ("UPSERT", "app.example.com.")]
    assert aws.sets[("app.example.com.", "A")]["ResourceRecords"] == [{"Value": "192.0.2.2"}, {"Value": "192.0.2.3"}]


def test_a_record_somebody_else_made_is_refused_and_nothing_changes(monkeypatch):
    aws = FakeRoute53(monkeypatch)
    aws.put("www.example.com.", "A", ["198.51.100.1"])
    before = copy.deepcopy(aws.sets)
    result = run_main(route53_record_set, args(a(), a("www.example.com")))
    assert isinstance(result, AnsibleFailJson)
    assert "www.example.com. A exists and is not owned by dev-atelier" in result.result["msg"]
    assert aws.change_record_sets.call_count == 0 and aws.sets == before


def test_another_owners_marker_is_refused_even_without_its_record(monkeypatch):
    aws = FakeRoute53(monkeypatch)
    run_main(route53_record_set, args(a(), owner="prod-atelier"))
    del aws.sets[("app.example.com.", "A")]
    result = run_main(route53_record_set, args(a()))
    assert isinstance(result, AnsibleFailJson) and "ownership marker" in result.result["msg"]


def test_another_owners_records_of_the_same_name_and_other_type_are_left_alone(monkeypatch):
    aws = FakeRoute53(monkeypatch)
    aws.put("app.example.com.", "TXT", ['"theirs"'])
    run_main(route53_record_set, args(a()))
    out = run_main(route53_record_set, args(state="absent")).result
    assert out["changed"] is True
    assert aws.names() == ["app.example.com. TXT"]


@pytest.mark.parametrize("purge, left", [
    (True, ["app.example.com. A", "_atelier-owner-a.app.example.com. TXT", "other.example.com. A"]),
    (False, ["api.example.com. A", "app.example.com. A", "_atelier-owner-a.api.example.com. TXT",
             "_atelier-owner-a.app.example.com. TXT", "other.example.com. A"]),
])
def test_purge_deletes_the_owners_unlisted_records_and_markers_only(monkeypatch, purge, left):
    aws = FakeRoute53(monkeypatch)
    aws.put("other.example.com.", "A", ["198.51.100.1"])
    run_main(route53_record_set, args(a(), a("api.example.com")))
    out = run_main(route53_record_set, args(a(), purge=purge)).result
    assert out["changed"] is purge
    assert aws.names() == sorted(left)


def test_a_marker_left_without_its_record_is_purged_or_its_record_made_again(monkeypatch):
    aws = FakeRoute53(monkeypatch)
    run_main(route53_record_set, args(a(), a("api.example.com")))
    del aws.sets[("app.example.com.", "A")]
    del aws.sets[("api.example.com.", "A")]
    out = run_main(route53_record_set, args(a())).result
    assert [(c["action"], c["name"]) for c in out["changes"]] == [
        ("CREATE", "app.example.com."), ("DELETE", "_atelier-owner-a.api.example.com.")]


def test_absent_removes_every_record_of_the_owner_and_nothing_else(monkeypatch):
    aws = FakeRoute53(monkeypatch)
    aws.put("other.example.com.", "A", ["198.51.100.1"])
    run_main(route53_record_set, args(alias(), a("*.example.com")))
    run_main(route53_record_set, args(a("prod.example.com"), owner="prod-atelier"))
    out = run_main(route53_record_set, args(alias(), state="absent")).result
    assert out.get("changed") is True and out["records"] == [], out
    assert aws.names() == ["_atelier-owner-a.prod.example.com. TXT", "other.example.com. A", "prod.example.com. A"]
    assert run_main(route53_record_set, args(state="absent")).result["changed"] is False


def test_check_mode_plans_the_batch_and_sends_nothing(monkeypatch):
    aws = FakeRoute53(monkeypatch)
    run_main(route53_record_set, args(a(), a("api.example.com")))
    before = copy.deepcopy(aws.sets)
    aws.change_record_sets.reset_mock()
    out = run_main(route53_record_set, args(a(values=["192.0.2.9"]), alias("www.example.com"),
                                            _ansible_check_mode=True, _ansible_diff=True)).result
    assert out["changed"] is True and out["msg"].startswith("Would have sent 5 change(s)")
    assert [(c["action"], c["name"], c["type"]) for c in out["changes"]] == [
        ("UPSERT", "app.example.com.", "A"), ("CREATE", "www.example.com.", "A"),
        ("CREATE", "_atelier-owner-a.www.example.com.", "TXT"),
        ("DELETE", "api.example.com.", "A"), ("DELETE", "_atelier-owner-a.api.example.com.", "TXT")]
    assert sorted(out["diff"]["before"]) == ["api.example.com. A", "app.example.com. A"]
    assert sorted(out["diff"]["after"]) == ["app.example.com. A", "www.example.com. A"]
    assert out["diff"]["after"]["app.example.com. A"]["values"] == ["192.0.2.9"]
    assert aws.change_record_sets.call_count == 0 and aws.sets == before


def test_the_zone_by_id_takes_its_name_from_the_listing(monkeypatch):
    aws = FakeRoute53(monkeypatch)
    out = run_main(route53_record_set, args(a(), zone=None, hosted_zone_id=ZONE_ID)).result
    assert out["zone_name"] == "example.com." and aws.zones_named.call_count == 0
    outside = run_main(route53_record_set, args(a("app.example.org"), zone=None, hosted_zone_id=ZONE_ID))
    assert isinstance(outside, AnsibleFailJson) and "outside the zone example.com" in outside.result["msg"]
    assert aws.change_record_sets.call_count == 1


@pytest.mark.parametrize("overrides, fragment", [
    ({"zone": "example.net", "records": []}, "there is no public hosted zone named example.net"),
    ({"private_zone": True}, "there is no private hosted zone named example.com"),
    ({"zone": None, "hosted_zone_id": "ZNOPE"}, "there is no hosted zone ZNOPE"),
])
def test_a_missing_zone_fails_clearly(monkeypatch, overrides, fragment):
    FakeRoute53(monkeypatch)
    result = run_main(route53_record_set, args(a("app.example.com"), **overrides))
    assert isinstance(result, AnsibleFailJson) and fragment in result.result["msg"], result.result


def test_an_aws_refusal_fails_with_its_message(monkeypatch):
    aws = FakeRoute53(monkeypatch)
    aws.change_record_sets.side_effect = AnsibleRoute53Error(message="Failed to change resource record sets")
    result = run_main(route53_record_set, args(a()))
    assert isinstance(result, AnsibleFailJson) and "Failed to change resource record sets" in result.result["msg"]


@pytest.mark.parametrize("records, overrides, fragment", [
    ([a("app.example.org")], {}, "records[0] (app.example.org A): name is outside the zone example.com"),
    ([a("app..example.com")], {}, "name is not a DNS name"),
    ([a("www.*.example.com")], {}, "name is not a DNS name"),
    ([a("_atelier-owner-a.app.example.com")], {}, "are the ownership markers'"),
    ([dict(name="app.example.com", type="A")], {}, "needs values or alias"),
    ([dict(alias(), values=["192.0.2.1"])], {}, "mutually exclusive: values|value|alias"),
    ([dict(name="app.example.com", type="CNAME", alias=ALB)], {}, "an alias is an A or AAAA record"),
    ([dict(alias(), ttl=60)], {}, "an alias has no ttl"),
    ([dict(name="app.example.com", type="CNAME", values=["a.", "b."])], {}, "a CNAME has exactly one value"),
    ([dict(name="example.com", type="CNAME", values=["a."])], {}, "a CNAME cannot be at the zone apex"),
    ([dict(name="example.com", type="TXT", values=["x" * 256])], {}, "at most 255 characters"),
    ([a(ttl=-1)], {}, "ttl must be 0 to"),
    ([a(), a("APP.example.com.")], {}, "records[1] (APP.example.com. A): listed twice (also records[0])"),
    ([a()], {"owner": "dev atelier"}, "owner: 'dev atelier' must be"),
    ([a()], {"owner": 'x",owner=y'}, "owner: "),
])
def test_bad_input_fails_before_any_call(monkeypatch, records, overrides, fragment):
    aws = FakeRoute53(monkeypatch)
    result = run_main(route53_record_set, args(*records, **overrides))
    assert isinstance(result, AnsibleFailJson)
    assert fragment in result.result["msg"], result.result["msg"]
    assert aws.zones_named.call_count == 0 and aws.list_record_sets.call_count == 0


def test_marker_names_round_trip():
    for name, record_type in [("app.example.com", "A"), ("*.example.com", "AAAA"), ("_x.example.com", "CNAME")]:
        marker = route53.normal(route53.marker_name(name, record_type))
        assert route53.marked((marker, "TXT")) == (name, record_type)
    assert route53.marked(("_atelier-owner-mx.example.com", "TXT")) is None
    assert route53.marked(("_atelier-owner-a.example.com", "CNAME")) is None
    assert route53.normal("\\052.Example.COM.") == "*.example.com"
