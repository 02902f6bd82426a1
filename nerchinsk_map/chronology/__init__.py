"""Chronology: EDTF dates and the Julian and Qing calendars.

:mod:`~nerchinsk_map.chronology.dates` reads and writes dates with their doubt,
:mod:`~nerchinsk_map.chronology.calendars` converts between the sources' calendars. Used by
every wing; uses none of them.
"""
