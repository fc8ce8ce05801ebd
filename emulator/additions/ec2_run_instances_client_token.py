"""RunInstances honours its idempotency token (``ClientToken``): a retried launch returns the first reservation.

AWS: RunInstances takes a ``ClientToken``. Repeating the request with the same token and the same arguments returns
the reservation the first request made (its instances in their state now) instead of launching more; the same token
with other arguments is ``IdempotentParameterMismatch``. amazon.aws ``ec2_instance`` sends a new token with every
launch, so a launch whose response was lost (botocore retries it) makes one instance, as on AWS.

moto 5.2.5: ``InstanceResponse.run_instances`` (moto/ec2/responses/instances.py) stores ``ClientToken`` on the
instances but launches again on every retry: a lost response left a second bastion running.

Reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html
           https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
"""

from moto.ec2.responses.instances import InstanceResponse

from ._client_token import idempotent

_CREATE = InstanceResponse.run_instances


def apply() -> None:
    """Wrap the RunInstances response with the token check."""
    InstanceResponse.run_instances = idempotent(_CREATE)
