"""Process templates compiled once a process: the workflow engine's ``Template`` of a version.

A published version is never edited (a change is a new version), yet the key holds the
definition's text too: a database that reuses an id for another version (a test's rolled-back
row, a restored copy) never gets the other version's steps.
"""

import json

from haicap.catalog.models import ProcessTemplate
from haicap.workflow.definition import from_definition
from haicap.workflow.engine import Template

_KEPT = 512  # versions of every template a province uses, many times over
_compiled: dict[tuple, Template] = {}


def compiled(template: ProcessTemplate) -> Template:
    """The workflow engine's template of this published version (validated on first use)."""
    key = (
        template.pk,
        template.code,
        template.version,
        template.name,
        json.dumps(template.definition, sort_keys=True),
    )
    found = _compiled.get(key)
    if found is None:
        if len(_compiled) >= _KEPT:
            _compiled.clear()
        found = _compiled[key] = from_definition(template.code, template.name, template.definition)
    return found
