# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.s3_site_sync: a temporary site directory against a fake bucket standing in
for our module_utils wrappers (no boto3 call, no network)."""

from unittest.mock import MagicMock

import pytest

from ansible_collections.atelier.infra.plugins.module_utils.static_site import md5_etag
from ansible_collections.atelier.infra.plugins.modules import s3_site_sync as module

from tests.unit.plugins.modules.utils import AnsibleExitJson
from tests.unit.plugins.modules.utils import AnsibleFailJson
from tests.unit.plugins.modules.utils import run_main

RULES = [{"pattern": "index.html", "value": "no-cache"}, {"pattern": "assets/*", "value": "public, max-age=31536000, immutable"}]


class FakeBucket:
    def __init__(self):
        self.objects = {}
        self.list_objects = MagicMock(side_effect=lambda client, bucket, prefix: {k: {"etag": v["etag"], "size": 1} for k, v in self.objects.items() if k.startswith(prefix)})
        self.head_object = MagicMock(side_effect=lambda client, bucket, key: dict(self.objects[key]))
        self.put_object = MagicMock(side_effect=self._put)
        self.delete_objects = MagicMock(side_effect=self._delete)

    def _put(self, client, bucket, key, path, content_type, cache_control):
        self.objects[key] = {"etag": md5_etag(path), "content_type": content_type, "cache_control": cache_control}
        return self.objects[key]["etag"]

    def _delete(self, client, bucket, keys):
        for key in keys:
            del self.objects[key]
        return []

    def mutating(self):
        return self.put_object.call_count + self.delete_objects.call_count


@pytest.fixture
def site(tmp_path):
    (tmp_path / "index.html").write_text("<h1>v1</h1>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "app.js").write_text("console.log(1)")
    (tmp_path / "assets" / "app.css").write_text("body{}")
    return tmp_path


def run(monkeypatch, bucket, src, check_mode=False, **args):
    for name in ("list_objects", "head_object", "put_object", "delete_objects"):
        monkeypatch.setattr(module, name, getattr(bucket, name))
    args = dict({"bucket": "prod-site", "src": str(src), "region": "eu-west-1", "cache_control": RULES}, **args)
    return run_main(module, dict(args, _ansible_check_mode=check_mode))


def test_first_run_uploads_everything_with_types_and_cache_control(monkeypatch, site):
    bucket = FakeBucket()
    result = run(monkeypatch, bucket, site).result
    assert result["changed"] is True
    assert result["uploaded"] == ["assets/app.css", "assets/app.js", "index.html"]
    assert bucket.objects["index.html"]["content_type"] == "text/html; charset=utf-8"
    assert bucket.objects["index.html"]["cache_control"] == "no-cache"
    assert bucket.objects["assets/app.js"]["cache_control"] == "public, max-age=31536000, immutable"
    assert result["invalidation_paths"] == ["/", "/assets/app.css", "/assets/app.js", "/index.html"]


def test_unchanged_site_uploads_nothing(monkeypatch, site):
    bucket = FakeBucket()
    run(monkeypatch, bucket, site)
    bucket.put_object.reset_mock()
    result = run(monkeypatch, bucket, site).result
    assert result["changed"] is False and result["uploaded"] == [] and result["deleted"] == []
    assert result["invalidation_paths"] == [] and result["unchanged"] == 3
    assert bucket.put_object.call_count == 0 and bucket.delete_objects.call_count == 0
    assert bucket.list_objects.call_count == 2 and bucket.head_object.call_count == 0


def test_one_changed_file_uploads_one_object_and_a_deleted_one_is_removed(monkeypatch, site):
    bucket = FakeBucket()
    run(monkeypatch, bucket, site)
    bucket.put_object.reset_mock()
    (site / "assets" / "app.js").write_text("console.log(2)")
    (site / "assets" / "app.css").unlink()
    result = run(monkeypatch, bucket, site, check_mode=True).result
    assert result["changed"] is True and result["uploaded"] == ["assets/app.js"] and result["deleted"] == ["assets/app.css"]
    assert bucket.mutating() == 0
    result = run(monkeypatch, bucket, site).result
    assert result["uploaded"] == ["assets/app.js"] and result["deleted"] == ["assets/app.css"]
    assert bucket.put_object.call_count == 1 and "assets/app.css" not in bucket.objects
    assert result["invalidation_paths"] == ["/assets/app.css", "/assets/app.js"]


def test_delete_false_keeps_remote_objects(monkeypatch, site):
    bucket = FakeBucket()
    bucket.objects["old.html"] = {"etag": '"x"', "content_type": "", "cache_control": ""}
    result = run(monkeypatch, bucket, site, delete=False).result
    assert result["deleted"] == [] and "old.html" in bucket.objects


def test_compare_metadata_reuploads_a_file_whose_cache_control_changed(monkeypatch, site):
    bucket = FakeBucket()
    run(monkeypatch, bucket, site)
    rules = [{"pattern": "index.html", "value": "max-age=60"}] + RULES[1:]
    assert run(monkeypatch, bucket, site, cache_control=rules).result["changed"] is False
    result = run(monkeypatch, bucket, site, cache_control=rules, compare_metadata=True).result
    assert result["uploaded"] == ["index.html"]
    assert bucket.objects["index.html"]["cache_control"] == "max-age=60"


def test_a_missing_src_fails_before_any_call(monkeypatch, tmp_path):
    bucket = FakeBucket()
    result = run(monkeypatch, bucket, tmp_path / "nope")
    assert isinstance(result, AnsibleFailJson) and "is not a directory" in result.result["msg"]
    assert bucket.list_objects.call_count == 0


def test_delete_errors_fail_with_the_keys(monkeypatch, site):
    bucket = FakeBucket()
    bucket.objects["old.html"] = {"etag": '"x"'}
    bucket.delete_objects.side_effect = lambda *a: [{"Key": "old.html", "Code": "AccessDenied", "Message": "denied"}]
    result = run(monkeypatch, bucket, site)
    assert isinstance(result, AnsibleFailJson) and "old.html: AccessDenied denied" in result.result["msg"]


def test_prefix_keeps_invalidation_paths_relative(monkeypatch, site):
    bucket = FakeBucket()
    bucket.objects["other/keep.txt"] = {"etag": '"k"'}
    result = run(monkeypatch, bucket, site, prefix="v1/").result
    assert "v1/index.html" in result["uploaded"] and "/index.html" in result["invalidation_paths"]
    assert "other/keep.txt" in bucket.objects
    assert isinstance(run(monkeypatch, bucket, site, prefix="v1/"), AnsibleExitJson)


def test_a_missing_bucket_plans_every_upload_in_check_mode_and_fails_otherwise(monkeypatch, site):
    bucket = FakeBucket()
    bucket.list_objects.side_effect = lambda client, name, prefix: None
    result = run(monkeypatch, bucket, site, check_mode=True).result
    assert result["changed"] is True and len(result["uploaded"]) == 3 and bucket.mutating() == 0
    result = run(monkeypatch, bucket, site)
    assert isinstance(result, AnsibleFailJson) and "does not exist" in result.result["msg"]
    assert bucket.mutating() == 0
