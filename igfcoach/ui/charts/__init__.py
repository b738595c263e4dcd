"""Chart widgets for the Charts page (pyqtgraph).

Importing anything in this package imports pyqtgraph and numpy: only the Charts page (on its first opening) and
``igfcoach chart`` do, never start-up.
"""
