"""Auto Scaling instance refreshes: StartInstanceRefresh, DescribeInstanceRefreshes, CancelInstanceRefresh.

AWS: ``StartInstanceRefresh`` (``AutoScalingGroupName``, ``Strategy`` ``Rolling`` by default, ``DesiredConfiguration``
``{LaunchTemplate | MixedInstancesPolicy}``, ``Preferences``) answers ``InstanceRefreshId`` and replaces the group's
instances in the background: each old instance is terminated and a new one launched from the desired configuration,
or, without one, from the group's own launch template. The refresh is ``Pending``, then ``InProgress`` (with
``PercentageComplete`` rising and ``InstancesToUpdate``, the instances still to replace, falling), then
``Successful`` (100 %, 0 to update, ``EndTime``); after a successful refresh with a desired configuration the group
itself uses that configuration. ``Preferences.SkipMatching`` keeps the instances already on the desired launch
template and version (without a desired configuration: on the group's template and version at the start).
Instances protected from scale in are replaced (``ScaleInProtectedInstances: Refresh``), skipped (``Ignore``) or
waited for (``Wait``, the default for the API: the refresh fails if they stay protected). One refresh per group at a
time: a Start while one is Pending, InProgress or Cancelling is ``InstanceRefreshInProgress`` (HTTP 400, "An Instance
Refresh is already in progress and blocks the execution of this Instance Refresh.", as AWS answers it, quoted in
KentaaNL/capistrano-asg-rolling spec/support/stubs/StartInstanceRefresh.InProgress.xml). ``CancelInstanceRefresh``
stops the active refresh without undoing replacements (``Cancelling``, then ``Cancelled``) and answers its id, or
``ActiveInstanceRefreshNotFound`` (HTTP 400) when none is active. ``DescribeInstanceRefreshes`` lists the group's
refreshes newest first, filtered by ``InstanceRefreshIds``, paged by ``MaxRecords`` (default 50) / ``NextToken``, with
``Preferences`` as stored, defaults filled in: ``MinHealthyPercentage`` 90, ``SkipMatching`` false, ``AutoRollback``
false, ``ScaleInProtectedInstances`` and ``StandbyInstances`` ``Wait``, ``CheckpointDelay`` 3600 when checkpoints are
given (the "default values for an instance refresh" page, AWS CLI/SDK column); ``MaxHealthyPercentage`` and
``InstanceWarmup`` stay absent when not given (their defaults come from the group).

moto 5.2.5: ``AutoScalingResponse`` (moto/autoscaling/responses.py) has none of the three operations: each call
answers HTTP 500 (``NotImplementedError`` from ``BaseResponse.call_action``), so amazon.aws
``autoscaling_instance_refresh`` and ``autoscaling_instance_refresh_info`` fail.

What this addition does
-----------------------
* Adds ``start_instance_refresh``, ``describe_instance_refreshes`` and ``cancel_instance_refresh`` to
  ``AutoScalingResponse``; the refreshes live on moto's ``FakeAutoScalingGroup`` (``_atelier_instance_refreshes``),
  so they go with the group (and with ``/moto-api/reset``).
* Time: lazily, at the start of every Auto Scaling and EC2 request of the group's region (no threads), from
  timestamps and ``ATELIER_EMULATOR_INSTANCE_REFRESH_DELAY`` (seconds, default 2.0, see ``emulator.knobs``): the
  first fifth of the delay Pending, the rest InProgress with the instances replaced in proportion to the time gone,
  Successful at the end of the delay. A status never goes back (raising the delay slows a refresh down, lowering it
  finishes it at the next request). Cancel settles the refresh, then makes it Cancelled at once (with its
  ``EndTime``): replacements are applied whole at each request, so there is nothing in flight to wait for and
  ``Cancelling`` is never seen.
* Replacement with moto's own machinery: the old ``InstanceState`` leaves the group, its EC2 instance is terminated
  (``EC2Backend.terminate_instances``), ``FakeAutoScalingGroup.replace_autoscaling_group_instances`` launches the new
  one (for a desired configuration, with the group's launch template and version swapped for the desired ones
  during the call), then classic load balancers and target groups are updated (the old instance deregistered).
  The instances to replace are fixed at the start: InService instances, minus the matching ones with SkipMatching
  (an instance's template and version are its ``aws:ec2launchtemplate:id`` / ``aws:ec2launchtemplate:version``
  tags, which ``autoscaling_instance_launch_template_version`` makes right for instances an older version
  launched), minus the protected ones with ``ScaleInProtectedInstances: Ignore``. Instances that leave the group or
  InService meanwhile count as done. Protected ones with ``Wait`` are replaced once unprotected; still protected at
  the end, the refresh is Failed (``StatusReason`` ours). A desired ``$Latest``/``$Default`` version is resolved at
  the start; without a desired configuration the group's configuration at each launch is used (AWS picks up changes
  made mid-refresh, hashicorp/terraform-provider-aws#13791).
* On Successful with a desired configuration, the group takes it (``LaunchTemplate`` as given, or the
  ``MixedInstancesPolicy``), as AWS does.
* ``PercentageComplete`` is the share of the instances to replace that are done (100 once Successful),
  ``InstancesToUpdate`` those left; ``ProgressDetails.LivePoolProgress`` repeats both (plus an empty
  ``WarmPoolProgress`` for a group with a warm pool).

Not emulated (stored and returned only): checkpoints (``CheckpointPercentages``/``CheckpointDelay``: no pauses),
``InstanceWarmup``, ``MinHealthyPercentage``/``MaxHealthyPercentage`` batch sizes, ``BakeTime`` (no ``Baking``),
``AutoRollback`` and ``AlarmSpecification`` (nothing rolls back), ``StandbyInstances`` (Standby instances are left
alone, as with ``Ignore``). ``Strategy: ReplaceRootVolume`` is refused (ValidationError, ours).
``RollbackInstanceRefresh`` is not added: it still answers HTTP 500.

Errors (code, message; "ours" marks a message we could not find verbatim and wrote in AWS's style): unknown group:
ValidationError "AutoScalingGroup name not found - AutoScalingGroup '<name>' not found" (moto's DeleteAutoScalingGroup
wording; ours for these operations); a second Start: InstanceRefreshInProgress (AWS's text above); Cancel without an
active refresh: ActiveInstanceRefreshNotFound "No in progress or pending Instance Refresh found for Auto Scaling
group <name>" (the start as quoted by client code handling it; the group part ours); a desired launch template that
names both or neither of id and name: ValidationError "Valid requests must contain either launchTemplateId or
LaunchTemplateName" (moto's CreateAutoScalingGroup wording); an unknown desired template or version, ``CheckpointDelay``
without ``CheckpointPercentages``, ``MaxHealthyPercentage`` without ``MinHealthyPercentage`` or more than 100 above
it: ValidationError, ours; a bad ``NextToken``: InvalidNextToken, ours.

References: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html
            https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeInstanceRefreshes.html
            https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CancelInstanceRefresh.html
            https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_InstanceRefresh.html
            https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
            https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DesiredConfiguration.html
            https://docs.aws.amazon.com/autoscaling/ec2/userguide/understand-instance-refresh-default-values.html
            https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-instance-refresh-skip-matching.html
"""

