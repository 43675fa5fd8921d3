"""The staff sheets' problems in the reader's language: the pure rules (``staff_sheet``,
``haicap.dossiers.applicant``, ``haicap.core.sheets``) speak English; their words are here, so
that the catalogue holds them."""

from django.utils.translation import gettext, gettext_noop

from haicap.core.text import as_sentence
from haicap.staffing.staff_sheet import Problem

WORDS = (
    gettext_noop("the column is missing"),
    gettext_noop("its columns are not those of any of the four sheets (see the template)"),
    gettext_noop("a second sheet of %(kind)s; the first is %(first)s"),
    gettext_noop("none of the four sheets is there (see the template)"),
    gettext_noop("the sheets have no rows"),
    gettext_noop("empty: it is required"),
    gettext_noop("longer than %(max)d characters"),
    gettext_noop("not a whole number from %(low)d to %(high)d"),
    gettext_noop("not a date written dd/mm/yyyy"),
    gettext_noop("%(value)s is already on row %(row)d"),
    gettext_noop("a posting that ends needs the day it began"),
    gettext_noop("the posting ends before it begins"),
    gettext_noop("write cố định (fixed) or khối lượng (workload)"),
    gettext_noop("a workload norm needs the dossiers one officer handles a month (1 or more)"),
    gettext_noop("the two units are the same"),
    # the kinds of sheet, as a problem names them
    gettext_noop("positions"),
    gettext_noop("officers"),
    gettext_noop("norms"),
    gettext_noop("travel times"),
    # what the import finds against the records (services.staff)
    gettext_noop("a day after today (%(today)s)"),
    gettext_noop(
        "no agency has the code %(code)s: the codes are on the desk's Agencies page and on the "
        "template's sheet “Mã cơ quan”"
    ),
    gettext_noop("no staff field has the code %(code)s; the codes are %(codes)s"),
    gettext_noop(
        "no staff field has the code %(code)s: the codes are on the template's sheet “Mã lĩnh vực”"
    ),
    gettext_noop(
        "%(agency)s has no position of field %(field)s, grade %(grade)s: add it on the "
        "positions sheet"
    ),
    gettext_noop("no active account has the user name %(username)s"),
    gettext_noop("the account %(username)s is linked to officer %(staff_number)s"),
    gettext_noop("the account %(username)s is named on row %(row)d too"),
    gettext_noop("%(agency)s has no one-stop desk: only a desk's officers have posting dates"),
    gettext_noop(
        "no current commune has the code %(code)s: the codes are on the desk's Units page"
    ),
    gettext_noop("%(code)s is not a provincial agency: a commune's norm names the commune"),
    gettext_noop("no unit has the code %(code)s: the codes are on the desk's Units page"),
    # what the sheet reader says of a file (haicap.core.sheets)
    gettext_noop("the file is not UTF-8 text; save it as CSV UTF-8"),
    gettext_noop("the file is not a readable .xlsx workbook"),
    gettext_noop("send a .csv or .xlsx file"),
)
# Parameters that are words themselves, said in the reader's language too (a kind of sheet, a
# kind of character: haicap.core.validators.KINDS holds those words).
WORD_PARAMS = {"kind"}


def describe(problem: Problem) -> str:
    """``Trang “Cán bộ”, dòng 5, cột “Số CCCD”: …`` in the active language."""
    params = {
        key: gettext(str(value)) if key in WORD_PARAMS else value
        for key, value in problem.params.items()
    }
    what = as_sentence(gettext(problem.message) % params)
    if problem.row is not None and problem.column:
        where = gettext("Sheet “%(sheet)s”, row %(row)d, column “%(column)s”")
    elif problem.row is not None:
        where = gettext("Sheet “%(sheet)s”, row %(row)d")
    else:
        where = gettext("Sheet “%(sheet)s”")
    place = {"sheet": problem.sheet, "row": problem.row, "column": problem.column}
    return f"{where % place}: {what}"


def file_problem(name: str, reason: str) -> str:
    """A file the sheet reader could not read, and why."""
    reason = as_sentence(gettext(reason))
    return gettext("File “%(name)s”: %(reason)s") % {"name": name, "reason": reason}
