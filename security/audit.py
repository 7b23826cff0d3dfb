"""Known vulnerabilities in the packages installed in this environment (what `make test` runs), like pip-audit.

    python security/audit.py                      check; exit 1 on a known vulnerability without an exception
    python security/audit.py --refresh DIR        rebuild advisories.json from a clone of
                                                  https://github.com/pypa/advisory-database
                                                  (in the full dev environment: `make install` first)

pip-audit asks PyPI's per-release JSON API or OSV at run time; neither answers from the machines
Placette is built and tested on, which reach only the package registries. So the advisories of the
PyPA advisory database (CC-BY 4.0) are kept here, for the packages we install, with the commit they
come from; the check says how old they are. Accepted risks are written in exceptions.toml, with why.
"""

import argparse
import json
import sys
import tomllib
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

HERE = Path(__file__).resolve().parent
ADVISORIES = HERE / "advisories.json"
EXCEPTIONS = HERE / "exceptions.toml"
# Advisories older than this miss recent vulnerabilities: the check says so.
STALE_AFTER_DAYS = 90


def installed():
    """{canonical name: Version} of every distribution importable here."""
    found = {}
    for dist in metadata.distributions():
        try:
            found[canonicalize_name(dist.metadata["Name"])] = Version(dist.version)
        except (InvalidVersion, TypeError):
            continue
    return found


def _version(text):
    return Version("0") if text == "0" else Version(text)


def in_range(version, events):
    """OSV's ECOSYSTEM range: affected from each `introduced` up to the next `fixed` or `last_affected`."""
    affected = False
    for event in sorted(events, key=lambda e: _version(next(iter(e.values())))):
        if "introduced" in event and version >= _version(event["introduced"]):
            affected = True
        elif "fixed" in event and version >= _version(event["fixed"]):
            affected = False
        elif "last_affected" in event and version > _version(event["last_affected"]):
            affected = False
    return affected


def affects(advisory, version):
    if str(version) in advisory.get("versions", []):
        return True
    try:
        return any(in_range(version, events) for events in advisory["ranges"])
    except InvalidVersion:
        return False


def audit(packages, advisories, exceptions):
    """(vulnerable, excused): lists of (package, version, advisory) found in `packages`."""
    vulnerable, excused = [], []
    for advisory in advisories:
        version = packages.get(advisory["package"])
        if version is None or not affects(advisory, version):
            continue
        finding = (advisory["package"], version, advisory)
        (excused if advisory["id"] in exceptions else vulnerable).append(finding)
    return vulnerable, excused


def load_exceptions():
    entries = tomllib.loads(EXCEPTIONS.read_text(encoding="utf-8")).get("exception", [])
    for entry in entries:
        if not entry.get("why", "").strip():
            raise SystemExit(f"exceptions.toml : l'exception {entry.get('id')} doit dire pourquoi (why).")
    return {entry["id"]: entry for entry in entries}


def refresh(database, packages, commit=None):
    """Keep, from the PyPA database's YAML files, the advisories about the packages installed here."""
    import yaml  # a test dependency, needed only to refresh

    database = Path(database)
    advisories = []
    for name in sorted(packages):
        for path in sorted((database / "vulns" / name).glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for affected in data.get("affected", []):
                if canonicalize_name(affected["package"]["name"]) != name:
                    continue
                advisory = {
                    "id": data["id"],
                    "aliases": data.get("aliases", []),
                    "package": name,
                    "summary": " ".join(data.get("details", "").split())[:300],
                    "ranges": [r["events"] for r in affected.get("ranges", []) if r["type"] == "ECOSYSTEM"],
                }
                # The list of affected releases repeats the ranges; kept only where there are none.
                if not advisory["ranges"]:
                    advisory["versions"] = affected.get("versions", [])
                advisories.append(advisory)
    sha, _, dated = (commit or _git_head(database)).partition(" ")
    header = {
        "source": "https://github.com/pypa/advisory-database (CC-BY 4.0)",
        "commit": sha,
        "dated": dated,
    }
    # One advisory a line, so that a refresh reads as a short diff.
    lines = ",\n".join(json.dumps(a, ensure_ascii=False) for a in advisories)
    ADVISORIES.write_text(json.dumps(header, ensure_ascii=False)[:-1] + ', "advisories": [\n' + lines + "\n]}\n")
    return len(advisories)


def _git_head(repository):
    import subprocess

    if not (repository / ".git").exists():
        raise SystemExit(f"{repository} n'est pas un clone git : donner --commit 'SHA AAAA-MM-JJ'.")
    return subprocess.run(
        ["git", "-C", str(repository), "log", "-1", "--format=%H %cs"], capture_output=True, text=True, check=True
    ).stdout.strip()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refresh", metavar="DIR", help="clone de pypa/advisory-database à relire")
    parser.add_argument(
        "--commit", metavar="'SHA AAAA-MM-JJ'", help="avec --refresh : le commit de DIR et sa date, hors clone git"
    )
    args = parser.parse_args(argv)
    packages = installed()
    if args.refresh:
        count = refresh(args.refresh, packages, args.commit)
        print(f"{count} avis gardés pour {len(packages)} paquets installés, dans {ADVISORIES.name}.")
        return 0

    data = json.loads(ADVISORIES.read_text(encoding="utf-8"))
    if not data["advisories"]:
        print("Aucun avis de sécurité dans advisories.json : rien n'a été vérifié.")
        return 2
    exceptions = load_exceptions()
    vulnerable, excused = audit(packages, data["advisories"], exceptions)
    print(
        f"{len(packages)} paquets installés comparés à {len(data['advisories'])} avis de sécurité "
        f"(base PyPA du {data['dated']}, commit {data['commit'][:12]})."
    )
    age = (datetime.now(UTC).date() - date.fromisoformat(data["dated"])).days
    if age > STALE_AFTER_DAYS:
        print(f"  Attention : ces avis ont {age} jours ; les plus récents manquent (--refresh, voir SECURITY.md).")
    for package, version, advisory in excused:
        print(f"  accepté : {package} {version} — {advisory['id']} : {exceptions[advisory['id']]['why']}")
    unused = set(exceptions) - {advisory["id"] for _, _, advisory in excused}
    for advisory_id in sorted(unused):
        print(f"  exception devenue inutile, à retirer de exceptions.toml : {advisory_id}")
    if not vulnerable:
        print("Aucune vulnérabilité connue sans exception écrite.")
        return 0
    for package, version, advisory in vulnerable:
        print(f"VULNÉRABLE : {package} {version} — {advisory['id']} {' '.join(advisory['aliases'])}")
        print(f"    {advisory['summary']}")
    print(f"{len(vulnerable)} vulnérabilité(s) connue(s) : mettre à jour, ou dire pourquoi dans exceptions.toml.")
    return 1


if __name__ == "__main__":
    sys.exit(main())
