"""The blob store's disk fills up: ``baken serve`` runs with its blob folder on a 1 MiB
tmpfs (in a private mount namespace, ``unshare -rm``: no root needed, and the mount goes
away with the server), most of it taken by a ballast file. The upload that does not fit
is refused with a 507 (problem details from the API, an error page from the upload
form); nothing of it stays (no blob, no temporary
file, no document, job or ingest audit entry); the audit chain verifies; and once the
ballast is deleted the same upload succeeds."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from baken.core.db import transaction
from baken.core.models import AuditEntry
from baken.holdings.models import Document
from tests.conftest import csrf_headers, login
from tests.faults.conftest import Server, Writer, blobs_intact, chain_verifies, upload

# Mount a small tmpfs on the blob folder ($0), fill most of it, then become the server.
MOUNT = (
    'mount -t tmpfs -o size=1m tmpfs "$0" && head -c 600000 /dev/zero > "$0/ballast" && exec "$@"'
)


def _can_mount(directory: Path) -> str | None:
    """Why a private tmpfs cannot be mounted here, or None."""
    if shutil.which("unshare") is None:
        return "no unshare(1) on this machine"
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", 'mount -t tmpfs -o size=1m tmpfs "$0"', str(directory)],
        capture_output=True,
        timeout=30,
        check=False,
    )
    if probe.returncode != 0:
        return f"unshare -rm cannot mount a tmpfs: {probe.stderr.decode()[:300]}"
    return None


def _payload(seed: int) -> bytes:
    rng = random.Random(seed)
    return "".join(rng.choice("abcdef ") for _ in range(250_000)).encode()


@pytest.mark.timeout(120)
def test_full_blob_disk_refuses_the_upload_cleanly(writer: Writer, tmp_path: Path) -> None:
    blob_dir = writer.settings.blob_dir
    reason = _can_mount(blob_dir)
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}")
        pytest.skip(reason)
    server = Server(
        writer.settings,
        tmp_path / "server.log",
        wrap=["unshare", "-rm", "sh", "-c", MOUNT, str(blob_dir)],
    )
    try:
        server.start()
        assert server.proc is not None
        # The blob folder as the server sees it, inside its mount namespace.
        seen = Path(f"/proc/{server.proc.pid}/root") / blob_dir.relative_to("/")
        assert (seen / "ballast").is_file()
        first, second = _payload(1), _payload(2)
        with httpx.Client(base_url=server.url, timeout=60) as client:
            assert upload(client, writer, "past.txt", first).status_code == 202
            refused = upload(client, writer, "past-niet.txt", second)
            assert refused.status_code == 507, refused.text
            assert refused.headers["content-type"] == "application/problem+json"
            problem = refused.json()
            assert problem["status"] == 507
            assert "Nothing was saved" in problem["detail"]

            # The same refusal as a page, for the upload form (session and CSRF token).
            token = login(client, "schrijver")  # type: ignore[arg-type]
            page = client.post(
                f"/collecties/{writer.collection_id}/upload",
                headers=csrf_headers(token),
                files=[("files", ("past-niet.txt", second, "text/plain"))],
            )
            assert page.status_code == 507, page.text[:500]
            assert page.headers["content-type"].startswith("text/html")

            # Nothing of the refused uploads stays.
            sha = hashlib.sha256(second).hexdigest()
            assert not (seen / sha[:2] / sha[2:4] / sha).exists()
            assert not [p for p in seen.rglob("*.tmp")]
            with transaction(writer.factory) as session:
                assert session.scalar(select(func.count()).where(Document.sha256 == sha)) == 0
                ingests = session.scalar(
                    select(func.count()).where(AuditEntry.action == "document.ingest")
                )
                jobs = session.scalar(select(func.count()).where(AuditEntry.action == "job.create"))
                refusals = session.scalar(
                    select(func.count()).where(
                        AuditEntry.action == "request.refused", AuditEntry.outcome == "507"
                    )
                )
            assert (ingests, jobs, refusals) == (1, 1, 2)
            (seen / "ballast").unlink()
            blobs_intact(writer.factory, seen)
            chain_verifies(writer.factory)

            # Room again: the same upload goes through.
            again = upload(client, writer, "past-niet.txt", second)
            assert again.status_code == 202, again.text
            with transaction(writer.factory) as session:
                assert session.scalar(select(func.count()).where(Document.sha256 == sha)) == 1
            blobs_intact(writer.factory, seen)
            chain_verifies(writer.factory)
    finally:
        server.stop()
