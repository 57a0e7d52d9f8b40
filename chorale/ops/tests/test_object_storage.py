"""Files in an S3-compatible object store (CHORALE_STORAGE=s3): a deposit is stored in the
bucket, processed from it, and /readyz checks the store. The store is a real S3 endpoint on
loopback (moto's server), reached over HTTP by django-storages and boto3."""

import boto3
import pytest
from moto.server import ThreadedMotoServer

from chorale.flows.models import FlowStatus
from chorale.flows.services import flow_deposit
from chorale.flows.tests.factories import RECIPIENT_SIRET, SUPPLIER_SIRET, invoice
from conftest import make_structure, make_user

BUCKET = "chorale-test"


@pytest.fixture
def s3(settings, monkeypatch):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "test")
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    yield client
    server.stop()


def test_deposits_are_stored_in_and_processed_from_the_object_store(s3, db, client):
    supplier = make_structure(make_user("f@example.test"), identifier=SUPPLIER_SIRET)
    make_structure(make_user("a@example.test"), identifier=RECIPIENT_SIRET, is_private=False)
    flow = flow_deposit(
        user=supplier.memberships.get().user,
        supplier=supplier,
        filename="S3-1.xml",
        content=invoice("S3-1"),
        channel="PORTAIL",
    )
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [flow.file.name]
    stored = s3.get_object(Bucket=BUCKET, Key=flow.file.name)["Body"].read()
    assert stored == invoice("S3-1")
    flow.refresh_from_db()
    assert flow.status == FlowStatus.INTEGRATED  # read back from the bucket by the worker
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["storage"] == "ok"
    # The probe leaves nothing behind.
    assert [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]] == keys
