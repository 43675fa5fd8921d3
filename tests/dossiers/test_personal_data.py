"""What of an applicant's personal data a reader is shown: a rule the desk's pages and exports
and the API ask, not decide."""

from haicap.dossiers.personal_data import shown_id_number, shown_phone


def test_an_officer_sees_the_numbers_whole_a_supervisor_masked():
    assert shown_id_number("040195012345", personal=True) == "040195012345"
    assert shown_id_number("040195012345", personal=False) == "040******345"
    assert shown_phone("0912345678", personal=True) == "0912345678"
    assert shown_phone("0912345678", personal=False) == "091****678"
    assert shown_id_number("", personal=False) == shown_phone("", personal=False) == ""
