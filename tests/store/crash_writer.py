"""Child process for the crash test: records check-offs one transaction at a time and reports each commit.

Usage: python crash_writer.py DATA_DIR START_INDEX
Prints "committed <habit key> <ISO day>" only after the transaction has returned.
"""

import sys
from datetime import date, timedelta

from igfcoach.services import checklist, habits
from igfcoach.services.context import open_context

KEYS = ["zinc", "magnesium", "vitamin_d", "screens_off", "bedroom_cool_dark"]


def main() -> None:
    data_dir, start = sys.argv[1], int(sys.argv[2])
    ctx = open_context(data_dir)
    habits.ensure_seeded(ctx)
    base = date(1990, 1, 1)
    i = start
    while True:
        key = KEYS[i % len(KEYS)]
        day = base + timedelta(days=i // len(KEYS))
        checklist.record(ctx, key, day, done=True, note=f"round {start} item {i}")
        print(f"committed {key} {day.isoformat()}", flush=True)
        i += 1


if __name__ == "__main__":
    main()
