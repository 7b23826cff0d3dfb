"""The production files point at things that exist: scripts, modules, mounted and copied files."""

import ast
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PLATFORM = ROOT / "platform"
SERVICES = {"db", "redis", "migrate", "web", "ws", "worker", "proxy"}
# migrate is a one-shot job (it exits) and nothing waits on the proxy or the worker; the others have a healthcheck.
WITHOUT_HEALTHCHECK = {"migrate", "proxy", "worker"}
# "package.module:attribute", as gunicorn and daphne take their application.
TARGET = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:[A-Za-z_]\w*")


def load_compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_tokens(service):
    tokens = []
    for key in ("entrypoint", "command"):
        value = service.get(key) or []
        assert isinstance(value, list), f"{key} must be a list, not {value!r}"
        tokens += value
    return tokens


def is_repo_path(token):
    return "/" in token and not token.startswith(("/", "-")) and ":" not in token


def script_tokens(path):
    return shlex.split(path.read_text(), comments=True)


def top_level_names(path):
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.ImportFrom):
            names |= {alias.asname or alias.name for alias in node.names}
    return names


def assert_target_defined(target):
    module, attribute = target.split(":")
    base = ROOT.joinpath(*module.split("."))
    candidates = [base.with_suffix(".py"), base / "__init__.py"]
    source = next((path for path in candidates if path.is_file()), None)
    assert source, f"{target}: no module file at {base}.py"
    assert attribute in top_level_names(source), f"{target}: {source.name} defines no top-level {attribute}"


def dockerfile_copy_sources():
    text = (PLATFORM / "Dockerfile").read_text().replace("\\\n", " ")
    sources = []
    for line in text.splitlines():
        words = line.split()
        if not words or words[0].upper() != "COPY":
            continue
        if any(word.startswith("--from") for word in words):
            continue  # copies from another build stage, not from the repository
        args = [word for word in words[1:] if not word.startswith("--")]
        sources += args[:-1]
    return sources


def test_platform_folder_does_not_shadow_the_stdlib_platform_module():
    assert not (PLATFORM / "__init__.py").exists()
    assert not (ROOT / "platform.py").exists()
    # A fresh interpreter started from the repository, with it first on the path as in the image (PYTHONPATH=/app);
    # uuid imports platform, and Wagtail imports uuid.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONSAFEPATH", None)
    code = "import uuid, platform; platform.python_version(); print(platform.__file__)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    platform_file = Path(result.stdout.strip()).resolve()
    assert ROOT not in platform_file.parents


def test_compose_services_and_healthchecks():
    services = load_compose()["services"]
    assert set(services) == SERVICES
    for name, service in services.items():
        assert ("healthcheck" in service) == (name not in WITHOUT_HEALTHCHECK), name
    for name in ("web", "ws", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_compose_commands_point_at_existing_scripts_and_modules():
    scripts, targets = set(), set()
    for name, service in load_compose()["services"].items():
        tokens = command_tokens(service)
        for position, token in enumerate(tokens):
            if is_repo_path(token):
                path = ROOT / token
                assert path.is_file(), f"{name}: {token} does not exist"
                if position == 0 or path.read_text().startswith("#!"):
                    scripts.add(path)
        if tokens:
            assert is_repo_path(tokens[0]) or "/" not in tokens[0], f"{name}: {tokens[0]} is no repo file or program"
        targets |= {token for token in tokens if TARGET.fullmatch(token)}
    assert scripts, "no service runs a script from the repository"
    for script in scripts:
        assert script.stat().st_mode & 0o111, f"{script.name} is not executable"
        lines = script.read_text().splitlines()
        assert lines[0] == "#!/bin/sh" and "set -eu" in lines, f"{script.name}: POSIX sh with set -eu"
        subprocess.run(["sh", "-n", str(script)], check=True)
        tokens = script_tokens(script)
        found = {token for token in tokens if TARGET.fullmatch(token)}
        if {"gunicorn", "daphne"} & set(tokens):
            assert found, f"{script.name} starts a server without a module:attribute target"
        targets |= found
    assert targets
    for target in sorted(targets):
        assert_target_defined(target)


def test_compose_bind_mounts_exist():
    for name, service in load_compose()["services"].items():
        for volume in service.get("volumes", []):
            source = volume["source"] if isinstance(volume, dict) else volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), f"{name}: {source} does not exist"


def test_dockerfile_copies_exist_and_cover_every_package():
    sources = dockerfile_copy_sources()
    assert sources
    for source in sources:
        assert list(ROOT.glob(source.rstrip("/"))), f"COPY {source}: nothing matches in the repository"
    copied = {source.rstrip("/") for source in sources}
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests"}
    assert packages <= copied, f"packages missing from the Dockerfile: {sorted(packages - copied)}"
