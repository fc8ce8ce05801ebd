"""HTTPS listener certificates: required, and only an existing, issued certificate.

AWS: an HTTPS (or TLS) listener needs its default certificate: CreateListener without one fails with
``ValidationError`` "A certificate must be specified for HTTPS listeners" (quoted from AWS in pulumi/pulumi#15712).
A certificate ARN that names no IAM server certificate and no ACM certificate that is issued fails CreateListener,
ModifyListener and AddListenerCertificates with ``CertificateNotFound`` "Certificate '<arn>' not found"; an ACM
certificate still ``PENDING_VALIDATION`` gets that error too (aws/aws-cdk#6081, the reason for Terraform's
``aws_acm_certificate_validation``), so a play must wait for the certificate to be issued before using it.

moto 5.2.5: ``ELBv2Backend.create_listener`` (moto/elbv2/models.py) creates an HTTPS listener without a certificate,
and accepts an ACM certificate in any status (only an unknown ACM ARN fails, in ``register_certificate``,
moto/elb/models.py, with "Supplied certificate was not found"); ``modify_listener`` checks that the default
certificate exists only (status ignored, message "Certificate <arn> not found"); ``add_listener_certificates``
checks nothing.

What this addition does: wraps the three backend methods to require a certificate for HTTPS/TLS listeners on
CreateListener and to check every certificate given: an IAM server certificate must exist, an ACM certificate must
exist in the region and be ``ISSUED`` (moto issues a requested certificate after ``MOTO_ACM_VALIDATION_WAIT``
seconds, 60 by default; an imported one is issued at once).

References: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html
            https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyListener.html
            https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_AddListenerCertificates.html
            https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html
"""

from moto.acm.exceptions import CertificateNotFound
from moto.acm.models import acm_backends
from moto.elbv2.exceptions import ELBClientError, ValidationError
from moto.elbv2.models import ELBv2Backend
from moto.iam.models import iam_backends

SECURE_PROTOCOLS = ("HTTPS", "TLS")
_ORIGINAL = {}


def check_certificate(backend, arn: str) -> None:
    """AWS's CertificateNotFound unless arn is an IAM server certificate or an issued ACM certificate."""
    if ":iam:" in arn:
        if iam_backends[backend.account_id][backend.partition].get_certificate_by_arn(arn) is not None:
            return
    elif ":acm:" in arn:
        try:
            bundle = acm_backends[backend.account_id][backend.region_name].get_certificate(arn)
        except CertificateNotFound:
            bundle = None
        if bundle is not None and bundle.status == "ISSUED":
            return
    raise ELBClientError("CertificateNotFound", f"Certificate '{arn}' not found")


def _create_listener(self, load_balancer_arn, protocol, port, ssl_policy, certificate, actions, *args, **kwargs):
    if (protocol or "").upper() in SECURE_PROTOCOLS and self.load_balancers.get(load_balancer_arn) is not None:
        if not certificate:
            raise ValidationError(f"A certificate must be specified for {protocol.upper()} listeners")
        check_certificate(self, certificate)
    return _ORIGINAL["create_listener"](
        self, load_balancer_arn, protocol, port, ssl_policy, certificate, actions, *args, **kwargs
    )


def _modify_listener(self, arn, port=None, protocol=None, ssl_policy=None, certificates=None, actions=None):
    for certificate in certificates or []:
        check_certificate(self, certificate["CertificateArn"])
    return _ORIGINAL["modify_listener"](self, arn, port, protocol, ssl_policy, certificates, actions)


def _add_listener_certificates(self, arn, certificates):
    self.describe_listeners(load_balancer_arn=None, listener_arns=[arn])  # ListenerNotFound first
    for certificate in certificates:
        check_certificate(self, certificate["CertificateArn"])
    return _ORIGINAL["add_listener_certificates"](self, arn, certificates)


def apply() -> None:
    """Wrap CreateListener, ModifyListener and AddListenerCertificates with the certificate checks."""
    for name in ("create_listener", "modify_listener", "add_listener_certificates"):
        _ORIGINAL[name] = getattr(ELBv2Backend, name)
    ELBv2Backend.create_listener = _create_listener
    ELBv2Backend.modify_listener = _modify_listener
    ELBv2Backend.add_listener_certificates = _add_listener_certificates
