"""AWS Backup selections (CreateBackupSelection, ListBackupSelections, GetBackupSelection, DeleteBackupSelection),
UpdateBackupPlan, no DeleteBackupPlan while the plan has selections, and a deleted plan's name free again.

AWS: a backup selection assigns resources to a backup plan: ``Resources`` (ARNs, wildcards allowed),
``NotResources``, ``ListOfTags`` (any of them) and ``Conditions`` (all of them: ``StringEquals`` / ``StringNotEquals``
/ ``StringLike`` / ``StringNotLike`` on ``aws:ResourceTag/<key>``), backed up with the ``IamRoleArn`` role.
CreateBackupSelection (``PUT /backup/plans/{id}/selections/``) answers ``SelectionId``, ``BackupPlanId`` and
``CreationDate``; GetBackupSelection answers the selection with the empty lists and the four empty condition lists
for what was not given; ListBackupSelections lists ``SelectionId``, ``SelectionName``, ``BackupPlanId``,
``CreationDate``, ``CreatorRequestId``, ``IamRoleArn``. An unknown plan or selection is ``ResourceNotFoundException``.
UpdateBackupPlan (``POST /backup/plans/{id}``) replaces the plan's rules and answers a new ``VersionId``.
DeleteBackupPlan of a plan that still has selections is ``InvalidRequestException`` "Related backup plan selections
must be deleted prior to backup plan deletion."; a deleted plan no longer holds its name.

moto 5.2.5: ``BackupResponse`` (moto/backup/responses.py) has no selection operation nor ``update_backup_plan``: the
calls answer HTTP 500 (amazon.aws ``backup_selection`` lists the selections on every run, ``backup_plan`` updates a
changed plan). ``BackupBackend.delete_backup_plan`` (moto/backup/models.py) deletes any plan, and
``create_backup_plan`` refuses the name of a deleted plan (``AlreadyExistsException``), so a stack cannot be deployed
again after its teardown.

What this addition does: adds the four selection operations (the selections live on the backend instance, so
``/moto-api/reset`` drops them) and ``update_backup_plan``; refuses ``delete_backup_plan`` of a plan with selections;
lets ``create_backup_plan`` reuse a deleted plan's name.

References: https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupSelection.html
            https://docs.aws.amazon.com/aws-backup/latest/devguide/API_GetBackupSelection.html
            https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListBackupSelections.html
            https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DeleteBackupSelection.html
            https://docs.aws.amazon.com/aws-backup/latest/devguide/API_UpdateBackupPlan.html
            https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DeleteBackupPlan.html
"""

import json
from copy import deepcopy

from moto.backup.exceptions import InvalidRequestException, ResourceNotFoundException
from moto.backup.models import BackupBackend
from moto.backup.responses import BackupResponse
from moto.core.utils import unix_time
from moto.moto_api._internal import mock_random

_ORIGINAL = {}
CONDITION_KINDS = ("StringEquals", "StringNotEquals", "StringLike", "StringNotLike")


def _selections(backend: BackupBackend) -> dict:
    """The backend's selections: plan id -> selection id -> the GetBackupSelection answer."""
    if not hasattr(backend, "atelier_selections"):
        backend.atelier_selections = {}
    return backend.atelier_selections


def _live_plan(backend: BackupBackend, plan_id: str):
    plan = backend.plans.get(plan_id)
    if plan is None or plan.deletion_date is not None:
        raise ResourceNotFoundException(msg=f"Failed reading Backup plan with provided version {plan_id}")
    return plan


def _plan_id(path: str) -> str:
    return path.split("/backup/plans/", 1)[1].split("/", 1)[0]


