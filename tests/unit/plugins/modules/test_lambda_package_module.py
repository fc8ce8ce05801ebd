"""atelier.infra.lambda_package: writes the zips, not in check mode."""

from ansible_collections.atelier.infra.plugins.modules import lambda_package as module
from ansible_collections.atelier.infra.plugins.module_utils.lambda_package import zip_bytes, code_sha256
from tests.unit.plugins.modules.utils import AnsibleExitJson, AnsibleFailJson, run_main


def _args(tmp_path, check=False):
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "app.py").write_text("def handler(e, c): pass\n")
    args = {"functions": [{"name": "f", "src": str(src), "dest": str(tmp_path / "build" / "f.zip")}]}
    if check:
        args["_ansible_check_mode"] = True
    return args


def test_writes_once_then_reports_no_change(tmp_path):
    first = run_main(module, _args(tmp_path))
    assert isinstance(first, AnsibleExitJson) and first.result["changed"]
    package = first.result["packages"][0]
    assert package["code_sha256"] == code_sha256(zip_bytes(tmp_path / "src"))
    second = run_main(module, _args(tmp_path))
    assert not second.result["changed"] and second.result["packages"][0]["code_sha256"] == package["code_sha256"]


def test_check_mode_writes_nothing(tmp_path):
    result = run_main(module, _args(tmp_path, check=True))
    assert result.result["changed"] and not (tmp_path / "build" / "f.zip").exists()
    assert result.result["packages"][0]["code_sha256"] == code_sha256(zip_bytes(tmp_path / "src"))


def test_a_missing_directory_fails(tmp_path):
    args = {"functions": [{"name": "f", "src": str(tmp_path / "nope"), "dest": str(tmp_path / "f.zip")}]}
    result = run_main(module, args)
    assert isinstance(result, AnsibleFailJson) and "does not exist" in result.result["msg"]
