"""DB parameter groups as AWS has them: unknown groups are not found, families are checked, parameters have defaults.

AWS:

* DescribeDBParameterGroups with a ``DBParameterGroupName`` that names no group fails with
  ``DBParameterGroupNotFound`` (HTTP 404). Names are stored in lowercase and looked up case-insensitively. The
  default groups (``default.<family>``) exist for every family.
* CreateDBParameterGroup refuses a family RDS does not have: ``InvalidParameterValue`` "ParameterGroupFamily
  postgres99 is not a valid parameter group family" (HTTP 400, as AWS answers it in
  aws-cloudformation/cloudformation-coverage-roadmap#703 and terraform-aws-modules/terraform-aws-rds#173).
* "A DB parameter group is initially created with the default parameters for the database engine": DescribeDBParameters
  lists every parameter of the family with ``Description``, ``Source`` (``engine-default``, ``system`` for values RDS
  sets, ``user`` once modified), ``ApplyType`` (``static`` / ``dynamic``), ``DataType``, ``AllowedValues``,
  ``IsModifiable`` and ``ApplyMethod``; ``Source`` filters them.
* ModifyDBParameterGroup refuses, before changing anything, a parameter the family does not have
  (``InvalidParameterValue`` "Could not find parameter with name: X"), one that is not modifiable, a value outside
  ``AllowedValues`` ("Invalid parameter value: V for: X allowed values are: A") and ``immediate`` for a static
  parameter (``InvalidParameterCombination`` "cannot use immediate apply method for static parameter").

moto 5.2.5 (moto/rds/models.py): ``RDSBackend.describe_db_parameter_groups`` answers an empty list for an unknown
name (and compares the name case-sensitively with the lowercased stored one); ``create_db_parameter_group`` accepts
any family; ``DBParameterGroup.parameters`` holds only what ModifyDBParameterGroup stored, so a fresh group describes
no parameters (``RDSResponse.describe_db_parameters``, moto/rds/responses.py, ignores ``Source``), and
``modify_db_parameter_group`` stores any name and value. amazon.aws ``rds_instance_param_group`` reads the empty
describe answer as "the group exists" and fails with ``list index out of range``, and refuses every ``params:`` entry
("not an available parameter") because it looks each name up in DescribeDBParameters.

What this addition does: the not-found error and case-insensitive names (describe, modify, delete), lazily created
default groups for known families, the family check, and for the postgres13 to postgres17 families a small real
subset of the engine's parameters (those a PostgreSQL role sets, plus two that are not modifiable), merged with the
user's values, with the checks above on modify. Families without a table (mysql8.0, ...) keep moto's behaviour for
their parameters.

Reference: https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBParameterGroups.html,
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html,
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBParameters.html,
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBParameterGroup.html,
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_Parameter.html
"""

import re
from typing import Any

from moto.core.responses import ActionResult
from moto.rds.exceptions import DBParameterGroupNotFoundError, InvalidParameterCombination, InvalidParameterValue
from moto.rds.models import DBParameterGroup, RDSBackend
from moto.rds.responses import RDSResponse

_ORIGINAL_CREATE = RDSBackend.create_db_parameter_group
_ORIGINAL_MODIFY = RDSBackend.modify_db_parameter_group
_ORIGINAL_DELETE = RDSBackend.delete_db_parameter_group

FAMILIES = frozenset(
    [f"postgres{major}" for major in range(10, 18)]
    + [f"aurora-postgresql{major}" for major in range(11, 18)]
    + ["mysql5.7", "mysql8.0", "mysql8.4", "aurora-mysql5.7", "aurora-mysql8.0"]
    + ["mariadb10.4", "mariadb10.5", "mariadb10.6", "mariadb10.11", "mariadb11.4"]
    + ["oracle-ee-19", "oracle-se2-19", "sqlserver-ee-16.0", "sqlserver-se-16.0", "sqlserver-ex-16.0"]
)

_SHARED_PRELOAD_LIBRARIES = (
    "auto_explain,orafce,pgaudit,pglogical,pg_bigm,pg_cron,pg_hint_plan,pg_prewarm,pg_similarity,"
    "pg_stat_statements,pg_tle,pg_transport,plprofiler"
)


