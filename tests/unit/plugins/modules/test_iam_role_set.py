"""atelier.infra.iam_role_set: a role converged whole in one run, only what differs is called, never in check mode."""

import copy

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import iam_roles
from ansible_collections.atelier.infra.plugins.modules import iam_role_set as module
from tests.unit.plugins.modules.utils import AnsibleExitJson, AnsibleFailJson, run_main

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}
SSM = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"


class FakeIAM:
    """The IAM API of one account, as far as the module uses it (boto3's shapes)."""

    def __init__(self, roles=None, profiles=None):
        self.roles = roles or {}
        self.profiles = profiles or {}
        self.calls = []
        self.reads = []

    def _missing(self, name):
        from botocore.exceptions import ClientError
        return ClientError({"Error": {"Code": "NoSuchEntity", "Message": f"{name} not found"}}, "op")

    def _role(self, name):
        if name not in self.roles:
            raise self._missing(name)
        return self.roles[name]

    def get_role(self, RoleName):
        r = self._role(RoleName)
        return {"Role": {"Arn": f"arn:aws:iam::1:role/{RoleName}", "RoleId": "AROA1", "Path": "/",
                         "AssumeRolePolicyDocument": r["trust"], "Description": r.get("description", ""),
                         "MaxSessionDuration": 3600, "Tags": [{"Key": k, "Value": v} for k, v in r["tags"].items()]}}

    def get_paginator(self, operation):
        fake = self

        class Pages:
            def paginate(self, RoleName):
                fake.reads.append((operation, RoleName))
                r = fake._role(RoleName)
                pages = {
                    "list_attached_role_policies": {"AttachedPolicies": [{"PolicyArn": a} for a in r["managed"]]},
                    "list_role_policies": {"PolicyNames": list(r["inline"])},
                    "list_instance_profiles_for_role": {"InstanceProfiles": [
                        {"InstanceProfileName": p} for p, roles in fake.profiles.items() if RoleName in roles]},
                }
                return type("Result", (), {"build_full_result": lambda _self: pages[operation]})()
        return Pages()

    def get_role_policy(self, RoleName, PolicyName):
        return {"PolicyDocument": self._role(RoleName)["inline"][PolicyName]}

    def get_instance_profile(self, InstanceProfileName):
        if InstanceProfileName not in self.profiles:
            raise self._missing(InstanceProfileName)
        return {"InstanceProfile": {"Roles": [{"RoleName": r} for r in self.profiles[InstanceProfileName]]}}

    def __getattr__(self, operation):
        def record(**kwargs):
            self.calls.append((operation, kwargs))
            if operation == "create_role":
                self.roles[kwargs["RoleName"]] = {"trust": TRUST, "tags": {}, "managed": [], "inline": {}}
                return {"Role": {"Arn": f"arn:aws:iam::1:role/{kwargs['RoleName']}", "RoleId": "AROA2"}}
            return {}
        return record


def existing():
    return {"web": {"trust": copy.deepcopy(TRUST), "description": "d", "tags": {"a": "b"}, "managed": [SSM],
                    "inline": {"tier-access": copy.deepcopy(POLICY)}}}


def wanted(**changes):
    role = {"name": "web", "description": "d", "trust_policy": TRUST, "managed_policies": [SSM],
            "inline_policies": {"tier-access": POLICY}, "instance_profile": True, "tags": {"a": "b"}}
    role.update(changes)
    return role


@pytest.fixture()
def iam(monkeypatch):
    fake = FakeIAM(existing(), {"web": ["web"]})
    monkeypatch.setattr(module.AnsibleAWSModule, "client", lambda self, service, **kw: fake)
    return fake


def _run(roles, check=False):
    args = {"roles": roles, "region": "us-east-1"}
    if check:
        args["_ansible_check_mode"] = True
    return run_main(module, args)


def test_a_converged_role_makes_no_call_and_reports_no_change(iam):
    result = _run([wanted()])
    assert isinstance(result, AnsibleExitJson), result.result
    assert not result.result["changed"] and iam.calls == [] and result.result["actions"] == []
    assert result.result["roles"][0]["arn"] == "arn:aws:iam::1:role/web"


def test_only_what_differs_is_called(iam):
    other = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}
    iam.roles["web"]["inline"]["stale"] = other
    result = _run([wanted(tags={"a": "c"}, inline_policies={"tier-access": other})])
    assert [c[0] for c in iam.calls] == ["tag_role", "put_role_policy", "delete_role_policy"]
    assert result.result["actions"] == ["update iam role web: tags", "update iam role web: policy tier-access",
                                        "update iam role web: remove policy stale"]


def test_a_trust_policy_changed_behind_our_back_is_put_back(iam):
    iam.roles["web"]["trust"] = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                                                                          "Action": "sts:AssumeRole"}]}
    _run([wanted()])
    assert [c[0] for c in iam.calls] == ["update_assume_role_policy"]


def test_check_mode_calls_nothing_that_changes(iam):
    result = _run([wanted(managed_policies=[]), {"name": "new", "trust_policy": TRUST, "instance_profile": True}], check=True)
    assert result.result["changed"] and iam.calls == []
    assert result.result["actions"] == [f"update iam role web: detach {SSM}", "create iam role new",
                                        "update iam role new: instance profile"]
    assert result.result["roles"][1]["arn"] == ""


