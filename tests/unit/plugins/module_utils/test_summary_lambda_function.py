"""The lambda_function role's summary lines."""

from ansible_collections.atelier.infra.plugins.module_utils import summary


def test_each_function_shows_its_runtime_code_and_role():
    outputs = {"functions": [{"name": "presign", "function_name": "dev-app-presign", "runtime": "python3.12",
                              "code_sha256": "AAA=", "role_arn": "arn:aws:iam::1:role/dev-app-presign-lambda"}]}
    assert summary.role_lines("lambda_function", outputs) == [
        "Lambda function dev-app-presign (python3.12, code AAA=, role dev-app-presign-lambda)"
    ]
    assert summary.role_lines("lambda_function", {"functions": []}) == []
