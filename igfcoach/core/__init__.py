"""The pure core: habits, schedules, scores, IGF-1 units and ranges, safety rules.

Nothing in this package imports Qt or SQLAlchemy; tests enforce that.
"""
