"""WAFv2 web ACL associations: ListResourcesForWebACL, AssociateWebACL of an existing regional resource (replacing its
previous web ACL), and no DeleteWebACL while a resource or a CloudFront distribution still uses the web ACL.

AWS: a regional web ACL protects the resources associated with it (AssociateWebACL: an Application Load Balancer,
an API Gateway stage, ...); ListResourcesForWebACL lists them by ``ResourceType`` (``APPLICATION_LOAD_BALANCER`` when
omitted). A resource has at most one web ACL: associating another replaces it. The resource must exist in the web
ACL's region, else ``WAFNonexistentItemException``; a ``CLOUDFRONT`` web ACL is not associated this way (a
distribution names it in its ``WebACLId``) and AssociateWebACL does not find it in a region. Deleting a load balancer
disassociates it. DeleteWebACL of a web ACL still associated with a resource or named by a distribution fails with
``WAFAssociatedItemException`` "AWS WAF couldn’t perform the operation because your resource is being used by another
resource or it’s associated with another resource." and keeps it.

moto 5.2.5: ``WAFV2Response`` (moto/wafv2/responses.py) has no ``list_resources_for_web_acl``: the call answers HTTP
500 (community.aws ``wafv2_resources`` calls it on every run). ``WAFV2Backend.associate_web_acl`` (moto/wafv2/models.py)
appends any resource ARN, existing or not, again on every call, and leaves it associated with its previous web ACL;
``delete_web_acl`` deletes a web ACL in use; ``ELBv2Backend.delete_load_balancer`` leaves the association behind.

What this addition does: adds ``ListResourcesForWebACL`` (the web ACL by ARN in the request's region, else
``WAFNonexistentItemException``; the associated resources of the type asked, by the service and resource type of their
ARN), checks in ``associate_web_acl`` that an Application Load Balancer ARN names a load balancer of the region (other
resource types are taken as they come) and moves it from any other web ACL, keeps each resource once, refuses
``delete_web_acl`` of a web ACL in use (a resource, or a distribution of the account whose ``WebACLId`` is its ARN), and
drops a deleted load balancer from every web ACL of its region.

References: https://docs.aws.amazon.com/waf/latest/APIReference/API_ListResourcesForWebACL.html
            https://docs.aws.amazon.com/waf/latest/APIReference/API_AssociateWebACL.html
            https://docs.aws.amazon.com/waf/latest/APIReference/API_DeleteWebACL.html
"""

import json

from moto.cloudfront.models import cloudfront_backends
from moto.elbv2.models import ELBv2Backend, elbv2_backends
from moto.utilities.utils import get_partition
from moto.wafv2.exceptions import WAFNonexistentItemException, WAFv2ClientError
from moto.wafv2.models import WAFV2Backend, wafv2_backends
from moto.wafv2.responses import WAFV2Response

_ORIGINAL = {}


class WAFAssociatedItemException(WAFv2ClientError):
    def __init__(self) -> None:
        super().__init__(
            "WAFAssociatedItemException",
            "AWS WAF couldn’t perform the operation because your resource is being used by another resource or it’s "
            "associated with another resource.",
        )


def resource_type(arn: str) -> str:
    """The ListResourcesForWebACL ResourceType of a resource ARN ('' for a type this addition does not know)."""
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return ""
    service, resource = parts[2], parts[5]
    if service == "elasticloadbalancing" and resource.startswith("loadbalancer/app/"):
        return "APPLICATION_LOAD_BALANCER"
    if service == "apigateway":
        return "API_GATEWAY"
    if service == "appsync":
        return "APPSYNC"
    if service == "cognito-idp":
        return "COGNITO_USER_POOL"
    if service == "apprunner":
        return "APP_RUNNER_SERVICE"
    if service == "ec2" and resource.startswith("verified-access-instance/"):
        return "VERIFIED_ACCESS_INSTANCE"
    return ""


def distributions_using(account_id: str, web_acl_arn: str) -> list[str]:
    """The ids of the account's distributions whose WebACLId is web_acl_arn."""
    backend = cloudfront_backends[account_id][get_partition("us-east-1")]
    return [d.distribution_id for d in backend.distributions.values() if d.distribution_config.WebACLId == web_acl_arn]


def _associate_web_acl(self, web_acl_arn: str, resource_arn: str) -> None:
    web_acl = self.wacls.get(web_acl_arn)
    if not web_acl:
        raise WAFNonexistentItemException
    if resource_type(resource_arn) == "APPLICATION_LOAD_BALANCER":
        if resource_arn not in elbv2_backends[self.account_id][self.region_name].load_balancers:
            raise WAFNonexistentItemException
    for other in self.wacls.values():
        if resource_arn in other.associated_resources:
            other.associated_resources.remove(resource_arn)
    _ORIGINAL["associate_web_acl"](self, web_acl_arn, resource_arn)


def _delete_web_acl(self, name: str, scope: str, _id: str, lock_token: str) -> None:
    for web_acl in self.wacls.values():
        if web_acl.name == name and web_acl.id == _id:
            if web_acl.associated_resources or distributions_using(self.account_id, web_acl.arn):
                raise WAFAssociatedItemException()
    _ORIGINAL["delete_web_acl"](self, name, scope, _id, lock_token)


def _list_resources_for_web_acl(self):
    body = json.loads(self.body)
    web_acl = self.wafv2_backend.wacls.get(body.get("WebACLArn"))
    if web_acl is None:
        raise WAFNonexistentItemException
    wanted = body.get("ResourceType") or "APPLICATION_LOAD_BALANCER"
    arns = [arn for arn in web_acl.associated_resources if resource_type(arn) == wanted]
    return 200, {"Content-Type": "application/json"}, json.dumps({"ResourceArns": arns})


def _delete_load_balancer(self, arn: str) -> None:
    _ORIGINAL["delete_load_balancer"](self, arn)
    if arn in self.load_balancers:
        return  # refused or kept (deletion protection)
    for web_acl in wafv2_backends[self.account_id][self.region_name].wacls.values():
        if arn in web_acl.associated_resources:
            web_acl.associated_resources.remove(arn)


def apply() -> None:
    """Add ListResourcesForWebACL; check AssociateWebACL and DeleteWebACL; disassociate deleted load balancers."""
    _ORIGINAL["associate_web_acl"] = WAFV2Backend.associate_web_acl
    _ORIGINAL["delete_web_acl"] = WAFV2Backend.delete_web_acl
    _ORIGINAL["delete_load_balancer"] = ELBv2Backend.delete_load_balancer
    WAFV2Backend.associate_web_acl = _associate_web_acl
    WAFV2Backend.delete_web_acl = _delete_web_acl
    WAFV2Response.list_resources_for_web_acl = _list_resources_for_web_acl
    ELBv2Backend.delete_load_balancer = _delete_load_balancer
