"""Work-arounds for bugs in the Qt bindings, each probed at run time and applied only when present.

PySide6 6.12.0 (its stable-ABI build) returns ``None`` from every method that returns nothing (``setPen``,
``setObjectName``, ``drawPath`` ...) and ``True`` from ``SignalInstance.emit()`` without taking a new reference.
On Python 3.12 and later these objects are immortal (PEP 683), so nothing happens. On Python 3.11 every such call
takes one reference away from ``None`` (or ``True``); pyqtgraph makes about seventy of those calls per repaint of
a chart, so after some thousands of repaints the count reaches zero and the interpreter aborts with "Fatal Python
error: none_dealloc" (or "bool_dealloc"), often only at exit.

:func:`protect_singletons` probes for the leak with two calls and, only if it is there, gives ``None``, ``True``
and ``False`` a reference count so large (2**60) that no session can exhaust it: in effect what Python 3.12 does.
Call it once, early, in any process that uses Qt from Python 3.11.
"""

from __future__ import annotations

import sys

_applied = False
_BIG = 1 << 60


def leaks() -> dict[str, bool]:
    """Which singletons a Qt call takes a reference from: {"None": ..., "True": ...}."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before_none = sys.getrefcount(None)
    for _ in range(4):
        probe.setObjectName("probe")
    none_leaks = sys.getrefcount(None) <= before_none - 4
    before_true = sys.getrefcount(True)
    for _ in range(4):
        probe.ping.emit()
    true_leaks = sys.getrefcount(True) <= before_true - 4
    probe.deleteLater()
    return {"None": none_leaks, "True": true_leaks}


def protect_singletons() -> bool:
    """Apply the work-around once if a leak is present; returns whether it is in effect."""
    global _applied
    if _applied:
        return True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False  # immortal singletons: the leak is harmless
    if not any(leaks().values()):
        return False
    import ctypes

    for value in (None, True, False):
        ctypes.c_ssize_t.from_address(id(value)).value += _BIG
    _applied = True
    return True

