"""Moved to haicap.core.roles; this name goes once every caller uses the new one."""

from haicap.core.roles import *  # noqa: F403
from haicap.core.roles import PROVINCE_WIDE_ROLES, Role, is_read_only  # noqa: F401