def _parameter(name, description, apply_type, data_type, allowed, value=None, source="engine-default", modifiable=True):
    parameter = {
        "ParameterName": name,
        "Description": description,
        "Source": source,
        "ApplyType": apply_type,
        "DataType": data_type,
        "AllowedValues": allowed,
        "IsModifiable": modifiable,
        "ApplyMethod": "pending-reboot",
    }
    if value is not None:
        parameter["ParameterValue"] = value
    return parameter


def _postgres_parameters(major: int) -> dict[str, dict]:
    """A subset of DescribeDBParameters for default.postgres<major>, in AWS's (alphabetical) order."""
    force_ssl = "1" if major >= 15 else "0"  # RDS for PostgreSQL 15 turned rds.force_ssl on by default
    parameters = [
        _parameter(
            "archive_command",
            "Sets the shell command that will be called to archive a WAL file.",
            "dynamic",
            "string",
            None,
            "/etc/rds/dbbin/pgscripts/rds_wal_archive %p",
            "system",
            False,
        ),
        _parameter(
            "idle_in_transaction_session_timeout",
            "Sets the maximum allowed duration of any idling transaction.",
            "dynamic",
            "integer",
            "0-2147483647",
        ),
        _parameter("log_connections", "Logs each successful connection.", "dynamic", "boolean", "0,1"),
        _parameter("log_disconnections", "Logs end of a session, including duration.", "dynamic", "boolean", "0,1"),
        _parameter(
            "log_min_duration_statement",
            "Sets the minimum execution time above which statements will be logged.",
            "dynamic",
            "integer",
            "-1-2147483647",
        ),
        _parameter("log_statement", "Sets the type of statements logged.", "dynamic", "string", "none,ddl,mod,all"),
        _parameter(
            "max_connections",
            "Sets the maximum number of concurrent connections.",
            "static",
            "integer",
            "6-8388607",
            "LEAST({DBInstanceClassMemory/9531392},5000)",
            "system",
        ),
        _parameter(
            "port",
            "Sets the TCP port the server listens on.",
            "static",
            "integer",
            "1-65535",
            "{EndPointPort}",
            "system",
            False,
        ),
        _parameter("rds.force_ssl", "Force SSL connections.", "dynamic", "boolean", "0,1", force_ssl, "system"),
        _parameter(
            "shared_preload_libraries",
            "Lists shared libraries to preload into server.",
            "static",
            "list",
            _SHARED_PRELOAD_LIBRARIES,
            "pg_stat_statements",
            "system",
        ),
        _parameter(
            "statement_timeout",
            "Sets the maximum allowed duration of any statement.",
            "dynamic",
            "integer",
            "0-2147483647",
        ),
        _parameter(
            "work_mem",
            "Sets the maximum memory to be used for query workspaces.",
            "dynamic",
            "integer",
            "64-2147483647",
        ),
    ]
    return {
        parameter["ParameterName"]: {k: v for k, v in parameter.items() if v is not None} for parameter in parameters
    }


DEFAULTS: dict[str, dict[str, dict]] = {f"postgres{major}": _postgres_parameters(major) for major in range(13, 18)}


def _defaults(family: str | None) -> dict[str, dict] | None:
    return DEFAULTS.get(family or "")


def _invalid_value(name: str, value: str, allowed: str) -> InvalidParameterValue:
    return InvalidParameterValue(f"Invalid parameter value: {value} for: {name} allowed values are: {allowed}")


def _check_value(definition: dict, value: Any) -> None:
    name, allowed = definition["ParameterName"], definition.get("AllowedValues")
    if value is None or allowed is None:
        return
    value = str(value)
    if "{" in value:  # a formula such as {DBInstanceClassMemory/12038}: RDS evaluates it on the instance
        return
    data_type = definition["DataType"]
    if data_type == "integer":
        match = re.fullmatch(r"(-?\d+)-(-?\d+)", allowed)
        if not re.fullmatch(r"-?\d+", value) or (match and not int(match[1]) <= int(value) <= int(match[2])):
            raise _invalid_value(name, value, allowed)
    elif data_type == "list":
        choices = set(allowed.split(","))
        if any(item.strip() not in choices for item in value.split(",") if item.strip()):
            raise _invalid_value(name, value, allowed)
    elif value not in allowed.split(","):  # boolean 0,1 and enumerated strings
        raise _invalid_value(name, value, allowed)


