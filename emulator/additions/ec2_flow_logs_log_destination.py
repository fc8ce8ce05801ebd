"""A flow log to CloudWatch Logs given by ``LogDestination`` (the log group ARN) knows its log group.

AWS: CreateFlowLogs with ``LogDestinationType=cloud-watch-logs`` takes the log group either as ``LogGroupName`` or
as ``LogDestination``, its ARN (``arn:aws:logs:REGION:ACCOUNT:log-group:NAME``). With the ARN, DescribeFlowLogs
returns ``LogDestination`` and also ``LogGroupName`` (the filter ``log-group-name`` finds it), and delivery to an
existing group succeeds (``DeliverLogsStatus: SUCCESS``).

moto 5.2.5: ``FlowLogsBackend.create_flow_logs`` (moto/ec2/models/flow_logs.py) checks the group by
``log_group_name`` only. Given the ARN, it stored no log group name and reported ``DeliverLogsStatus: FAILED``,
``DeliverLogsErrorMessage: Access error`` even though the group existed.

This addition derives the log group name from the ARN before moto's checks. A flow log created with
``LogGroupName`` is unchanged (AWS returns no ``LogDestination`` for it either).

References: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html
            https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_FlowLog.html
"""

import inspect

from moto.ec2.models.flow_logs import FlowLogsBackend

_CREATE_FLOW_LOGS = FlowLogsBackend.create_flow_logs
_SIGNATURE = inspect.signature(_CREATE_FLOW_LOGS)
_LOG_GROUP_ARN_MARKER = ":log-group:"


def log_group_name_from_arn(arn: str) -> str | None:
    """``arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*]`` -> NAME; None if arn is not a log group ARN."""
    if not arn.startswith("arn:") or _LOG_GROUP_ARN_MARKER not in arn:
        return None
    name = arn.split(_LOG_GROUP_ARN_MARKER, 1)[1]
    return name[: -len(":*")] if name.endswith(":*") else name


def _create_flow_logs(self, *args, **kwargs):
    """moto's create_flow_logs, with log_group_name taken from a CloudWatch Logs LogDestination ARN."""
    call = _SIGNATURE.bind(self, *args, **kwargs)
    arguments = call.arguments
    if (
        arguments.get("log_destination_type") in (None, "cloud-watch-logs")
        and arguments.get("log_destination")
        and not arguments.get("log_group_name")
    ):
        arguments["log_group_name"] = log_group_name_from_arn(arguments["log_destination"])
    return _CREATE_FLOW_LOGS(*call.args, **call.kwargs)


def apply() -> None:
    """Patch the EC2 backend's create_flow_logs."""
    FlowLogsBackend.create_flow_logs = _create_flow_logs
