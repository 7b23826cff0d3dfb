"""The production files point at things that exist and hold together: scripts, modules, mounted and copied files,
compose's services as `docker compose config` would judge them, the Caddyfile as Caddy reads it, and
`make prod-local` (platform/local.sh), which runs the same scripts without Docker."""

import ast
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
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


# What `docker compose config` would refuse, or accept but run wrongly, checked without Docker.
DEPENDS_ON_CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
RESTART_POLICIES = {"no", "always", "on-failure", "unless-stopped"}
HEALTHCHECK_TEST_FORMS = {"CMD", "CMD-SHELL"}
DURATION = re.compile(r"(\d+(\.\d+)?(h|m|s|ms|us|ns))+")


def test_compose_services_run_an_image_or_a_build_that_exists():
    for name, service in load_compose()["services"].items():
        assert ("image" in service) != ("build" in service), f"{name}: one of image or build"
        if "build" in service:
            context = ROOT / service["build"]["context"]
            assert context.is_dir(), f"{name}: build context {context} is missing"
            assert (context / service["build"]["dockerfile"]).is_file(), f"{name}: no Dockerfile"
        else:
            assert ":" in service["image"], f"{name}: pin the image's tag, not `latest` by default"
        assert service.get("restart", "no") in RESTART_POLICIES, name


def test_compose_healthchecks_are_well_formed():
    for name, service in load_compose()["services"].items():
        check = service.get("healthcheck")
        if check is None:
            continue
        assert isinstance(check["test"], list) and check["test"][0] in HEALTHCHECK_TEST_FORMS, name
        assert len(check["test"]) > 1, f"{name}: the healthcheck runs nothing"
        for key in ("interval", "timeout", "start_period"):
            if key in check:
                assert DURATION.fullmatch(check[key]), f"{name}: {key} {check[key]!r} is no duration"
        assert int(check.get("retries", 3)) >= 1, name


def test_compose_depends_on_waits_for_what_each_service_can_report():
    services = load_compose()["services"]
    for name, service in services.items():
        for target, dependency in service.get("depends_on", {}).items():
            assert target in services and target != name, f"{name} depends on unknown {target}"
            condition = dependency["condition"]
            assert condition in DEPENDS_ON_CONDITIONS, f"{name}: {condition}"
            if condition == "service_healthy":
                assert "healthcheck" in services[target], f"{name} waits for {target} to be healthy, it has no check"
            if condition == "service_completed_successfully":
                # Only a one-shot job ever completes; a restarted service would be waited for forever.
                assert services[target].get("restart") == "no", f"{name} waits for {target} to finish"


def test_compose_volumes_are_declared_and_used():
    compose = load_compose()
    declared = set(compose["volumes"])
    used = set()
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume["source"] if isinstance(volume, dict) else volume.split(":")[0]
            if not source.startswith(("./", "/")):
                assert source in declared, f"{name}: volume {source} is not declared at the top level"
                used.add(source)
    assert used == declared, f"declared but unused: {sorted(declared - used)}"


def test_compose_env_files_have_their_committed_example():
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    for name, service in load_compose()["services"].items():
        env_files = service.get("env_file", [])
        for env_file in [env_files] if isinstance(env_files, str) else env_files:
            example = ROOT / f"{env_file}.example"
            assert example.is_file(), f"{name}: {env_file} has no {example.name} to copy"
            # The real file holds the secrets: never committed.
            assert f"/{env_file}" in ignored, f"{env_file} is not in .gitignore"


def test_compose_publishes_ports_on_the_proxy_only():
    for name, service in load_compose()["services"].items():
        assert ("ports" in service) == (name == "proxy"), f"{name}: only Caddy faces the network"


# Docker, its compose plugin and a daemon: the whole stack, started as platform/README.md says.
def docker_compose_available():
    if shutil.which("docker") is None:
        return "Docker est absent"
    for command, missing in (
        (["docker", "compose", "version"], "Docker n'a pas le greffon compose"),
        (["docker", "info"], "le démon Docker ne répond pas"),
    ):
        if subprocess.run(command, capture_output=True).returncode != 0:
            return missing
    return None


@pytest.fixture
def compose_env_file():
    """platform/.env from the example, with a real key and plain HTTP; left alone if someone already wrote one."""
    reason = docker_compose_available()
    if reason:
        pytest.skip(f"{reason} : la pile docker-compose.yml n'est pas démarrée (ses fichiers sont vérifiés ci-dessus)")
    env_file = PLATFORM / ".env"
    if env_file.exists():
        yield env_file
        return
    text = (PLATFORM / ".env.example").read_text()
    replacements = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "localhost",
        "SITE_ADDRESS": ":80",
        "SITE_HOSTS": "localhost",
        "EMAIL_URL": "consolemail://",
    }
    lines = [
        f"{line.split('=')[0]}={replacements[line.split('=')[0]]}" if line.split("=")[0] in replacements else line
        for line in text.splitlines()
    ]
    env_file.write_text("\n".join(lines) + "\n")
    try:
        yield env_file
    finally:
        env_file.unlink()


