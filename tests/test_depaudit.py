"""The dependency audit's verdict on pip-audit reports (the registry is not asked here)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from baken.testing import depaudit
from baken.testing.depaudit import Accepted, AuditError, judge, read_accepted

TODAY = date(2026, 11, 26)


def report(*deps: dict[str, Any]) -> dict[str, Any]:
    return {"dependencies": list(deps), "fixes": []}


def clean(name: str = "flask", version: str = "3.1.3") -> dict[str, Any]:
    return {"name": name, "version": version, "vulns": []}


def vulnerable(name: str = "jinja2", id_: str = "GHSA-aaaa-bbbb-cccc") -> dict[str, Any]:
    return {
        "name": name,
        "version": "3.1.4",
        "vulns": [
            {"id": id_, "aliases": ["CVE-2026-0001"], "fix_versions": ["3.1.5"], "description": ""}
        ],
    }


def skipped(name: str) -> dict[str, Any]:
    return {"name": name, "skip_reason": f"Dependency not found on PyPI: {name}"}


def test_a_known_vulnerability_fails_the_audit_and_is_named() -> None:
    outcome = judge(report(clean(), vulnerable()), [], TODAY)
    assert not outcome.ok(strict=False)
    lines = depaudit.report_lines(outcome, strict=False)
    assert "VULNERABLE: jinja2 3.1.4: GHSA-aaaa-bbbb-cccc (CVE-2026-0001); fixed in 3.1.5" in lines


def test_an_acceptance_with_a_reason_lets_it_pass_until_its_date() -> None:
    # Accepted by an alias, as advisories often go by their CVE.
    accept = Accepted("CVE-2026-0001", "jinja2", "only in the sandbox, unused", date(2027, 1, 31))
    outcome = judge(report(clean(), vulnerable()), [accept], TODAY)
    assert outcome.ok(strict=True)
    assert [f.id for f in outcome.accepted] == ["GHSA-aaaa-bbbb-cccc"]
    # After its date it fails again, saying which acceptance ran out.
    later = judge(report(clean(), vulnerable()), [accept], date(2027, 2, 1))
    assert not later.ok(strict=False)
    assert any("EXPIRED" in line for line in depaudit.report_lines(later, strict=False))
    # An acceptance for another package does not cover it.
    other = Accepted("CVE-2026-0001", "flask", "wrong package", date(2027, 1, 31))
    assert not judge(report(vulnerable()), [other], TODAY).ok(strict=False)


def test_an_unreachable_registry_is_said_loudly_and_fails_only_when_strict() -> None:
    outcome = judge(report(skipped("alembic"), skipped("flask")), [], TODAY)
    assert not outcome.reached
    assert outcome.ok(strict=False)
    assert not outcome.ok(strict=True)
    assert "DEPENDENCY AUDIT NOT DONE" in depaudit.report_lines(outcome, strict=False)[1]
    # Some packages skipped (not on the registry) beside audited ones: named, not failing.
    partly = judge(report(clean(), skipped("baken-local")), [], TODAY)
    assert partly.reached
    assert partly.ok(strict=True)
    assert "not audited (1): baken-local" in depaudit.report_lines(partly, strict=True)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[accept]\nid = 1", "not valid TOML"),
        ("accept = 3", "must be a list"),
        ('[[accept]]\nid = "X"\npackage = "p"\nuntil = 2027-01-01', "lacks reason"),
        ('[[accept]]\nid = "X"\npackage = "p"\nreason = "r"\nuntil = "soon"', "must be a date"),
    ],
)
def test_a_bad_acceptance_file_is_refused_clearly(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "dependency-audit.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AuditError, match=message):
        read_accepted(path)


def test_the_command_reads_a_report_and_exits_by_the_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accepted = tmp_path / "none.toml"  # absent: nothing accepted
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(report(vulnerable())), encoding="utf-8")
    assert depaudit.main(["--report", str(bad), "--accepted", str(accepted)]) == 1
    good = tmp_path / "good.json"
    good.write_text(json.dumps(report(clean())), encoding="utf-8")
    assert depaudit.main(["--report", str(good), "--accepted", str(accepted)]) == 0
    broken = tmp_path / "broken.json"
    broken.write_text('{"fixes": []}', encoding="utf-8")
    assert depaudit.main(["--report", str(broken), "--accepted", str(accepted)]) == 2
    assert "no list of dependencies" in capsys.readouterr().err


def test_the_repository_acceptances_are_well_formed() -> None:
    for entry in read_accepted(depaudit.ROOT / "dependency-audit.toml"):
        assert entry.reason.strip()
