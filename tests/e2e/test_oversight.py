"""The CTIVD overseer verifies the audit chain; an analyst may not."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.e2e.conftest import Journey

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


def test_overseer_verifies_the_audit_chain(journey: Callable[[str], Journey]) -> None:
    j = journey("overseer")
    # Refused first: the audit log is not an analyst's to read, let alone to verify.
    j.login("analist.g")
    j.goto("/audit", status=403)
    assert "403" in j.main()
    assert not j.page.locator("table.audit").count()
    token = j.page.locator("input[name^=csrf]").first
    name, value = token.get_attribute("name") or "", token.get_attribute("value") or ""
    forged = j.page.request.post(j.url("/audit/verify"), form={name: value})
    assert forged.status == 403, forged.status

    j.login("ctivd")
    j.goto("/toezicht")
    j.shot("oversight")
    j.goto("/audit")
    assert "Auditlog" in j.main()
    j.shot("audit")
    # htmx swaps the verdict into the page (no navigation).
    j.page.click("form[action='/audit/verify'] button.primary")
    verdict = j.page.locator("#verify-result [role=status]").inner_text()
    assert re.search(r"intact: [\d.]+", verdict), verdict
    assert not j.page.locator("#verify-result [role=alert]").count()
    j.shot("verified")
    # The analyst's refused attempt is itself in the chain the overseer reads.
    refused = j.page.locator("table.audit tr:has-text('analist.g'):has-text('request.refused')")
    assert refused.count() >= 2, j.main()[:3000]
