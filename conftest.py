"""Shared by every test run from the repository root.

Test folders sit inside folders named like the packages they test (gateway/tests/…), and
pytest's importlib mode registers placeholder modules for such parents. Importing the real
packages first keeps `gateway`, `contacts`, … pointing at the code under test.
"""

import analytics
import contacts
import gateway
import survey
import treue

__all__ = ["analytics", "contacts", "gateway", "survey", "treue"]
