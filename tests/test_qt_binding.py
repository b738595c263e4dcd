"""Guards against known-bad Qt binding releases.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a method returning void; a
long-running app (and this test suite) then aborts with "Fatal Python error: none_dealloc". The
dependency pin in pyproject.toml keeps it out; this test fails if a future release brings it back.
"""

import sys

from PySide6.QtCore import QObject


def test_void_calls_do_not_leak_references_to_none():
    obj = QObject()
    obj.setObjectName("warm-up")
    before = sys.getrefcount(None)
    for _ in range(2000):
        obj.setObjectName("x")
    assert abs(sys.getrefcount(None) - before) < 50
