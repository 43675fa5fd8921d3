"""What of the load test runs without a server: the locustfile's users, the memory verdict."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent


def _runner():
    spec = importlib.util.spec_from_file_location("load_test", ROOT / "bench" / "load_test.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


load_test = _runner()

# Locust patches the standard library with gevent when imported: look at it in its own process.
DESCRIBE = """
import importlib.util, json, locust
spec = importlib.util.spec_from_file_location("locustfile", "bench/load/locustfile.py")
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
users = {
    name: {"weight": cls.weight, "tasks": sorted({t.__name__ for t in cls.tasks})}
    for name, cls in vars(module).items()
    if isinstance(cls, type) and issubclass(cls, locust.User) and not cls.abstract
    and cls.__module__ == "locustfile"
}
print(json.dumps(users))
"""


def test_the_locustfile_imports_and_each_kind_of_user_has_tasks():
    described = subprocess.run(
        [sys.executable, "-c", DESCRIBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},  # no HAICAP_LOAD_CONFIG: it must still import
    )
    users = json.loads(described.stdout.strip().splitlines()[-1])
    assert set(users) == {"IntakeOfficer", "DeskOfficer", "ProvinceSupervisor", "Citizen"}
    for name, user in users.items():
        assert user["weight"] > 0, name
        assert user["tasks"], name
    assert {"receive", "forward"} <= set(users["IntakeOfficer"]["tasks"])
    assert "look_up" in users["Citizen"]["tasks"]
    assert "dashboard" in users["ProvinceSupervisor"]["tasks"]


def test_a_worker_that_grows_after_the_first_minute_fails_the_run():
    # (seconds, pid, VmRSS, VmHWM) in kB
    samples = [(0.0, 11, 50_000, 50_000), (30.0, 11, 80_000, 80_000)]
    samples += [(60.0 + 5 * n, 11, 100_000 + 2_000 * n, 112_000) for n in range(7)]  # to 112,000
    samples += [(0.0, 12, 90_000, 90_000), (60.0, 12, 100_000, 100_000)]
    samples += [(120.0, 12, 109_000, 140_000)]  # a spike between two samples
    memory = {w.pid: w for w in load_test.memory_by_worker(samples)}
    assert memory[11].at_one_minute_kb == 100_000
    assert memory[11].at_end_kb == 112_000
    assert abs(memory[11].growth - 0.12) < 1e-9
    # The peak between samples counts for the ceiling, not for the growth.
    assert abs(memory[12].growth - 0.09) < 1e-9
    assert memory[12].max_kb == 140_000

    stats = [
        {"Type": "GET", "Name": "desk: home", "Request Count": "10", "Failure Count": "0",
         "50%": "20", "95%": "40", "99%": "50", "Requests/s": "1.0"},
        {"Type": "", "Name": "Aggregated", "Request Count": "10", "Failure Count": "0",
         "50%": "20", "95%": "40", "99%": "50", "Requests/s": "1.0"},
    ]  # fmt: skip
    problems = load_test.report(stats, list(memory.values()), expected_workers=2)
    assert len(problems) == 1
    assert "11 grew" in problems[0]


def test_failures_a_heavy_worker_and_a_replaced_worker_each_fail_the_run():
    stats = [
        {"Type": "", "Name": "Aggregated", "Request Count": "10", "Failure Count": "2",
         "50%": "20", "95%": "40", "99%": "50", "Requests/s": "1.0"},
    ]  # fmt: skip
    heavy = [(0.0, 21, 100_000, 100_000), (60.0, 21, 100_000, 160_000)]
    heavy += [(0.0, 22, 60_000, 60_000), (60.0, 22, 60_000, 60_000)]
    problems = load_test.report(stats, load_test.memory_by_worker(heavy), expected_workers=3)
    assert len(problems) == 3
    assert "2 requests failed" in problems[0]
    assert "21 reached" in problems[1]
    assert "2 web workers were seen for 3" in problems[2]


@given(
    st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=30),
    st.integers(min_value=1, max_value=10**6),
)
def test_growth_counts_only_what_follows_the_first_minute(settled, warm_up):
    assume(max(settled) * 10 != settled[0] * 11)  # exactly 10 %: a matter of rounding
    samples = [(0.0, 7, warm_up, warm_up)]
    samples += [
        (60.0 + 5 * n, 7, kb, max(warm_up, *settled[: n + 1])) for n, kb in enumerate(settled)
    ]
    (worker,) = load_test.memory_by_worker(samples)
    assert worker.at_one_minute_kb == settled[0]
    assert worker.max_kb == max(warm_up, *settled)
    assert (worker.growth > 0.10) == any(kb > settled[0] * 1.10 for kb in settled)