def test_compose_stack_starts_and_answers_through_caddy(compose_env_file):
    port = free_port()
    env = {**os.environ, "PORT": str(port), "HTTPS_PORT": str(free_port())}
    compose = ["docker", "compose", "--project-name", "placette-test", "--file", str(ROOT / "docker-compose.yml")]
    subprocess.run([*compose, "config", "--quiet"], cwd=ROOT, env=env, check=True)
    try:
        subprocess.run([*compose, "up", "--detach", "--build", "--wait"], cwd=ROOT, env=env, check=True, timeout=1800)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": "localhost"})
        # Caddy says the request came over HTTP: Django itself answers with the redirect to HTTPS.
        opener = urllib.request.build_opener(NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as answer:
            opener.open(request, timeout=30)
        assert answer.value.code == 301
        assert answer.value.headers["Location"].startswith("https://localhost")
    finally:
        subprocess.run([*compose, "down", "--volumes"], cwd=ROOT, env=env, check=False, timeout=300)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def caddy_json(env, tmp_path):
    """platform/Caddyfile as Caddy reads it with `env`; validated first, as Caddy would at start."""
    environment = {**os.environ, **env, "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    command = ["caddy", "{}", "--adapter", "caddyfile", "--config", str(PLATFORM / "Caddyfile")]
    validated = subprocess.run(
        [part.replace("{}", "validate") for part in command], env=environment, capture_output=True, text=True
    )
    assert validated.returncode == 0, validated.stderr
    adapted = subprocess.run(
        [part.replace("{}", "adapt") for part in command], env=environment, capture_output=True, text=True, check=True
    )
    return adapted.stdout


needs_caddy = pytest.mark.skipif(shutil.which("caddy") is None, reason="Caddy est absent : apt-get install caddy")


@needs_caddy
def test_caddyfile_is_valid_with_compose_addresses(tmp_path):
    config = caddy_json({}, tmp_path)
    for upstream in ('"dial":"web:8000"', '"dial":"ws:8001"'):
        assert upstream in config
    assert '"root":"/srv/media"' in config and '"listen":"localhost:2019"' in config
    # Caddy warns in its log at every start about a file `caddy fmt` would change.
    formatted = subprocess.run(
        ["caddy", "fmt", str(PLATFORM / "Caddyfile")], capture_output=True, text=True, check=True
    )
    assert formatted.stdout == (PLATFORM / "Caddyfile").read_text()


@needs_caddy
def test_caddyfile_is_valid_with_the_local_stack_addresses(tmp_path):
    env = {
        "SITE_ADDRESS": ":8080",
        "WEB_UPSTREAM": "127.0.0.1:8100",
        "WS_UPSTREAMS": "127.0.0.1:8101 127.0.0.1:8102",
        "MEDIA_DIR": str(tmp_path),
        "CADDY_ADMIN": "off",
    }
    config = caddy_json(env, tmp_path)
    # Both daphne behind /ws/, each new socket to the one holding the fewest.
    assert '"dial":"127.0.0.1:8101"},{"dial":"127.0.0.1:8102"' in config
    assert '"policy":"least_conn"' in config
    assert '"dial":"127.0.0.1:8100"' in config and '"disabled":true' in config


LOCAL_SCRIPT = PLATFORM / "local.sh"


def test_local_stack_runs_the_scripts_and_caddyfile_compose_runs():
    text = LOCAL_SCRIPT.read_text()
    assert LOCAL_SCRIPT.stat().st_mode & 0o111
    lines = text.splitlines()
    assert lines[0] == "#!/bin/sh" and "set -eu" in lines
    subprocess.run(["sh", "-n", str(LOCAL_SCRIPT)], check=True)
    for name, service in load_compose()["services"].items():
        for token in command_tokens(service):
            if is_repo_path(token):
                assert token in text, f"platform/local.sh does not run {token} ({name})"
    assert "platform/Caddyfile" in text


def test_local_stack_check_mode(tmp_path):
    ports = [free_port() for _ in range(4)]
    env = {
        **os.environ,
        "PROD_LOCAL_BIN": str(Path(sys.executable).parent),
        "PROD_LOCAL_DIR": str(tmp_path),
        "PROD_LOCAL_PORT": str(ports[0]),
        "PROD_LOCAL_WEB_PORT": str(ports[1]),
        "PROD_LOCAL_WS_PORTS": f"{ports[2]} {ports[3]}",
    }
    result = subprocess.run([str(LOCAL_SCRIPT), "--check"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"Caddy sur le port {ports[0]}" in result.stdout
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", ports[1]))
        taken.listen()
        result = subprocess.run([str(LOCAL_SCRIPT), "--check"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"Le port {ports[1]} est déjà pris" in result.stderr
