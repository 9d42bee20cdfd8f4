"""``andon doctor``: on the device, check what a configuration needs and say what to fix.

One module per check (:mod:`~andon.doctor.pins`, :mod:`~andon.doctor.scanners`,
:mod:`~andon.doctor.credentials`, :mod:`~andon.doctor.broker`,
:mod:`~andon.doctor.clock`, :mod:`~andon.doctor.disk`), each returning
:class:`~andon.doctor.result.CheckResult` values; :mod:`~andon.doctor.runner`
picks the checks a configuration file needs and prints the report.
"""
