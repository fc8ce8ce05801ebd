"""DeleteLoadBalancer refuses a load balancer with deletion protection enabled.

AWS: "You can't delete a load balancer if deletion protection is enabled": DeleteLoadBalancer fails with
``OperationNotPermitted`` (HTTP 400) "Load balancer '<arn>' cannot be deleted because deletion protection is
enabled" (quoted from AWS in aws-cloudformation/rain#187 and rebuy-de/aws-nuke#1240) and the load balancer stays as
it was. Deleting a load balancer that does not exist succeeds. Listeners can still be deleted one by one.

moto 5.2.5: ``ELBv2Backend.delete_load_balancer`` (moto/elbv2/models.py) pops the load balancer whatever its
``deletion_protection.enabled`` attribute, so a play that deletes a protected load balancer passes against the
emulator and fails on AWS.

What this addition does: wraps ``delete_load_balancer`` to raise AWS's error when the load balancer exists and its
``deletion_protection.enabled`` attribute is ``true``.

Reference: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeleteLoadBalancer.html
"""

from moto.elbv2.exceptions import ELBClientError
from moto.elbv2.models import ELBv2Backend

_ORIGINAL_DELETE = ELBv2Backend.delete_load_balancer


def _delete_load_balancer(self, arn: str) -> None:
    balancer = self.load_balancers.get(arn)
    if balancer is not None and balancer.attrs.get("deletion_protection.enabled") == "true":
        raise ELBClientError(
            "OperationNotPermitted", f"Load balancer '{arn}' cannot be deleted because deletion protection is enabled"
        )
    _ORIGINAL_DELETE(self, arn)


def apply() -> None:
    """Wrap DeleteLoadBalancer with the deletion-protection check."""
    ELBv2Backend.delete_load_balancer = _delete_load_balancer
