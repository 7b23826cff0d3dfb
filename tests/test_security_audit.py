"""security/audit.py, `make audit`: a known vulnerability of an installed package fails CI unless written down."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("audit", ROOT / "security" / "audit.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def advisory(package="django", ranges=(), versions=None, id="PYSEC-2099-1"):
    found = {"id": id, "aliases": ["CVE-2099-1"], "package": package, "summary": "Injection.", "ranges": list(ranges)}
    if versions is not None:
        found["versions"] = versions
    return found


@pytest.mark.parametrize(
    ("version", "affected"),
    [("4.1", False), ("4.2", True), ("4.2.14", True), ("4.2.15", False), ("5.0.7", True), ("5.0.8", False)],
)
def test_a_version_is_affected_between_introduced_and_fixed(version, affected):
    # Two branches in one range, as the PyPA database writes them: 4.2 fixed in 4.2.15, 5.0 in 5.0.8.
    events = [{"introduced": "5.0"}, {"fixed": "5.0.8"}, {"introduced": "4.2"}, {"fixed": "4.2.15"}]
    assert audit.affects(advisory(ranges=[events]), Version(version)) is affected


def test_last_affected_includes_that_release_and_no_later_one():
    events = [{"introduced": "0"}, {"last_affected": "2.1"}]
    assert audit.affects(advisory(ranges=[events]), Version("2.1"))
    assert not audit.affects(advisory(ranges=[events]), Version("2.1.1"))


def test_a_listed_release_is_affected_without_ranges():
    assert audit.affects(advisory(versions=["1.0"]), Version("1.0"))
    assert not audit.affects(advisory(versions=["1.0"]), Version("1.1"))


def test_a_vulnerability_is_excused_only_by_its_own_written_exception():
    packages = {"django": Version("4.2.1"), "wagtail": Version("8.0")}
    found = [advisory(ranges=[[{"introduced": "0"}, {"fixed": "4.2.2"}]]), advisory("wagtail", id="PYSEC-2099-2")]

    vulnerable, excused = audit.audit(packages, found, exceptions={})
    assert [(p, a["id"]) for p, _, a in vulnerable] == [("django", "PYSEC-2099-1")]
    assert excused == []

    vulnerable, excused = audit.audit(packages, found, exceptions={"PYSEC-2099-1": {"why": "not used"}})
    assert vulnerable == []
    assert [a["id"] for _, _, a in excused] == ["PYSEC-2099-1"]


def run_audit(tmp_path, advisories, exceptions=""):
    """The command as CI runs it, on a copy of security/ holding these advisories and exceptions."""
    (tmp_path / "audit.py").write_text((ROOT / "security" / "audit.py").read_text())
    header = {"source": "test", "commit": "0" * 40, "dated": "2099-01-01"}
    (tmp_path / "advisories.json").write_text(json.dumps({**header, "advisories": advisories}))
    (tmp_path / "exceptions.toml").write_text(exceptions)
    return subprocess.run([sys.executable, tmp_path / "audit.py"], capture_output=True, text=True)


def test_the_command_fails_naming_the_package_and_passes_once_the_risk_is_written_down(tmp_path):
    # pytest itself is installed wherever this test runs: an advisory against every release of it.
    every_release = [advisory("pytest", ranges=[[{"introduced": "0"}]], id="PYSEC-2099-7")]

    result = run_audit(tmp_path, every_release)
    assert result.returncode == 1
    assert "VULNÉRABLE : pytest" in result.stdout
    assert "PYSEC-2099-7 CVE-2099-1" in result.stdout

    result = run_audit(tmp_path, every_release, '[[exception]]\nid = "PYSEC-2099-7"\nwhy = "Tests only."\n')
    assert result.returncode == 0, result.stdout
    assert "accepté : pytest" in result.stdout


def test_an_exception_must_say_why(tmp_path):
    result = run_audit(tmp_path, [advisory()], '[[exception]]\nid = "PYSEC-2099-1"\n')
    assert result.returncode == 1
    assert "doit dire pourquoi" in result.stderr


def test_no_advisories_is_not_a_pass(tmp_path):
    result = run_audit(tmp_path, [])
    assert result.returncode == 2
    assert "rien n'a été vérifié" in result.stdout


def test_the_kept_advisories_cover_the_main_dependencies():
    kept = json.loads((ROOT / "security" / "advisories.json").read_text())
    packages = {a["package"] for a in kept["advisories"]}
    assert {"django", "wagtail", "channels", "gunicorn", "pillow"} <= packages
    for entry in kept["advisories"]:
        assert entry["ranges"] or entry.get("versions"), entry["id"]
