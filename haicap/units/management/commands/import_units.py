from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from haicap.core.context import acting_as
from haicap.units import unit_list
from haicap.units.services import ProvinceSpec, import_province


class Command(BaseCommand):
    help = (
        "Import a province's commune-level units and their lineage from a CSV shaped like "
        "haicap/units/data/nghe-an-communes-2025.csv; optionally official codes from a second CSV "
        "(code,kind,name,postcode). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("units_csv", type=Path)
        parser.add_argument("--province-code", required=True, help="2 digits, e.g. 40")
        parser.add_argument("--province-name", required=True, help="e.g. Nghệ An")
        parser.add_argument("--codes", type=Path, help="CSV of official codes and postcodes")
        parser.add_argument(
            "--legal-basis", default="", help="the resolution that arranged the units"
        )

    def handle(self, *args: object, **options: object) -> None:
        code = str(options["province_code"])
        if not (code.isdigit() and len(code) == 2):
            raise CommandError(f"--province-code must be 2 digits, not {code!r}")
        try:
            with open(options["units_csv"], encoding="utf-8-sig") as units_file:
                units = unit_list.parse_unit_list(units_file)
            codes = {}
            if options["codes"]:
                with open(options["codes"], encoding="utf-8-sig") as codes_file:
                    codes = unit_list.parse_code_list(codes_file)
        except OSError as error:
            raise CommandError(f"cannot read {error.filename}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError("the file is not UTF-8 text; save it as CSV UTF-8") from error
        except unit_list.UnitListError as error:
            raise CommandError(
                f"{len(error.problems)} problem(s), nothing imported: " + "; ".join(error.problems)
            ) from error
        spec = ProvinceSpec(
            code=code, name=str(options["province_name"]), legal_basis=str(options["legal_basis"])
        )
        with acting_as("import_units"):
            report = import_province(spec, units, codes)
        self.stdout.write(
            f"{report.created} units created, {report.updated} updated, {report.unchanged} "
            f"unchanged; {report.links_created} lineage links, {report.agencies_created} agencies"
        )
