"""CloudFront ViewerCertificate as AWS describes it, and AWS's certificate checks.

AWS: a distribution's ``ViewerCertificate`` (CreateDistribution, UpdateDistribution, GetDistribution,
GetDistributionConfig) with ``ACMCertificateArn`` reads ``CloudFrontDefaultCertificate: false``,
``CertificateSource: acm``, ``Certificate`` the ARN and the ``SSLSupportMethod`` / ``MinimumProtocolVersion`` given;
with ``IAMCertificateId`` the same with ``CertificateSource: iam`` and ``Certificate`` the id; with the default
certificate ``CloudFrontDefaultCertificate: true``, ``MinimumProtocolVersion: TLSv1``, ``CertificateSource:
cloudfront`` (and no ``SSLSupportMethod``, ARN or id: the ``create-distribution`` example of the AWS CLI reference).
CloudFront takes ACM certificates from us-east-1 only: another region's ARN is ``InvalidViewerCertificate`` (HTTP 400,
"The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid
certificate chain."). Alternate domain names (``Aliases``) need a certificate of one's own: with the default
CloudFront certificate the request is ``InvalidViewerCertificate`` ("To add an alternate domain name (CNAME) to a
CloudFront distribution, you must attach a trusted certificate that validates your authorization to use the domain
name. For more details, see: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html#alternate-domain-names-requirements").

moto 5.2.5: ``ViewerCertificate.__init__`` (moto/cloudfront/models.py) keeps ``CloudFrontDefaultCertificate`` true
unless the request says otherwise, always answers ``CertificateSource: cloudfront`` and ``Certificate: ""`` (so an ACM
certificate reads as the default one), returns empty ``IAMCertificateId`` / ``ACMCertificateArn`` and a
``SSLSupportMethod`` for the default certificate, and keeps any ``MinimumProtocolVersion``; ``DistributionConfig``
accepts any ARN and aliases with the default certificate.

What this addition does: wraps ``ViewerCertificate.__init__`` to describe the certificate as AWS does (fields that AWS
omits are set to None, which moto's serializer leaves out) and to refuse an ACM ARN that is not an
``arn:<partition>:acm:us-east-1:...`` ARN, and ``DistributionConfig.__init__`` (CreateDistribution[WithTags],
UpdateDistribution) to refuse aliases with the default certificate. Whether the ACM certificate exists or is issued
is not checked.

Reference: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ViewerCertificate.html
           https://docs.aws.amazon.com/cli/latest/reference/cloudfront/create-distribution.html
"""

from moto.cloudfront.exceptions import CloudFrontException
from moto.cloudfront.models import DistributionConfig, ViewerCertificate

CERTIFICATE_NOT_VALID = (
    "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid "
    "certificate chain."
)
ALIASES_NEED_CERTIFICATE = (
    "To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted certificate that "
    "validates your authorization to use the domain name. For more details, see: "
    "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html#alternate-domain-names-requirements"
)

_originals: dict = {}


class InvalidViewerCertificate(CloudFrontException):
    def __init__(self, message: str) -> None:
        super().__init__("InvalidViewerCertificate", message)


def _acm_in_us_east_1(arn: str) -> bool:
    parts = arn.split(":")
    return len(parts) >= 6 and parts[0] == "arn" and parts[2] == "acm" and parts[3] == "us-east-1"


def _viewer_certificate_init(self, config: dict) -> None:
    _originals["viewer_certificate_init"](self, config)
    acm_arn = config.get("ACMCertificateArn")
    iam_id = config.get("IAMCertificateId")
    if acm_arn:
        if not _acm_in_us_east_1(acm_arn):
            raise InvalidViewerCertificate(CERTIFICATE_NOT_VALID)
        self.cloud_front_default_certificate = False
        self.iam_certificate_id = None
        self.certificate_source = "acm"
        self.certificate = acm_arn
    elif iam_id:
        self.cloud_front_default_certificate = False
        self.acm_certificate_arn = None
        self.certificate_source = "iam"
        self.certificate = iam_id
    else:
        self.cloud_front_default_certificate = True
        self.iam_certificate_id = None
        self.acm_certificate_arn = None
        self.ssl_support_method = None
        self.minimum_protocol_version = "TLSv1"
        self.certificate_source = "cloudfront"
        self.certificate = None


def _distribution_config_init(self, config: dict) -> None:
    _originals["distribution_config_init"](self, config)
    if (self.Aliases or {}).get("Items") and self.ViewerCertificate.cloud_front_default_certificate:
        raise InvalidViewerCertificate(ALIASES_NEED_CERTIFICATE)


def apply() -> None:
    """Describe the viewer certificate as AWS does; refuse non-us-east-1 ACM ARNs and aliases without a certificate."""
    _originals.setdefault("viewer_certificate_init", ViewerCertificate.__init__)
    _originals.setdefault("distribution_config_init", DistributionConfig.__init__)
    ViewerCertificate.__init__ = _viewer_certificate_init
    DistributionConfig.__init__ = _distribution_config_init
