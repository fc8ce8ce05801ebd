"""ACM ``InUseBy``: the load balancers and distributions that use a certificate; a certificate in use is not deleted.

AWS: DescribeCertificate's ``InUseBy`` lists the ARNs of the AWS resources that use the certificate: an Application
or Network Load Balancer whose listener has it as its default or an additional certificate (the load balancer's
ARN), a CloudFront distribution whose ``ViewerCertificate.ACMCertificateArn`` names it (the distribution's ARN; such
certificates live in us-east-1), a Classic Load Balancer; ListCertificates says ``InUse``. DeleteCertificate of a
certificate in use is ``ResourceInUseException`` "Certificate <arn> in use." and deletes nothing; once the listener or
distribution lets it go, the certificate can be deleted.

moto 5.2.5: ``CertBundle.in_use_by`` (moto/acm/models.py) is appended to by ``register_certificate``
(moto/elb/models.py): by Classic Load Balancers, and by ``ELBv2Backend.create_listener`` with the listener's ARN (not
the load balancer's), never removed (a deleted listener still uses it) and not for AddListenerCertificates or
ModifyListener; CloudFront distributions never appear; ``AWSCertificateManagerBackend.delete_certificate`` deletes a
certificate whatever uses it.

What this addition does: wraps ``CertBundle.describe`` to compute ``InUseBy`` when read (moto's list without listener
ARNs, then the load balancers of the certificate's account and region in moto's ELBv2 backend whose listeners hold
its ARN, then, for a us-east-1 certificate, the account's CloudFront distributions whose viewer certificate is its
ARN), so ListCertificates' ``InUse`` follows; and wraps ``delete_certificate`` to refuse a certificate in use.

References: https://docs.aws.amazon.com/acm/latest/APIReference/API_CertificateDetail.html
            https://docs.aws.amazon.com/acm/latest/APIReference/API_DeleteCertificate.html
"""

from moto.acm.models import AWSCertificateManagerBackend, CertBundle
from moto.cloudfront.models import cloudfront_backends
from moto.core.exceptions import AWSError
from moto.elbv2.models import elbv2_backends

_ORIGINAL: dict = {}


def _arn_of(certificate) -> str | None:
    return certificate.get("CertificateArn") if isinstance(certificate, dict) else certificate


def _viewer_certificate_arn(distribution) -> str | None:
    viewer = getattr(distribution.distribution_config, "ViewerCertificate", None)
    if viewer is None:
        return None
    if getattr(viewer, "certificate_source", None) == "acm":
        return getattr(viewer, "certificate", None)
    return getattr(viewer, "acm_certificate_arn", None) or None


def in_use_by(bundle: CertBundle) -> list[str]:
    """The ARNs of what uses the certificate: moto's own (Classic Load Balancers) first, without the ELBv2 listener
    ARNs moto records at CreateListener (AWS names the load balancer, and moto never removes them)."""
    users = [user for user in bundle.in_use_by if ":listener/" not in user]
    parts = bundle.arn.split(":")
    account, region = parts[4], parts[3]
    for balancer in list(elbv2_backends[account][region].load_balancers.values()):
        for listener in list(balancer.listeners.values()):
            if any(_arn_of(c) == bundle.arn for c in listener.certificates or []):
                users.append(balancer.arn)
                break
    if region == "us-east-1":
        for backend in list(cloudfront_backends[account].values()):
            users.extend(
                d.arn for d in list(backend.distributions.values()) if _viewer_certificate_arn(d) == bundle.arn
            )
    return list(dict.fromkeys(users))


def _describe(self) -> dict:
    result = _ORIGINAL["describe"](self)
    result["Certificate"]["InUseBy"] = in_use_by(self)
    return result


def _delete_certificate(self, arn: str) -> None:
    bundle = self._certificates.get(arn)
    if bundle is not None and in_use_by(bundle):
        raise AWSError(f"Certificate {arn} in use.", exception_type="ResourceInUseException")
    _ORIGINAL["delete_certificate"](self, arn)


def apply() -> None:
    """Compute InUseBy when read; refuse deleting a certificate in use."""
    _ORIGINAL.setdefault("describe", CertBundle.describe)
    _ORIGINAL.setdefault("delete_certificate", AWSCertificateManagerBackend.delete_certificate)
    CertBundle.describe = _describe
    AWSCertificateManagerBackend.delete_certificate = _delete_certificate
