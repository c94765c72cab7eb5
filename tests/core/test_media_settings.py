"""Media storage settings: the file system by default, an S3-compatible bucket with SIA_MEDIA_STORAGE=s3, whose
objects stay private and whose URLs are SIA's own paths, never the bucket's."""

import json
import os
import subprocess
import sys

S3_ENV = {
    "SIA_MEDIA_STORAGE": "s3",
    "SIA_S3_BUCKET": "sia-media",
    "SIA_S3_ENDPOINT_URL": "https://s3.example.go.id",
    "SIA_S3_REGION": "ap-southeast-3",
    "SIA_S3_ACCESS_KEY_ID": "AKIASIAEXAMPLE",
    "SIA_S3_SECRET_ACCESS_KEY": "rahasia-contoh",
}


def default_storage_setting(tmp_path, **variables):
    drop = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", *(name for name in os.environ if name.startswith("SIA_S3_")),
            "SIA_MEDIA_STORAGE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env |= {"SIA_ENV": "development", "SIA_VAR_DIR": str(tmp_path), **variables}
    code = "import json, sia.settings as s; print(json.dumps(s.STORAGES['default']))"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


def test_media_are_on_the_file_system_by_default(tmp_path):
    result = default_storage_setting(tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_s3_media_take_every_variable_and_stay_private(tmp_path):
    result = default_storage_setting(tmp_path, **S3_ENV)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "BACKEND": "sia.core.storages.PrivateS3Storage",
        "OPTIONS": {"bucket_name": "sia-media", "endpoint_url": "https://s3.example.go.id",
                    "region_name": "ap-southeast-3", "access_key": "AKIASIAEXAMPLE", "secret_key": "rahasia-contoh",
                    "default_acl": "private", "file_overwrite": False},
    }


def test_s3_without_a_bucket_is_a_clear_error(tmp_path):
    result = default_storage_setting(tmp_path, SIA_MEDIA_STORAGE="s3")
    assert result.returncode != 0
    assert "SIA_S3_BUCKET" in result.stderr


def test_an_unknown_media_storage_is_refused(tmp_path):
    result = default_storage_setting(tmp_path, SIA_MEDIA_STORAGE="ftp")
    assert result.returncode != 0
    assert "SIA_MEDIA_STORAGE must be 'filesystem' or 's3'" in result.stderr


def test_the_s3_storage_hands_out_sias_own_paths_never_the_buckets(settings):
    from sia.core.storages import PrivateS3Storage  # django-storages[s3]: SIA's [s3] extra, and [test]

    storage = PrivateS3Storage(bucket_name="sia-media", endpoint_url="https://s3.example.go.id",
                               region_name="ap-southeast-3", access_key="AKIASIAEXAMPLE", secret_key="rahasia-contoh",
                               default_acl="private", file_overwrite=False)
    assert storage.default_acl == "private" and storage.file_overwrite is False
    assert storage.url("logos/logo kota.png") == "/media/logos/logo%20kota.png"
    assert storage.url("evidence/2024/a.pdf") == "/media/evidence/2024/a.pdf"  # no route: served by its object's view
    assert "s3.example.go.id" not in storage.url("logos/a.png") and "Signature" not in storage.url("logos/a.png")
