# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""plugins/module_utils/dns_zone.py against a fake Route 53 client that answers as AWS does: a CallerReference used
already is refused with HostedZoneAlreadyExists, and a create can lose its answer (the zone is made, the client sees
only the refusal of botocore's retry of the same request)."""

import pytest
from botocore.exceptions import ClientError

from ansible_collections.atelier.infra.plugins.module_utils import dns_zone
from ansible_collections.atelier.infra.plugins.module_utils.route53 import AnsibleRoute53Error

COMMENT = "The domains of dev-atelier (created by atelier.infra.dns)"
OWNER = {"atelier:env": "dev", "atelier:stack": "atelier", "atelier:created-by": "atelier.infra.dns"}
TAGS = {"Name": "example.com", "team": "web"}
MUTATING = ("create_hosted_zone", "change_tags_for_resource", "delete_hosted_zone")


def _error(code, operation):
    return ClientError({"Error": {"Code": code, "Message": code}}, operation)


class FakeRoute53:
    def __init__(self):
        self.zones, self.tags, self.records, self.calls, self.lose_next_create = {}, {}, {}, [], False

    def add(self, name, comment="", tags=None, private=False, records=()):
        zone_id = f"Z{len(self.zones) + 1:020d}"
        self.zones[zone_id] = {"Id": f"/hostedzone/{zone_id}", "Name": name + ".", "CallerReference": f"manual-{zone_id}",
                               "Config": {"Comment": comment, "PrivateZone": private}}
        self.tags[zone_id] = dict(tags or {})
        self.records[zone_id] = [{"Name": name + ".", "Type": "NS"}, {"Name": name + ".", "Type": "SOA"}, *records]
        return zone_id

    def mutations(self):
        return [c for c in self.calls if c[0] in MUTATING]

    def list_hosted_zones_by_name(self, DNSName, MaxItems):
        self.calls.append(("list_hosted_zones_by_name", DNSName))
        return {"HostedZones": sorted(self.zones.values(), key=lambda z: z["Name"])}

    def list_tags_for_resource(self, ResourceType, ResourceId):
        return {"ResourceTagSet": {"Tags": [{"Key": k, "Value": v} for k, v in self.tags[ResourceId].items()]}}

    def change_tags_for_resource(self, ResourceType, ResourceId, AddTags):
        self.calls.append(("change_tags_for_resource", ResourceId))
        self.tags[ResourceId].update({t["Key"]: t["Value"] for t in AddTags})

    def create_hosted_zone(self, Name, CallerReference, HostedZoneConfig):
        self.calls.append(("create_hosted_zone", CallerReference))
        if any(z["CallerReference"] == CallerReference for z in self.zones.values()):
            raise _error("HostedZoneAlreadyExists", "CreateHostedZone")
        zone_id = self.add(Name.rstrip("."), HostedZoneConfig["Comment"], private=HostedZoneConfig["PrivateZone"])
        self.zones[zone_id]["CallerReference"] = CallerReference
        if self.lose_next_create:
            # The answer is lost; botocore sends the same request again, which AWS refuses.
            self.lose_next_create = False
            return self.create_hosted_zone(Name, CallerReference, HostedZoneConfig)
        return {"HostedZone": self.zones[zone_id]}

    def get_paginator(self, name):
        fake = self

        class Paginator:
            def paginate(self, HostedZoneId):
                class Pages:
                    def build_full_result(self):
                        if HostedZoneId not in fake.zones:
                            raise _error("NoSuchHostedZone", "ListResourceRecordSets")
                        return {"ResourceRecordSets": list(fake.records[HostedZoneId])}
                return Pages()
        return Paginator()

    def delete_hosted_zone(self, Id):
        self.calls.append(("delete_hosted_zone", Id))
        del self.zones[Id]


@pytest.fixture(name="route53")
def fixture_route53():
    return FakeRoute53()


def converge(route53, check=False, name="example.com"):
    return dns_zone.converge(route53, name, COMMENT, TAGS, OWNER, check, now=1700000000.123)


def test_a_missing_zone_is_created_tagged_as_the_callers_and_a_second_run_changes_nothing(route53):
    planned = converge(route53, check=True)
    assert planned["changed"] and planned["actions"] == ["create route53 hosted zone example.com"]
    assert route53.mutations() == []

    made = converge(route53)
    assert (made["changed"], made["status"]) == (True, "created")
    zone = route53.zones[made["zone_id"]]
    assert zone["Config"] == {"Comment": COMMENT, "PrivateZone": False} and zone["Name"] == "example.com."
    assert zone["CallerReference"] == "atelier.infra.dns example.com 1700000000123"
    assert route53.tags[made["zone_id"]] == dict(TAGS, **OWNER)

    route53.calls.clear()
    again = converge(route53)
    assert (again["changed"], again["status"], again["zone_id"], again["actions"]) == (False, "owned", made["zone_id"], [])
    assert route53.mutations() == []


def test_a_lost_create_answer_makes_one_zone_found_by_its_reference_and_tagged(route53):
    route53.lose_next_create = True
    made = converge(route53)
    assert (made["changed"], made["status"]) == (True, "created")
    assert len(route53.zones) == 1 and route53.tags[made["zone_id"]] == dict(TAGS, **OWNER)
    assert [c[0] for c in route53.mutations()] == ["create_hosted_zone", "create_hosted_zone", "change_tags_for_resource"]


def test_a_refused_reference_of_another_zone_fails_instead_of_tagging_a_zone_not_made(route53):
    route53.add("other.com", "x", {"owner": "someone"})
    route53.zones[next(iter(route53.zones))]["CallerReference"] = "atelier.infra.dns example.com 1700000000123"
    with pytest.raises(AnsibleRoute53Error):
        converge(route53)
    assert [c[0] for c in route53.mutations()] == ["create_hosted_zone"]


def test_an_untagged_zone_with_the_stacks_comment_is_adopted_and_then_owned(route53):
    zone_id = route53.add("example.com", COMMENT)
    assert converge(route53, check=True)["actions"] == ["update route53 hosted zone example.com: tags"]
    assert route53.mutations() == []
    adopted = converge(route53)
    assert (adopted["changed"], adopted["status"], adopted["zone_id"]) == (True, "adopted", zone_id)
    assert route53.tags[zone_id] == dict(TAGS, **OWNER) and len(route53.zones) == 1
    assert converge(route53)["status"] == "owned"


@pytest.mark.parametrize("comment, tags", [
    ("", {}),                                                   # the user's zone, made by hand
    ("my zone", {}),
    (COMMENT, {"atelier:env": "dev", "atelier:stack": "other"}),  # another stack's
    ("", {"atelier:env": "dev", "atelier:stack": "atelier"}),   # tagged by hand for cost allocation, no created-by
])
def test_a_zone_of_somebody_else_is_never_changed_nor_deleted(route53, comment, tags):
    zone_id = route53.add("example.com", comment, tags)
    found = converge(route53)
    assert (found["changed"], found["status"], found["zone_id"]) == (False, "foreign", zone_id)
    assert dns_zone.remove(route53, "example.com", COMMENT, OWNER, False)["status"] == "absent"
    assert route53.mutations() == [] and route53.tags[zone_id] == tags


def test_a_private_zone_of_the_name_does_not_count(route53):
    route53.add("example.com", COMMENT, private=True)
    assert converge(route53)["status"] == "created"
    assert len(route53.zones) == 2


def test_two_zones_of_the_stack_fail_with_their_ids(route53):
    first = route53.add("example.com", COMMENT)
    second = route53.add("example.com", "", OWNER)
    with pytest.raises(dns_zone.ZoneError, match="2 public hosted zones named example.com are this stack's") as raised:
        converge(route53)
    assert first in str(raised.value) and second in str(raised.value)
    assert route53.mutations() == []


def test_the_stacks_zone_is_deleted_when_empty_and_kept_with_other_records(route53):
    empty = route53.add("a.example.com", "", dict(OWNER, Name="a.example.com"))
    untagged = route53.add("b.example.com", COMMENT)
    held = route53.add("c.example.com", "", OWNER, records=[{"Name": "www.c.example.com.", "Type": "A"},
                                                            {"Name": "sub.c.example.com.", "Type": "NS"}])
    planned = dns_zone.remove(route53, "a.example.com", COMMENT, OWNER, True)
    assert (planned["changed"], planned["actions"]) == (True, ["delete route53 hosted zone a.example.com"])
    assert route53.mutations() == []

    assert dns_zone.remove(route53, "a.example.com", COMMENT, OWNER, False)["status"] == "deleted"
    assert dns_zone.remove(route53, "b.example.com", COMMENT, OWNER, False)["status"] == "deleted"
    kept = dns_zone.remove(route53, "c.example.com", COMMENT, OWNER, False)
    assert (kept["changed"], kept["status"]) == (False, "kept")
    assert kept["kept"] == [f"hosted zone c.example.com ({held}), created by the stack: holds sub.c.example.com NS, "
                            "www.c.example.com A, kept"]
    assert set(route53.zones) == {held} and {empty, untagged}.isdisjoint(route53.zones)
    assert dns_zone.remove(route53, "a.example.com", COMMENT, OWNER, False)["status"] == "absent"


def test_the_caller_reference_stays_within_128_characters():
    name = ".".join(["a" * 63] * 3) + ".com"
    reference = dns_zone.caller_reference(name, now=1.0)
    assert len(reference) <= 128 and reference.endswith(" 1000") and reference.startswith("atelier.infra.dns aaa")
