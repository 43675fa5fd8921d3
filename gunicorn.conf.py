"""gunicorn's settings for haicap, read from the project directory by `make run`.

The web server writes nothing outside the project: its workers' heartbeat files go under the
var directory, and the control socket (which gunicorn would make in the home directory) is off:
haicap is stopped and reloaded with signals, as the production guide says.
"""

import os
from pathlib import Path

_run_dir = Path(os.environ.get("HAICAP_VAR_DIR", Path(__file__).resolve().parent / "var")) / "run"
_run_dir.mkdir(parents=True, exist_ok=True)

worker_tmp_dir = str(_run_dir)
control_socket_disable = True
