"""Chronology: EDTF dates (:mod:`~nerchinsk_map.chronology.dates`) and the Julian and Qing
calendars (:mod:`~nerchinsk_map.chronology.calendars`). Used by every wing; uses none of them."""