def _get_group(backend: RDSBackend, name: str | None) -> DBParameterGroup:
    """The group named ``name`` (any case); the default group of a known family is created when first asked for."""
    key = (name or "").lower()
    group = backend.db_parameter_groups.get(key)
    if group is None and key.startswith("default.") and key[len("default.") :] in FAMILIES:
        family = key[len("default.") :]
        group = DBParameterGroup(
            backend=backend,
            db_parameter_group_name=key,
            db_parameter_group_family=family,
            description=f"Default parameter group for {family}",
            tags=[],
        )
        backend.db_parameter_groups[key] = group
    if group is None:
        raise DBParameterGroupNotFoundError(name)
    return group


def _describe_db_parameter_groups(self, db_parameter_group_kwargs: dict[str, Any]) -> list[DBParameterGroup]:
    name = db_parameter_group_kwargs.get("db_parameter_group_name")
    if name:
        return [_get_group(self, name)]
    return list(self.db_parameter_groups.values())


def _create_db_parameter_group(self, db_parameter_group_kwargs: dict[str, Any]) -> DBParameterGroup:
    family = db_parameter_group_kwargs.get("db_parameter_group_family")
    if family and family not in FAMILIES:
        raise InvalidParameterValue(f"ParameterGroupFamily {family} is not a valid parameter group family")
    kwargs = dict(db_parameter_group_kwargs)
    kwargs["db_parameter_group_name"] = (kwargs.get("db_parameter_group_name") or "").lower()
    return _ORIGINAL_CREATE(self, kwargs)


def _modify_db_parameter_group(self, db_parameter_group_name: str, db_parameter_group_parameters) -> DBParameterGroup:
    group = _get_group(self, db_parameter_group_name)
    parameters = list(db_parameter_group_parameters)
    defaults = _defaults(group.family)
    if defaults is not None:
        for parameter in parameters:
            name = parameter.get("ParameterName")
            definition = defaults.get(name)
            if definition is None:
                raise InvalidParameterValue(f"Could not find parameter with name: {name}")
            if not definition["IsModifiable"]:
                raise InvalidParameterValue(f"The parameter {name} cannot be modified.")
            if parameter.get("ApplyMethod") == "immediate" and definition["ApplyType"] == "static":
                raise InvalidParameterCombination("cannot use immediate apply method for static parameter")
            _check_value(definition, parameter.get("ParameterValue"))
    return _ORIGINAL_MODIFY(self, group.name, parameters)


def _delete_db_parameter_group(self, db_parameter_group_name: str) -> DBParameterGroup:
    return _ORIGINAL_DELETE(self, (db_parameter_group_name or "").lower())


def _group_parameters(group: DBParameterGroup) -> list[dict]:
    """The family's parameters with the user's values over them (Source user), then user values the table lacks."""
    defaults = _defaults(group.family) or {}
    merged = {name: dict(definition) for name, definition in defaults.items()}
    for name, stored in group.parameters.items():
        if name in merged:
            merged[name].update({k: v for k, v in stored.items() if v is not None})
            merged[name]["Source"] = "user"
        else:
            merged[name] = dict(stored)
    return [merged[name] for name in sorted(merged)]


def _describe_db_parameters(self) -> ActionResult:
    group = _get_group(self.backend, self.params.get("DBParameterGroupName"))
    parameters = _group_parameters(group)
    source = self.params.get("Source")
    if source:
        parameters = [parameter for parameter in parameters if parameter.get("Source") == source]
    return ActionResult({"Parameters": parameters})


def apply() -> None:
    """Patch moto's parameter group backend methods and its DescribeDBParameters handler."""
    RDSBackend.describe_db_parameter_groups = _describe_db_parameter_groups
    RDSBackend.create_db_parameter_group = _create_db_parameter_group
    RDSBackend.modify_db_parameter_group = _modify_db_parameter_group
    RDSBackend.delete_db_parameter_group = _delete_db_parameter_group
    RDSResponse.describe_db_parameters = _describe_db_parameters