import contextlib
import copy
import math
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from moto.autoscaling.exceptions import AutoscalingClientError, ValidationError
from moto.autoscaling.models import AutoScalingBackend, FakeAutoScalingGroup, autoscaling_backends
from moto.autoscaling.responses import AutoScalingResponse
from moto.core.responses import ActionResult
from moto.ec2.models.launch_templates import LaunchTemplate
from moto.ec2.responses import EC2Response
from moto.elbv2.exceptions import TargetGroupNotFoundError

from emulator import knobs

DELAY = "ATELIER_EMULATOR_INSTANCE_REFRESH_DELAY"
PENDING_SHARE = 0.2  # the first fifth of the delay is Pending
ACTIVE = ("Pending", "InProgress", "Cancelling")
TEMPLATE_ID_TAG = "aws:ec2launchtemplate:id"
TEMPLATE_VERSION_TAG = "aws:ec2launchtemplate:version"
DEFAULT_PREFERENCES = {
    "MinHealthyPercentage": 90,
    "SkipMatching": False,
    "AutoRollback": False,
    "ScaleInProtectedInstances": "Wait",
    "StandbyInstances": "Wait",
}
DEFAULT_CHECKPOINT_DELAY = 3600
ATTRIBUTE = "_atelier_instance_refreshes"

