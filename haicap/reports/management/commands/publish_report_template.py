from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from haicap.core.context import acting_as
from haicap.core.errors import InvalidInput
from haicap.reports.services import templates
from haicap.reports.template_file import TemplateFileError, read


class Command(BaseCommand):
    help = (
        "Publish the next version of a commune report template from a JSON file: its code, "
        "name, period (month, quarter, half_year, year), due and late-after days after the "
        "period ends, the day it comes into force, the communes that file it by official code "
        "(none: every commune) and its definition (sections of cells, rules). The file is "
        "checked whole, its sources against those registered; a refusal lists every problem on "
        "one line and publishes nothing. A published version is never changed: publish the "
        "next one. Example: docs/examples/report-template.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="FILE.json")

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or "not UTF-8 text"
            raise CommandError(f"cannot read {path}: {reason}") from error
        try:
            found = read(text)
            with acting_as("publish_report_template"):
                template = templates.publish(
                    None,
                    code=found.code,
                    name=found.name,
                    period_kind=found.period,
                    due_days=found.due_days,
                    late_after_days=found.late_after_days,
                    definition=found.definition,
                    in_force_from=found.in_force_from,
                    filers=templates.communes_coded(found.filers),
                )
        except (TemplateFileError, InvalidInput) as refused:
            # every problem, on one line
            problems = " ".join(str(refused).split())
            raise CommandError(f"{path}: nothing published: {problems}") from refused
        filers = template.filers.count()
        self.stdout.write(
            f"published {template.code} version {template.version} ({template.name}), "
            f"{template.period_kind}, in force from {template.in_force_from:%d/%m/%Y}, filed by "
            + (f"{filers} communes" if filers else "every commune in force")
        )
