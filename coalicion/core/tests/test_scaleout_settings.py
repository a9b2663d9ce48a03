"""Settings of the read replica and of uploads in an S3-compatible store
(ADR 0064), read in a fresh process as at start-up."""

import json

import pytest

from coalicion.core.tests.test_security import manage

S3_ENV = {
    "MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "coalicion-uploads",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
    "AWS_ACCESS_KEY_ID": "test-access-key",
    "AWS_SECRET_ACCESS_KEY": "test-secret-key",
}
SHOW = (
    "import json; from django.conf import settings; "
    "from django.core.files.storage import storages; "
    "default_storage = storages['default']; "
    "print(json.dumps({'storage': type(default_storage).__module__ + '.' "
    "+ type(default_storage).__name__, 'acl': getattr(default_storage, 'default_acl', None), "
    "'signed': getattr(default_storage, 'querystring_auth', None), "
    "'routers': settings.DATABASE_ROUTERS, 'databases': sorted(settings.DATABASES), "
    "'replica_test': settings.DATABASES.get('replica', {}).get('TEST')}))"
)
UNSET = {
    "DATABASE_REPLICA_URL": "",
    "MEDIA_STORAGE": "",
    **dict.fromkeys(list(S3_ENV)[1:], ""),
}


def shown(env):
    result = manage("shell", "-c", SHOW, env_overrides={**UNSET, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_replica_or_s3_there_is_one_database_and_the_local_disk():
    values = shown({})
    assert values["routers"] == []
    assert values["databases"] == ["default"]
    assert values["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"


def test_a_replica_address_adds_the_replica_and_its_router(tmp_path):
    values = shown({"DATABASE_REPLICA_URL": f"sqlite:///{tmp_path / 'replica.sqlite3'}"})
    assert values["routers"] == ["coalicion.core.dbrouters.ReplicaRouter"]
    assert values["databases"] == ["default", "replica"]
    assert values["replica_test"]["MIRROR"] == "default"


def test_a_bad_replica_address_is_named_in_the_configuration_error():
    result = manage("check", env_overrides={**UNSET, "DATABASE_REPLICA_URL": "nonsense://db/x"})
    assert result.returncode != 0
    assert "configuration is incomplete or invalid" in result.stderr
    assert "DATABASE_REPLICA_URL is not a database address" in result.stderr


def test_s3_stores_uploads_privately_with_signed_addresses():
    values = shown(S3_ENV)
    assert values["storage"] == "storages.backends.s3.S3Storage"
    assert values["acl"] == "private"
    assert values["signed"] is True


@pytest.mark.parametrize("given", [1, 3], ids=["bucket-only", "all-but-secret"])
def test_s3_names_every_missing_variable_in_one_message(given):
    names = list(S3_ENV)[1:]
    env = {**UNSET, "MEDIA_STORAGE": "s3", **{name: S3_ENV[name] for name in names[:given]}}
    result = manage("check", env_overrides=env)
    assert result.returncode != 0
    line = next(line for line in result.stderr.splitlines() if "MEDIA_STORAGE=s3" in line)
    for name in names[given:]:
        assert name in line
    for name in names[:given]:
        assert name not in line


def test_an_unknown_media_storage_is_refused():
    result = manage("check", env_overrides={**UNSET, "MEDIA_STORAGE": "ftp"})
    assert result.returncode != 0
    assert "MEDIA_STORAGE must be local or s3, not 'ftp'" in result.stderr