def test_a_new_role_is_created_with_its_profile_and_policies(iam):
    result = _run([{"name": "new", "trust_policy": TRUST, "managed_policies": [SSM], "instance_profile": True,
                    "inline_policies": {"p": POLICY}, "tags": {"k": 1}}])
    assert [c[0] for c in iam.calls] == ["create_role", "attach_role_policy", "put_role_policy",
                                         "create_instance_profile", "add_role_to_instance_profile"]
    assert iam.calls[0][1]["Tags"] == [{"Key": "k", "Value": "1"}]
    assert result.result["roles"][0]["arn"] == "arn:aws:iam::1:role/new"


def test_absent_removes_what_the_role_holds_then_the_role(iam):
    result = _run([{"name": "web", "state": "absent"}])
    assert [c[0] for c in iam.calls] == ["detach_role_policy", "delete_role_policy",
                                         "remove_role_from_instance_profile", "delete_instance_profile", "delete_role"]
    assert result.result["changed"]


def test_absent_of_a_missing_role_deletes_its_empty_profile_only_when_asked(iam):
    iam.roles.clear()
    iam.profiles["web"] = []
    assert not _run([{"name": "web", "state": "absent"}]).result["changed"] and iam.calls == []
    _run([{"name": "web", "state": "absent", "instance_profile": True}])
    assert [c[0] for c in iam.calls] == ["delete_instance_profile"]


def _profile_reads(fake):
    return [name for operation, name in fake.reads if operation == "list_instance_profiles_for_role"]


def test_a_present_role_lists_its_instance_profiles_only_with_instance_profile(iam):
    result = _run([wanted(instance_profile=False)])
    assert isinstance(result, AnsibleExitJson) and not result.result["changed"] and iam.calls == []
    assert _profile_reads(iam) == [] and [op for op, _name in iam.reads] == ["list_attached_role_policies", "list_role_policies"]

    iam.reads.clear()
    result = _run([wanted(instance_profile=True)])
    assert isinstance(result, AnsibleExitJson) and not result.result["changed"] and iam.calls == []
    assert _profile_reads(iam) == ["web"]

    # Not listing them does not lose the drift that matters: a role out of its profile is put back.
    iam.reads.clear()
    iam.profiles["web"] = []
    result = _run([wanted(instance_profile=True)])
    assert _profile_reads(iam) == ["web"] and [c[0] for c in iam.calls] == ["add_role_to_instance_profile"]


def test_without_instance_profile_the_diff_shows_no_profiles_and_no_change(iam):
    result = _run_args({"roles": [wanted(instance_profile=False)], "_ansible_diff": True})
    before, after = result.result["diff"]["before"]["web"], result.result["diff"]["after"]["web"]
    assert "instance_profiles" not in before and "instance_profiles" not in after
    assert before == after and not result.result["changed"] and iam.calls == []

    result = _run_args({"roles": [wanted(instance_profile=True)], "_ansible_diff": True})
    before, after = result.result["diff"]["before"]["web"], result.result["diff"]["after"]["web"]
    assert before["instance_profiles"] == after["instance_profiles"] == ["web"] and before == after


def test_a_role_to_remove_still_lists_its_instance_profiles(iam):
    result = _run([{"name": "web", "state": "absent", "instance_profile": False}], check=True)
    assert _profile_reads(iam) == ["web"]
    assert "update iam role web: leave instance profile web" in result.result["actions"]


@pytest.mark.parametrize("role, message", [
    ({"name": "x"}, "trust_policy is required"),
    ({"name": "x", "trust_policy": TRUST, "max_session_duration": 60}, "3600 to 43200"),
    ({"name": "x", "trust_policy": TRUST, "inline_policies": {"p": {"Version": "2012-10-17"}}}, "with a Statement"),
])
def test_bad_input_fails_before_any_call(iam, role, message):
    result = _run([role])
    assert isinstance(result, AnsibleFailJson) and message in result.result["msg"] and iam.calls == []


def test_a_role_given_twice_fails(iam):
    result = _run([wanted(), wanted()])
    assert isinstance(result, AnsibleFailJson) and "given twice" in result.result["msg"]


def test_a_lost_create_answer_adopts_the_role():
    from botocore.exceptions import ClientError

    class Lost(FakeIAM):
        def create_role(self, **kwargs):
            self.roles[kwargs["RoleName"]] = {"trust": TRUST, "tags": {}, "managed": [], "inline": {}}
            raise ClientError({"Error": {"Code": "EntityAlreadyExists", "Message": "exists"}}, "CreateRole")

    fake = Lost()
    created = iam_roles.create_role(fake, "new", dict(wanted(name="new"), path="/", max_session_duration=3600,
                                                      permissions_boundary=""))
    assert created["Arn"] == "arn:aws:iam::1:role/new"


def test_common_tags_and_removals_by_name(iam):
    result = _run_args({"roles": [wanted(tags={})], "tags": {"a": "b"}, "remove": ["gone", "web2"]})
    assert isinstance(result, AnsibleExitJson) and iam.calls == [], result.result
    iam.roles["web2"] = existing()["web"]
    result = _run_args({"roles": [wanted(tags={})], "tags": {"a": "c"}, "remove": ["web2"]})
    assert [c[0] for c in iam.calls] == ["tag_role", "detach_role_policy", "delete_role_policy", "delete_role"]


def _run_args(args):
    return run_main(module, dict(args, region="us-east-1"))
