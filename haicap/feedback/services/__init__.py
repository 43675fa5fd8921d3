"""The feedback app's writes: ``filing`` (file a petition, whatever the channel), ``handling``
(assign, begin, step deadline, transfer, answer; the sender's reopen and accept), ``ratings``
(rate a returned dossier or an answered petition), ``lookup`` (the sender's code-and-PIN
look-up)."""