_LOCK = threading.RLock()
_originals: dict = {}


class InstanceRefreshInProgress(AutoscalingClientError):
    code = "InstanceRefreshInProgress"
    message = "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh."


class ActiveInstanceRefreshNotFound(AutoscalingClientError):
    code = "ActiveInstanceRefreshNotFound"

    def __init__(self, group_name: str):
        super().__init__(f"No in progress or pending Instance Refresh found for Auto Scaling group {group_name}")


class InvalidNextToken(AutoscalingClientError):
    code = "InvalidNextToken"

    def __init__(self, token: str):
        super().__init__(f"The token '{token}' is invalid.")


class _Target:
    """The launch template and version (a number, resolved at the start) a refresh launches from."""

    def __init__(self, template: LaunchTemplate, version: str):
        self.template = template
        self.version = version


class _Refresh:
    """One instance refresh of a group: plain data, settled from timestamps."""

    def __init__(
        self,
        group_name: str,
        strategy: str,
        preferences: dict,
        desired: dict | None,
        target: _Target | None,
        to_replace: list[str],
    ):
        self.id = str(uuid.uuid4())
        self.group_name = group_name
        self.strategy = strategy
        self.preferences = preferences
        self.desired = desired
        self.target = target
        self.remaining = list(to_replace)
        self.total = len(to_replace)
        self.done = 0
        self.status = "Pending"
        self.status_reason: str | None = None
        self.started_at = time.time()
        self.ended_at: float | None = None


def _refreshes(group: FakeAutoScalingGroup) -> list[_Refresh]:
    return group.__dict__.setdefault(ATTRIBUTE, [])


def _active(group: FakeAutoScalingGroup) -> _Refresh | None:
    return next((refresh for refresh in getattr(group, ATTRIBUTE, []) if refresh.status in ACTIVE), None)


def _group(backend: AutoScalingBackend, group_name: str) -> FakeAutoScalingGroup:
    group = backend.autoscaling_groups.get(group_name)
    if group is None:
        raise ValidationError(f"AutoScalingGroup name not found - AutoScalingGroup '{group_name}' not found")
    return group


def _resolve_version(template: LaunchTemplate, version: str | None) -> str | None:
    """A launch template version as its number, or None if the template has no such version."""
    version = str(version or "$Default")
    if version.lower() == "$latest":
        return str(template.latest_version_number)
    if version.lower() == "$default":
        return str(template.default_version_number)
    if version.isdigit() and 1 <= int(version) <= len(template.versions):
        return str(int(version))
    return None


def _instance_template(instance) -> tuple[str | None, str | None]:
    """The launch template id and version an EC2 instance was launched from (moto tags it as AWS does)."""
    tags = instance.ec2_backend.tags.get(instance.id, {})
    return tags.get(TEMPLATE_ID_TAG), tags.get(TEMPLATE_VERSION_TAG)


