"""The dependency audit of ``make test``: pip-audit over ``requirements.lock`` (ADR 0017).

pip-audit asks the package registry (PyPI's JSON API, ``--vulnerability-service pypi``)
for the known vulnerabilities of every locked release. A finding fails the run unless
``dependency-audit.toml`` accepts it with a reason and a date by which it is looked at
again. When the registry answers for none of the packages (a mirror that serves the
package index but not its JSON API, as on the machines this project is built on), the
audit has not happened: that is said loudly, and it fails only under
``BAKEN_AUDIT_STRICT=1`` (set it where the registry's vulnerability data is reachable).

    python -m baken.testing.depaudit [--lock requirements.lock] [--accepted FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
# pip-audit's own bound is per request; this bounds the whole run.
TIMEOUT_S = 600


class AuditError(Exception):
    """The audit could not be run or read: the message says why."""


@dataclass(frozen=True)
class Finding:
    package: str
    version: str
    id: str
    aliases: tuple[str, ...]
    fix_versions: tuple[str, ...]

    def describe(self) -> str:
        also = f" ({', '.join(self.aliases)})" if self.aliases else ""
        fix = f"; fixed in {', '.join(self.fix_versions)}" if self.fix_versions else "; no fix"
        return f"{self.package} {self.version}: {self.id}{also}{fix}"


@dataclass(frozen=True)
class Accepted:
    id: str
    package: str
    reason: str
    until: date


@dataclass(frozen=True)
class Outcome:
    findings: tuple[Finding, ...]  # not accepted: each fails the audit
    accepted: tuple[Finding, ...]
    expired: tuple[Accepted, ...]  # an acceptance past its date fails the audit
    audited: int
    skipped: tuple[tuple[str, str], ...]  # (package, reason)

    @property
    def reached(self) -> bool:
        """False when the registry answered for no package: nothing was audited."""
        return self.audited > 0

    def ok(self, *, strict: bool) -> bool:
        return not self.findings and not self.expired and (self.reached or not strict)


def read_accepted(path: Path) -> list[Accepted]:
    """``[[accept]]`` tables with id, package, reason and until (a date); all required."""
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise AuditError(f"{path.name}: not valid TOML: {exc}") from exc
    entries = data.get("accept", [])
    if not isinstance(entries, list):
        raise AuditError(f"{path.name}: 'accept' must be a list of tables ([[accept]])")
    accepted = []
    for n, entry in enumerate(entries, 1):
        missing = [k for k in ("id", "package", "reason", "until") if not entry.get(k)]
        if missing:
            raise AuditError(f"{path.name}: accept #{n} lacks {', '.join(missing)}")
        if not isinstance(entry["until"], date):
            raise AuditError(f"{path.name}: accept #{n}: until must be a date (2027-01-31)")
        accepted.append(
            Accepted(
                str(entry["id"]),
                str(entry["package"]).lower(),
                str(entry["reason"]),
                entry["until"],
            )
        )
    return accepted


def judge(report: dict[str, Any], accepted: list[Accepted], today: date) -> Outcome:
    """Sort pip-audit's JSON report into findings, accepted ones, skips and expiries."""
    deps = report.get("dependencies")
    if not isinstance(deps, list):
        raise AuditError("pip-audit's report has no list of dependencies")
    by_id = {(a.package, a.id): a for a in accepted}
    findings: list[Finding] = []
    taken: list[Finding] = []
    expired: set[Accepted] = set()
    skipped: list[tuple[str, str]] = []
    audited = 0
    for dep in deps:
        name = str(dep.get("name", "?")).lower()
        if "skip_reason" in dep:
            skipped.append((name, str(dep["skip_reason"])))
            continue
        audited += 1
        for vuln in dep.get("vulns", []):
            finding = Finding(
                name,
                str(dep.get("version", "?")),
                str(vuln.get("id", "?")),
                tuple(vuln.get("aliases", [])),
                tuple(vuln.get("fix_versions", [])),
            )
            ids = {finding.id, *finding.aliases}
            match = next((by_id[(name, i)] for i in ids if (name, i) in by_id), None)
            if match is None:
                findings.append(finding)
            elif match.until < today:
                expired.add(match)
                findings.append(finding)
            else:
                taken.append(finding)
    return Outcome(
        tuple(findings),
        tuple(taken),
        tuple(sorted(expired, key=lambda a: a.id)),
        audited,
        tuple(skipped),
    )


def run_pip_audit(lock: Path) -> dict[str, Any]:
    """pip-audit over the hashed lock file, without building a virtual environment."""
    exe = Path(sys.executable).with_name("pip-audit")
    cmd = [
        str(exe),
        "--requirement",
        str(lock),
        "--require-hashes",
        "--disable-pip",
        "--vulnerability-service",
        "pypi",
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]
    try:
        proc = subprocess.run(  # noqa: S603 - a fixed command, no shell
            cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
        )
    except FileNotFoundError as exc:
        raise AuditError(f"pip-audit is not installed ({exe}); run make install") from exc
    except subprocess.TimeoutExpired as exc:
        raise AuditError(f"pip-audit took longer than {TIMEOUT_S} s") from exc
    # Exit 1 means "vulnerabilities found" and still prints the report.
    try:
        report: dict[str, Any] = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise AuditError(f"pip-audit failed (exit {proc.returncode}): " + " / ".join(tail)) from exc
    return report


def report_lines(outcome: Outcome, *, strict: bool) -> list[str]:
    total = outcome.audited + len(outcome.skipped)
    lines = [f"dependency audit: {outcome.audited} of {total} locked packages audited"]
    if not outcome.reached:
        lines.append(
            "DEPENDENCY AUDIT NOT DONE: the registry's vulnerability data answered for none "
            f"of the {total} packages (first: {outcome.skipped[0][1] if outcome.skipped else '-'})."
            + (
                " Failing: BAKEN_AUDIT_STRICT=1."
                if strict
                else " Set BAKEN_AUDIT_STRICT=1 where it is reachable to make this fail."
            )
        )
    elif outcome.skipped:
        names = ", ".join(name for name, _ in outcome.skipped)
        lines.append(f"not audited ({len(outcome.skipped)}): {names}")
    for finding in outcome.accepted:
        lines.append(f"accepted: {finding.describe()}")
    for acceptance in outcome.expired:
        lines.append(
            f"EXPIRED acceptance of {acceptance.id} ({acceptance.package}) "
            f"since {acceptance.until}: look at it again"
        )
    for finding in outcome.findings:
        lines.append(f"VULNERABLE: {finding.describe()}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m baken.testing.depaudit")
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements.lock")
    parser.add_argument("--accepted", type=Path, default=ROOT / "dependency-audit.toml")
    parser.add_argument("--report", type=Path, help="read this pip-audit JSON report instead")
    args = parser.parse_args(argv)
    strict = os.environ.get("BAKEN_AUDIT_STRICT", "") == "1"
    try:
        accepted = read_accepted(args.accepted)
        if args.report is not None:
            report = json.loads(args.report.read_text(encoding="utf-8"))
        else:
            report = run_pip_audit(args.lock)
        outcome = judge(report, accepted, date.today())
    except (AuditError, OSError, json.JSONDecodeError) as exc:
        print(f"dependency audit: {exc}", file=sys.stderr)
        return 2
    for line in report_lines(outcome, strict=strict):
        print(line)
    return 0 if outcome.ok(strict=strict) else 1


if __name__ == "__main__":
    raise SystemExit(main())
