"""`bench/bakerydemo.py`: what it would install and run, checked without installing or starting anything."""

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bakerydemo(monkeypatch):
    # The benches import each other as scripts run from bench/ do (`import agenda_http`).
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    return importlib.import_module("bakerydemo")


def test_listings_are_distinct_index_pages_named_in_french(bakerydemo):
    names = [name for name, _path in bakerydemo.LISTINGS]
    paths = [path for _name, path in bakerydemo.LISTINGS]
    assert len(bakerydemo.LISTINGS) >= 3
    assert len(set(names)) == len(names) and len(set(paths)) == len(paths)
    assert all(name.startswith("bakerydemo : ") for name in names)
    assert all(re.fullmatch(r"/[a-z-]+/", path) for path in paths)


def test_the_commit_is_pinned_and_the_copy_lives_outside_the_repository(bakerydemo, monkeypatch, tmp_path):
    assert re.fullmatch(r"[0-9a-f]{40}", bakerydemo.COMMIT)
    monkeypatch.delenv("BAKERYDEMO_DIR", raising=False)
    assert not bakerydemo.directory().is_relative_to(ROOT)
    monkeypatch.setenv("BAKERYDEMO_DIR", str(tmp_path))
    assert bakerydemo.directory() == tmp_path


def test_it_runs_under_gunicorn_as_placette_does_in_production(bakerydemo, tmp_path):
    command = bakerydemo.gunicorn_command(tmp_path, 8123)
    assert command[0] == str(tmp_path / "venv" / "bin" / "gunicorn")
    assert command[1] == "bakerydemo.wsgi:application"
    options = dict(zip(command[2::2], command[3::2], strict=True))
    assert options["--bind"] == "127.0.0.1:8123"
    assert options["--workers"] == "2"
    web = (ROOT / "platform" / "web.sh").read_text()
    assert '--workers "${WEB_CONCURRENCY:-2}"' in web and "--worker-tmp-dir /dev/shm" in web


def test_its_processes_get_its_production_settings_and_none_of_ours(bakerydemo, monkeypatch, tmp_path):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/9")
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "placette.settings")
    monkeypatch.delenv("BAKERYDEMO_DATABASE_URL", raising=False)
    env = bakerydemo.environment(tmp_path)
    assert env["DJANGO_SETTINGS_MODULE"] == "bakerydemo.settings.production"
    assert env["DATABASE_URL"].endswith("/bakerydemo_bench")
    assert "REDIS_URL" not in env
    assert env["PATH"].startswith(f"{tmp_path / 'venv' / 'bin'}:")


def test_starting_before_installing_says_so_instead_of_starting(bakerydemo, monkeypatch, tmp_path):
    monkeypatch.setenv("BAKERYDEMO_DIR", str(tmp_path))
    with pytest.raises(SystemExit, match="pas installé"):
        bakerydemo.start(8123, tmp_path / "gunicorn.log")


def test_a_step_runs_once_per_fingerprint(bakerydemo, tmp_path):
    runs, said = [], []
    for fingerprint in ("a", "a", "b"):
        bakerydemo.step(tmp_path, "essai", fingerprint, lambda: runs.append(1), said.append, "on fait l'essai")
    assert len(runs) == 2
    assert said.count("on fait l'essai") == 2