def _preferences(given: dict) -> dict:
    preferences = {key: value for key, value in given.items() if value not in (None, [], {})}
    if "MaxHealthyPercentage" in preferences:
        if "MinHealthyPercentage" not in preferences:
            raise ValidationError("You must specify MinHealthyPercentage when you specify MaxHealthyPercentage.")
        if int(preferences["MaxHealthyPercentage"]) - int(preferences["MinHealthyPercentage"]) > 100:
            raise ValidationError(
                "The difference between MaxHealthyPercentage and MinHealthyPercentage cannot be greater than 100."
            )
    if "CheckpointDelay" in preferences and "CheckpointPercentages" not in preferences:
        raise ValidationError("You must specify CheckpointPercentages when you specify CheckpointDelay.")
    if "CheckpointPercentages" in preferences:
        preferences.setdefault("CheckpointDelay", DEFAULT_CHECKPOINT_DELAY)
    return {**DEFAULT_PREFERENCES, **preferences}


def _desired_target(group: FakeAutoScalingGroup, desired: dict | None) -> _Target | None:
    if not desired:
        return None
    if desired.get("LaunchTemplate"):
        specification = desired["LaunchTemplate"]
    else:
        policy_template = (desired.get("MixedInstancesPolicy") or {}).get("LaunchTemplate") or {}
        specification = policy_template.get("LaunchTemplateSpecification")
        if not specification:
            raise ValidationError("DesiredConfiguration must contain a LaunchTemplate or a MixedInstancesPolicy.")
    template_id, template_name = specification.get("LaunchTemplateId"), specification.get("LaunchTemplateName")
    if bool(template_id) == bool(template_name):
        raise ValidationError("Valid requests must contain either launchTemplateId or LaunchTemplateName")
    ec2_backend = group.autoscaling_backend.ec2_backend
    template_id = template_id or ec2_backend.launch_template_name_to_ids.get(template_name)
    template = ec2_backend.launch_templates.get(template_id) if template_id else None
    if template is None:
        raise ValidationError(
            f"The launch template {template_name or specification['LaunchTemplateId']} does not exist."
        )
    version = _resolve_version(template, specification.get("Version"))
    if version is None:
        raise ValidationError(
            f"The launch template version {specification.get('Version')} does not exist for launch template "
            f"{template.id}."
        )
    return _Target(template, version)


def _matching(group: FakeAutoScalingGroup, target: _Target | None) -> tuple[str, str] | None:
    """The (template id, version) an instance must have to be skipped with SkipMatching."""
    if target is not None:
        return target.template.id, target.version
    if group.ec2_launch_template is None:
        return None  # a launch configuration: no instance matches
    template = group.ec2_launch_template
    return template.id, _resolve_version(template, group.launch_template_version)


@contextlib.contextmanager
def _launching_from(group: FakeAutoScalingGroup, target: _Target | None) -> Iterator[None]:
    """Let moto's group launch from the refresh's desired template and version for the duration."""
    if target is None:
        yield
        return
    saved = {
        name: getattr(group, name, None)
        for name in (
            "ec2_launch_template",
            "launch_template_version",
            "provided_launch_template_version",
            "launch_config",
        )
    }
    group.ec2_launch_template = target.template
    group.launch_template_version = target.version
    group.provided_launch_template_version = target.version
    group.launch_config = None
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(group, name, value)


def _replace(group: FakeAutoScalingGroup, target: _Target | None, instance_ids: list[str]) -> None:
    """Terminate instance_ids and launch as many instances in their place, with moto's own machinery."""
    backend = group.autoscaling_backend
    leaving = set(instance_ids)
    group.instance_states = [state for state in group.instance_states if state.instance.id not in leaving]
    backend.ec2_backend.terminate_instances(instance_ids)
    with _launching_from(group, target):
        group.replace_autoscaling_group_instances(len(instance_ids), group.get_propagated_tags())
    for arn in group.target_group_arns:
        try:
            backend.elbv2_backend.deregister_targets(arn, [{"Id": instance_id} for instance_id in instance_ids])
        except TargetGroupNotFoundError:
            pass
    backend.update_attached_elbs(group.name)
    try:
        backend.update_attached_target_groups(group.name)
    except TargetGroupNotFoundError:
        pass


