"""WSGI entry point for the production server (gunicorn)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

from haicap.core.memory import return_large_blocks_to_the_os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")

return_large_blocks_to_the_os()  # a sign-in's 19 MiB of Argon2 are not kept by the worker
application = get_wsgi_application()

# What is loaded by now lives as long as the worker: kept out of the collector's full passes,
# which would otherwise walk all of it in the middle of a request that makes many objects (a
# province dashboard's thousands of groups), stalling it by tens of milliseconds.
gc.freeze()
