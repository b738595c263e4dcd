"""Guards against known-bad Qt binding releases.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a method returning void, and to True
on every emit(); a long-running app (and this test suite) then aborts with "Fatal Python error: none_dealloc".
The dependency pin in pyproject.toml keeps that release out; these tests fail if a future one brings it back.
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


def test_emitting_signals_does_not_leak_references_to_true():
    from PySide6.QtCore import Signal

    class Emitter(QObject):
        ping = Signal()

    emitter = Emitter()
    emitter.ping.emit()
    before = sys.getrefcount(True)
    for _ in range(2000):
        emitter.ping.emit()
    assert abs(sys.getrefcount(True) - before) < 50