def _adopt_desired_configuration(group: FakeAutoScalingGroup, desired: dict | None) -> None:
    """After a successful refresh the group uses its desired configuration."""
    if not desired:
        return
    if group.launch_config is not None:
        group.launch_config = None
        group.launch_configuration_name = None
    if desired.get("LaunchTemplate"):
        group.mixed_instances_policy = None
        group._set_launch_configuration(None, copy.deepcopy(desired["LaunchTemplate"]), None)
    else:
        group.mixed_instances_policy = copy.deepcopy(desired["MixedInstancesPolicy"])
        group._set_launch_configuration(None, {}, group.mixed_instances_policy)


def _advance(group: FakeAutoScalingGroup, refresh: _Refresh, wanted: int) -> None:
    """Replace instances until `wanted` of the refresh's instances are done (protected ones may have to wait)."""
    states = {state.instance.id: state for state in group.instance_states}
    protected_rule = refresh.preferences["ScaleInProtectedInstances"]
    batch = []
    for instance_id in list(refresh.remaining):
        state = states.get(instance_id)
        gone = state is None or state.lifecycle_state != "InService"
        if gone or (state.protected_from_scale_in and protected_rule == "Ignore"):
            refresh.remaining.remove(instance_id)
            refresh.done += 1
        elif refresh.done + len(batch) < wanted and not (state.protected_from_scale_in and protected_rule == "Wait"):
            batch.append(instance_id)
    if batch:
        _replace(group, refresh.target, batch)
        for instance_id in batch:
            refresh.remaining.remove(instance_id)
        refresh.done += len(batch)


def _settle(group: FakeAutoScalingGroup) -> None:
    """Move the group's active refresh on to where the time gone says it is."""
    refresh = _active(group)
    if refresh is None:
        return
    delay = knobs.get_float(DELAY)
    now = time.time()
    elapsed = now - refresh.started_at
    pending = delay * PENDING_SHARE
    if refresh.status == "Pending" and elapsed < pending:
        return
    refresh.status = "InProgress"
    fraction = 1.0 if elapsed >= delay else max(0.0, (elapsed - pending) / (delay - pending))
    _advance(group, refresh, refresh.total if fraction >= 1 else math.floor(refresh.total * fraction))
    if fraction < 1:
        return
    refresh.ended_at = min(now, refresh.started_at + delay)
    if refresh.remaining:
        refresh.status = "Failed"
        refresh.status_reason = (
            f"Instances protected from scale in were not replaced ({', '.join(refresh.remaining)}) "
            "and ScaleInProtectedInstances is Wait."
        )
        return
    refresh.status = "Successful"
    _adopt_desired_configuration(group, refresh.desired)


def _settle_backend(backend: AutoScalingBackend) -> None:
    with _LOCK:
        for group in list(backend.autoscaling_groups.values()):
            _settle(group)


