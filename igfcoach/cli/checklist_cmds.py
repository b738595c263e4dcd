"""`igfcoach today` and `igfcoach check`: the checklist from a terminal or a script."""

from __future__ import annotations

import argparse
import json

from igfcoach.cli.args import iso_date, number
from igfcoach.cli.errors import UsageError
from igfcoach.core.habits import CATEGORY_TITLES
from igfcoach.services import checklist, habits
from igfcoach.services.checklist import ChecklistItem
from igfcoach.services.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("today", help="print the checklist for today (or --date) with what is done")
    p.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="another day (default: today)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_today)

    p = sub.add_parser("check", help="record a habit as done (or a measured value, a note, a skip)")
    p.add_argument("key", metavar="KEY", help="the habit's key, as `igfcoach today` lists them")
    p.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="another day (default: today)")
    p.add_argument("--value", type=number, metavar="N", help="the amount for a measured habit (hours, grams, minutes)")
    p.add_argument("--note", metavar="TEXT", help="a note for that day")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--undo", action="store_true", help="mark it not done again")
    group.add_argument("--skip", action="store_true", help="skip the day (ill, rest day): neither done nor missed")
    p.set_defaults(handler=cmd_check)


def _state(item: ChecklistItem) -> str:
    if item.skipped:
        return "skipped"
    if item.done:
        return "done"
    if not item.due:
        return "not due"
    return "to do"


def _as_dict(item: ChecklistItem) -> dict:
    spec = item.spec
    return {
        "key": spec.key,
        "title": spec.title,
        "category": spec.category,
        "kind": spec.kind,
        "unit": spec.target.unit if spec.target else None,
        "target": spec.target.value if spec.target else None,
        "due": item.due,
        "done": item.done,
        "skipped": item.skipped,
        "value": item.value,
        "note": item.note,
        "week": list(item.week) if item.week else None,
        "streak": item.streak,
        "strength": round(item.strength, 4),
    }


def cmd_today(ctx: AppContext, args: argparse.Namespace) -> int:
    habits.ensure_seeded(ctx)
    day = args.date or ctx.today()
    items = checklist.day_checklist(ctx, day)
    if args.json:
        print(json.dumps({"date": day.isoformat(), "items": [_as_dict(i) for i in items]}, indent=2))
        return 0
    print(f"Checklist for {day:%A %d %B %Y}")
    category = None
    width = max((len(i.spec.key) for i in items), default=10)
    for i in items:
        if i.spec.category != category:
            category = i.spec.category
            print(f"\n{CATEGORY_TITLES.get(category, category)}")
        mark = {"done": "[x]", "skipped": "[-]", "not due": "[ ]", "to do": "[ ]"}[_state(i)]
        extra = []
        if i.spec.target is not None:
            shown = f"{i.value:g}" if i.value is not None else "–"
            extra.append(f"{shown} / {i.spec.target.label}")
        if i.week is not None:
            extra.append(f"{i.week[0]}/{i.week[1]} this week")
        if _state(i) in ("not due", "skipped"):
            extra.append(_state(i))
        tail = f"  ({'; '.join(extra)})" if extra else ""
        print(f"  {mark} {i.spec.key:<{width}}  {i.spec.title}{tail}")
    return 0


def cmd_check(ctx: AppContext, args: argparse.Namespace) -> int:
    habits.ensure_seeded(ctx)
    day = args.date or ctx.today()
    kwargs: dict = {}
    if args.undo:
        kwargs["done"] = False
    elif args.skip:
        kwargs["skipped"] = True
    elif args.value is not None:
        kwargs["value"] = args.value
    elif args.note is None:
        kwargs["done"] = True
    if args.note is not None:
        kwargs["note"] = args.note
    try:
        checklist.record(ctx, args.key, day, source="cli", **kwargs)
    except habits.HabitError as exc:
        raise UsageError(str(exc)) from None
    item = checklist.item(ctx, args.key, day)
    print(f"{item.spec.key}: {_state(item)} on {day.isoformat()}"
          + (f" ({item.value:g} {item.spec.target.unit}, target {item.spec.target.label})"
             if item.spec.target is not None and item.value is not None else ""))
    return 0
