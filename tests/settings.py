"""Settings for the test suite: the production settings, with static files served from source."""

from haicap.settings import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
RESULT_SIGNING = "off"  # the signing tests turn it on; others need no certificates