def _timestamp(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def _description(group: FakeAutoScalingGroup, refresh: _Refresh) -> dict[str, Any]:
    if refresh.status == "Successful":
        percentage = 100
    else:
        percentage = math.floor(100 * refresh.done / refresh.total) if refresh.total else 0
    to_update = refresh.total - refresh.done
    progress: dict[str, Any] = {"LivePoolProgress": {"PercentageComplete": percentage, "InstancesToUpdate": to_update}}
    if group.warm_pool is not None:
        progress["WarmPoolProgress"] = {"PercentageComplete": percentage, "InstancesToUpdate": 0}
    description: dict[str, Any] = {
        "InstanceRefreshId": refresh.id,
        "AutoScalingGroupName": refresh.group_name,
        "Status": refresh.status,
        "StartTime": _timestamp(refresh.started_at),
        "PercentageComplete": percentage,
        "InstancesToUpdate": to_update,
        "ProgressDetails": progress,
        "Preferences": copy.deepcopy(refresh.preferences),
        "Strategy": refresh.strategy,
    }
    if refresh.status_reason:
        description["StatusReason"] = refresh.status_reason
    if refresh.ended_at is not None:
        description["EndTime"] = _timestamp(refresh.ended_at)
    if refresh.desired:
        description["DesiredConfiguration"] = copy.deepcopy(refresh.desired)
    return description


def _start_instance_refresh(self) -> ActionResult:
    group_name = self._get_param("AutoScalingGroupName")
    strategy = self._get_param("Strategy") or "Rolling"
    with _LOCK:
        group = _group(self.autoscaling_backend, group_name)
        if strategy != "Rolling":
            raise ValidationError(f"The {strategy} strategy is not emulated; use Rolling.")
        preferences = _preferences(self._get_param("Preferences") or {})
        desired = self._get_param("DesiredConfiguration") or None
        target = _desired_target(group, desired)
        _settle(group)
        if _active(group) is not None:
            raise InstanceRefreshInProgress()
        matching = _matching(group, target) if preferences["SkipMatching"] else None
        skip_protected = preferences["ScaleInProtectedInstances"] == "Ignore"
        to_replace = [
            state.instance.id
            for state in group.instance_states
            if state.lifecycle_state == "InService"
            and not (matching is not None and _instance_template(state.instance) == matching)
            and not (skip_protected and state.protected_from_scale_in)
        ]
        refresh = _Refresh(group.name, strategy, preferences, desired, target, to_replace)
        _refreshes(group).append(refresh)
    return ActionResult({"InstanceRefreshId": refresh.id})


def _describe_instance_refreshes(self) -> ActionResult:
    group_name = self._get_param("AutoScalingGroupName")
    wanted_ids = self._get_param("InstanceRefreshIds") or []
    token = self._get_param("NextToken")
    max_records = self._get_int_param("MaxRecords") or 50
    with _LOCK:
        group = _group(self.autoscaling_backend, group_name)
        _settle(group)
        refreshes = [refresh for refresh in reversed(_refreshes(group)) if not wanted_ids or refresh.id in wanted_ids]
        start = 0
        if token:
            if not token.isdigit() or int(token) > len(refreshes):
                raise InvalidNextToken(token)
            start = int(token)
        page = refreshes[start : start + max_records]
        result: dict[str, Any] = {"InstanceRefreshes": [_description(group, refresh) for refresh in page]}
    if start + max_records < len(refreshes):
        result["NextToken"] = str(start + max_records)
    return ActionResult(result)


def _cancel_instance_refresh(self) -> ActionResult:
    group_name = self._get_param("AutoScalingGroupName")
    with _LOCK:
        group = _group(self.autoscaling_backend, group_name)
        _settle(group)
        refresh = _active(group)
        if refresh is None:
            raise ActiveInstanceRefreshNotFound(group_name)
        refresh.status = "Cancelled"
        refresh.ended_at = time.time()
    return ActionResult({"InstanceRefreshId": refresh.id})


def _autoscaling_call_action(self):
    _settle_backend(self.autoscaling_backend)
    return _originals["autoscaling_call_action"](self)


def _ec2_call_action(self):
    account_backends = autoscaling_backends.get(self.current_account)
    if account_backends is not None and self.region in account_backends.keys():
        _settle_backend(account_backends[self.region])
    return _originals["ec2_call_action"](self)


def apply() -> None:
    """Add the three operations to moto's Auto Scaling responses; settle refreshes before Auto Scaling/EC2 requests."""
    _originals.update(
        autoscaling_call_action=AutoScalingResponse.call_action,
        ec2_call_action=EC2Response.call_action,
    )
    AutoScalingResponse.start_instance_refresh = _start_instance_refresh
    AutoScalingResponse.describe_instance_refreshes = _describe_instance_refreshes
    AutoScalingResponse.cancel_instance_refresh = _cancel_instance_refresh
    AutoScalingResponse.call_action = _autoscaling_call_action
    EC2Response.call_action = _ec2_call_action
