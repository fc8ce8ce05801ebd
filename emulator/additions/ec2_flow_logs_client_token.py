"""CreateFlowLogs honours its idempotency token (``ClientToken``): a retried create returns the first flow logs.

AWS: CreateFlowLogs takes a ``ClientToken``. Repeating the request with the same token and the same arguments returns
the answer of the first request (its ``FlowLogIds``) instead of failing; the same token with other arguments is
``IdempotentParameterMismatch``. Without a token a second flow log of the same resource, traffic type and destination
is refused: ``FlowLogAlreadyExists`` "Error. There is an existing Flow Log with the same configuration and log
destination.".

moto 5.2.5: ``FlowLogs.create_flow_logs`` (moto/ec2/responses/flow_logs.py) ignores ``ClientToken``, so a retried
create (a lost response) is ``FlowLogAlreadyExists`` and the run fails.

Reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html
           https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
"""

from moto.ec2.responses.flow_logs import FlowLogs

from ._client_token import idempotent

_CREATE = FlowLogs.create_flow_logs


def apply() -> None:
    """Wrap the CreateFlowLogs response with the token check."""
    FlowLogs.create_flow_logs = idempotent(_CREATE)
