"""CreateProject of a project whose source and artifacts are its pipeline's (type CODEPIPELINE): no location.

AWS: ``ProjectSource.location`` and ``ProjectArtifacts.location`` are ignored, and not asked for, when the type is
``CODEPIPELINE`` ("If you set type to CODEPIPELINE, CodePipeline ignores this value if specified. This is because
CodePipeline manages its build output locations instead of CodeBuild"); a source of type ``NO_SOURCE`` has no
location either. A project that a pipeline drives is created with ``{"type": "CODEPIPELINE"}`` for both.

moto 5.2.5: ``_validate_required_params_source`` and ``_validate_required_params_artifacts``
(moto/codebuild/responses.py), called by ``CodeBuildResponse.create_project``, refuse any source or artifacts without a
location ("Project source location is required", InvalidInputException), whatever their type.

What this addition does: wraps both validations so that a ``CODEPIPELINE`` source or artifacts (and a ``NO_SOURCE``
source) pass without a location; the other types keep moto's checks.

Reference: https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectSource.html
           https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html
"""

from moto.codebuild import responses

_ORIGINAL = {}
_NO_LOCATION = {"source": ("CODEPIPELINE", "NO_SOURCE"), "artifacts": ("CODEPIPELINE",)}


def _validate(kind):
    original = _ORIGINAL[kind]

    def validate(value):
        if isinstance(value, dict) and value.get("type") in _NO_LOCATION[kind]:
            return None
        return original(value)

    return validate


def apply() -> None:
    """Let CODEPIPELINE sources and artifacts (and NO_SOURCE sources) have no location."""
    _ORIGINAL.setdefault("source", responses._validate_required_params_source)
    _ORIGINAL.setdefault("artifacts", responses._validate_required_params_artifacts)
    responses._validate_required_params_source = _validate("source")
    responses._validate_required_params_artifacts = _validate("artifacts")
