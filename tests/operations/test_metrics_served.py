"""/metrics from gunicorn with several workers: the request figures of every worker, summed
(prometheus_client's multiprocess mode, as the web unit sets it up)."""

import os
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from prometheus_client.parser import text_string_to_metric_families

from tests.served import ROOT, gunicorn

TOKEN = "a-served-test-token"


def get(url: str, headers: dict[str, str] | None = None) -> bytes:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (http, local)
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        return answer.read()


def test_every_workers_requests_are_counted_in_one_scrape(tmp_path):
    figures = tmp_path / "metrics"
    figures.mkdir()
    env = {
        **os.environ,
        "HAICAP_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "haicap.settings",
        "HAICAP_METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(figures),
    }
    env.pop("DATABASE_URL", None)  # a database of its own, for the gauges
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    with gunicorn(env, workers=2) as (port, _status):
        base = f"http://127.0.0.1:{port}"
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda _n: get(f"{base}/healthz/live"), range(20)))
        text = get(f"{base}/metrics", {"Authorization": f"Bearer {TOKEN}"}).decode()
    counted = {
        tuple(sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "haicap_http_request_duration_seconds_count"
    }
    live = (("method", "GET"), ("route", "healthz_live"), ("status", "2xx"))
    assert counted[live] == 20
    assert any(path.name.startswith("histogram_") for path in figures.iterdir())
    assert "haicap_dossiers_overdue 0.0" in text
