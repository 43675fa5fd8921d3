"""The shipped production files (deploy/) agree with haicap: the settings pass Django's deploy
check, the environment example names every variable haicap reads, and nginx lets through the
largest body haicap takes."""

import os
import re
import secrets
import subprocess
import sys

from django.conf import settings

from tests.served import ROOT

DEPLOY = ROOT / "deploy"
ASSIGNMENT = re.compile(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")


def env_example() -> tuple[dict[str, str], set[str]]:
    """The example's set variables, and every name it mentions (set or commented out)."""
    values, named = {}, set()
    for line in (DEPLOY / "haicap.env.example").read_text().splitlines():
        found = ASSIGNMENT.match(line)
        if found:
            named.add(found[2])
            if not found[1]:
                values[found[2]] = found[3]
    return values, named


def read_by_haicap() -> set[str]:
    """Every HAICAP_* variable named in haicap's code and gunicorn's settings."""
    sources = [*sorted((ROOT / "haicap").rglob("*.py")), ROOT / "gunicorn.conf.py"]
    names = set()
    for source in sources:
        names |= set(re.findall(r"\bHAICAP_[A-Z0-9_]*[A-Z0-9]\b", source.read_text()))
    return names


def test_the_env_example_names_every_variable_haicap_reads():
    _values, named = env_example()
    assert "HAICAP_SECRET_KEY" in read_by_haicap()  # the scan finds settings.py's names
    missing = read_by_haicap() - named
    assert not missing, f"add to deploy/haicap.env.example: {sorted(missing)}"
    assert "DATABASE_URL" in named


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    """``manage.py check --deploy``, failing on warnings, with exactly ``env``."""
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_documented_production_settings_pass_the_deploy_check(tmp_path):
    values, _named = env_example()
    assert values["HAICAP_SECRET_KEY"] == "CHANGE-ME"  # no real secret in the repository
    values["HAICAP_SECRET_KEY"] = secrets.token_urlsafe(50)
    # the example's directories, moved under the test's own
    env = {
        name: value.replace("/var/lib/haicap", str(tmp_path / "var"))
        for name, value in values.items()
    }
    env |= {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "haicap.settings"}
    checked = deploy_check(env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues" in checked.stdout


def test_the_deploy_check_warns_with_the_development_defaults(tmp_path):
    """The check above passes because of the example's values, not because it checks nothing."""
    env = {
        "PATH": os.environ["PATH"],
        "HAICAP_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "haicap.settings",
    }
    checked = deploy_check(env)
    assert checked.returncode != 0
    assert "security.W008" in checked.stderr  # no redirect to HTTPS


def test_nginx_takes_the_largest_body_haicap_takes():
    conf = (DEPLOY / "nginx" / "haicap.conf").read_text()
    size = re.search(r"client_max_body_size (\d+)m;", conf)
    assert size is not None
    largest = max(settings.REQUEST_BODY_LIMITS.values())
    assert int(size[1]) * 1024 * 1024 == largest


def test_the_units_run_hardened_and_read_the_env_file():
    for unit in ("haicap-web.service", "haicap-worker.service"):
        text = (DEPLOY / "systemd" / unit).read_text()
        for option in (
            "User=haicap",
            "EnvironmentFile=/etc/haicap/haicap.env",
            "ProtectSystem=strict",
            "ReadWritePaths=/var/lib/haicap",
            "PrivateTmp=true",
            "NoNewPrivileges=true",
            "Restart=on-failure",
        ):
            assert option in text.splitlines(), (unit, option)
    web = (DEPLOY / "systemd" / "haicap-web.service").read_text()
    assert "Environment=PROMETHEUS_MULTIPROC_DIR=/run/haicap-web" in web


def test_nginx_file_reads_on_debian_12s_nginx():
    """Debian 12 ships nginx 1.22: `http2 on;` (1.25.1) fails `nginx -t` there."""
    lines = [
        line.split("#")[0].strip()
        for line in (DEPLOY / "nginx" / "haicap.conf").read_text().splitlines()
    ]
    assert not any(line.startswith("http2 ") for line in lines)
    assert "listen 443 ssl http2;" in lines