def _selection_id(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def _json(body: dict):
    return 200, {"Content-Type": "application/json"}, json.dumps(body)


def _create_backup_selection(self):
    backend = self.backup_backend
    plan_id = _plan_id(self.path)
    _live_plan(backend, plan_id)
    params = json.loads(self.body or "{}")
    selection = deepcopy(params.get("BackupSelection") or {})
    selection.setdefault("Resources", [])
    selection.setdefault("NotResources", [])
    selection.setdefault("ListOfTags", [])
    conditions = selection.get("Conditions") or {}
    selection["Conditions"] = {kind: conditions.get(kind) or [] for kind in CONDITION_KINDS}
    selection_id = str(mock_random.uuid4())
    answer = {
        "BackupSelection": selection,
        "SelectionId": selection_id,
        "BackupPlanId": plan_id,
        "CreationDate": unix_time(),
        "CreatorRequestId": params.get("CreatorRequestId") or "",
    }
    _selections(backend).setdefault(plan_id, {})[selection_id] = answer
    return _json({"SelectionId": selection_id, "BackupPlanId": plan_id, "CreationDate": answer["CreationDate"]})


def _list_backup_selections(self):
    backend = self.backup_backend
    plan_id = _plan_id(self.path)
    _live_plan(backend, plan_id)
    listed = [
        {
            "SelectionId": s["SelectionId"],
            "SelectionName": s["BackupSelection"].get("SelectionName"),
            "BackupPlanId": plan_id,
            "CreationDate": s["CreationDate"],
            "CreatorRequestId": s["CreatorRequestId"],
            "IamRoleArn": s["BackupSelection"].get("IamRoleArn"),
        }
        for s in _selections(backend).get(plan_id, {}).values()
    ]
    return _json({"BackupSelectionsList": listed})


def _found_selection(self) -> tuple[str, str, dict]:
    backend = self.backup_backend
    plan_id = _plan_id(self.path)
    _live_plan(backend, plan_id)
    selection_id = _selection_id(self.path)
    selection = _selections(backend).get(plan_id, {}).get(selection_id)
    if selection is None:
        raise ResourceNotFoundException(msg=f"Failed reading Backup selection {selection_id}")
    return plan_id, selection_id, selection


def _get_backup_selection(self):
    return _json(_found_selection(self)[2])


def _delete_backup_selection(self):
    plan_id, selection_id, _selection = _found_selection(self)
    del _selections(self.backup_backend)[plan_id][selection_id]
    return 200, {"Content-Type": "application/json"}, "{}"


def _update_backup_plan(self):
    backend = self.backup_backend
    plan_id = _plan_id(self.path)
    plan = _live_plan(backend, plan_id)
    params = json.loads(self.body or "{}")
    fresh = type(plan)(backup_plan=params["BackupPlan"], creator_request_id=plan.creator_request_id, backend=backend)
    plan.backup_plan = fresh.backup_plan
    plan.advanced_backup_settings = fresh.advanced_backup_settings
    plan.version_id = fresh.version_id
    return _json(plan.to_dict())


def _delete_backup_plan(self, backup_plan_id: str):
    if _selections(self).get(backup_plan_id):
        raise InvalidRequestException(msg="Related backup plan selections must be deleted prior to backup plan deletion.")
    return _ORIGINAL["delete_backup_plan"](self, backup_plan_id)


def _create_backup_plan(self, backup_plan, backup_plan_tags, creator_request_id):
    deleted = {pid: p for pid, p in self.plans.items() if p.deletion_date is not None}
    for pid in deleted:
        del self.plans[pid]
    try:
        return _ORIGINAL["create_backup_plan"](self, backup_plan, backup_plan_tags, creator_request_id)
    finally:
        self.plans.update(deleted)


def apply() -> None:
    """Add the selection operations and UpdateBackupPlan; guard DeleteBackupPlan; free a deleted plan's name."""
    _ORIGINAL["delete_backup_plan"] = BackupBackend.delete_backup_plan
    _ORIGINAL["create_backup_plan"] = BackupBackend.create_backup_plan
    BackupBackend.delete_backup_plan = _delete_backup_plan
    BackupBackend.create_backup_plan = _create_backup_plan
    BackupResponse.create_backup_selection = _create_backup_selection
    BackupResponse.list_backup_selections = _list_backup_selections
    BackupResponse.get_backup_selection = _get_backup_selection
    BackupResponse.delete_backup_selection = _delete_backup_selection
    BackupResponse.update_backup_plan = _update_backup_plan
