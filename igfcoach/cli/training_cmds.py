"""`igfcoach log sleep|hiit|lift|breathe`: log a practice from a terminal; it ticks the checklist too.

    igfcoach log sleep --bed 23:10 --wake 07:05 [--date D] [--quality N] [--cool-dark] [--screens-off] [--confirm]
    igfcoach log hiit --rounds 8 --work 30 --rest 90 [--warmup S] [--cooldown S] [--date D] [--rpe N]
    igfcoach log lift "Squat" 5x100kg 5x100kg [--failure] [--date D]
    igfcoach log breathe 10 [--pattern slow|box|478] [--date D]

Bad input exits 2 with one line naming the field.
"""

from __future__ import annotations

import argparse

from igfcoach.cli.args import clock_time, iso_date, number
from igfcoach.cli.errors import UsageError
from igfcoach.core import intervals
from igfcoach.core.intervals import IntervalPlan, PracticeInputError
from igfcoach.services import breathing, habits, sleep, training
from igfcoach.services.autotick import Logged
from igfcoach.services.context import AppContext


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def register(sub: argparse._SubParsersAction) -> None:
    log = sub.add_parser("log", help="log sleep, a HIIT or lifting session, or breathing practice (ticks the checklist)",
                         description="Log a practice; the matching checklist items are ticked for that day.")
    log_sub = log.add_subparsers(dest="log_what", metavar="WHAT", required=True, parser_class=type(log))

    p = log_sub.add_parser("sleep", help="last night's sleep, filed under the day you woke up")
    p.add_argument("--bed", type=clock_time, required=True, metavar="HH:MM", help="when you went to bed")
    p.add_argument("--wake", type=clock_time, required=True, metavar="HH:MM", help="when you woke up")
    p.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="the day you woke up (default: today)")
    p.add_argument("--quality", type=_int, metavar="N", help="how well you slept, 1 (very poor) to 5 (very good)")
    p.add_argument("--cool-dark", action="store_true", help="the bedroom was cool and dark")
    p.add_argument("--screens-off", action="store_true", help="screens were off before bed")
    p.add_argument("--notes", default="", metavar="TEXT")
    p.add_argument("--confirm", action="store_true", help="save a night of more than 20 hours")
    p.add_argument("--replace", action="store_true", help="replace a night already logged for that day")
    p.set_defaults(handler=cmd_sleep)

    p = log_sub.add_parser("hiit", help="a finished HIIT session")
    p.add_argument("--rounds", type=_int, required=True, metavar="N", help="work intervals done")
    p.add_argument("--work", type=_int, required=True, metavar="S", help="seconds of each work interval")
    p.add_argument("--rest", type=_int, required=True, metavar="S", help="seconds of rest between them")
    p.add_argument("--warmup", type=_int, default=0, metavar="S", help="warm-up seconds (default 0)")
    p.add_argument("--cooldown", type=_int, default=0, metavar="S", help="cool-down seconds (default 0)")
    p.add_argument("--rpe", type=_int, metavar="N", help="effort, 1 (very easy) to 10 (maximal)")
    p.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="another day (default: today)")
    p.add_argument("--notes", default="", metavar="TEXT")
    p.set_defaults(handler=cmd_hiit)

    p = log_sub.add_parser("lift", help="sets of one exercise, as REPSxLOAD (5x100kg, 8x135lb, 10x0 = body weight)")
    p.add_argument("exercise", metavar="EXERCISE", help='e.g. "Squat" (a new name is added to your list)')
    p.add_argument("sets", nargs="+", metavar="SET", help="REPSxLOAD[kg|lb]; no unit means your profile's unit")
    p.add_argument("--failure", action="store_true", help="the last set was taken to failure")
    p.add_argument("--rest", type=_int, metavar="S", help="rest between sets in seconds")
    p.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="another day (default: today)")
    p.set_defaults(handler=cmd_lift)

    p = log_sub.add_parser("breathe", help="minutes of breathing practice or mindfulness")
    p.add_argument("minutes", type=number, metavar="MINUTES")
    p.add_argument("--pattern", choices=sorted(intervals.BREATH_PATTERNS), default=intervals.DEFAULT_PATTERN,
                   help="slow (5.5 a minute, the default), box (4-4-4-4) or 478")
    p.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="another day (default: today)")
    p.set_defaults(handler=cmd_breathe)


def _report(what: str, result: Logged) -> None:
    print(what)
    done = [c.describe() for c in result.changes if c.done]
    recorded = [c.describe() for c in result.changes if not c.done and c.value is not None]
    if done:
        print("Ticked: " + "; ".join(done))
    if recorded:
        print("Recorded (below the target): " + "; ".join(recorded))
    if result.meal_prompt:
        print("Training day: have protein and carbs after it, then `igfcoach check post_workout_meal`.")


def _run(fn):
    try:
        return fn()
    except (PracticeInputError, habits.HabitError) as exc:
        raise UsageError(str(exc)) from None


def cmd_sleep(ctx: AppContext, args: argparse.Namespace) -> int:
    habits.ensure_seeded(ctx)
    inp = sleep.SleepInput(args.date or ctx.today(), args.bed, args.wake, args.quality, args.cool_dark,
                           args.screens_off, args.notes)
    try:
        result = sleep.log_sleep(ctx, inp, confirm=args.confirm, replace=args.replace)
    except intervals.NeedsConfirmation as exc:
        raise UsageError(f"{exc} (add --confirm)") from None
    except sleep.SleepExists as exc:
        raise UsageError(f"{exc} (add --replace)") from None
    except (PracticeInputError, habits.HabitError) as exc:
        raise UsageError(str(exc)) from None
    summary = sleep.summarize(ctx, inp)
    _report(f"Logged the night ending {inp.day.isoformat()}: {summary.text()}.", result)
    return 0


def cmd_hiit(ctx: AppContext, args: argparse.Namespace) -> int:
    habits.ensure_seeded(ctx)
    plan = IntervalPlan(args.warmup, args.work, args.rest, args.rounds, args.cooldown)
    entry = training.HiitEntry(args.date or ctx.today(), plan, rpe=args.rpe, notes=args.notes)
    result = _run(lambda: training.log_hiit(ctx, entry))
    effort = f", effort {args.rpe}/10" if args.rpe else ""
    _report(f"Logged HIIT on {entry.day.isoformat()}: {plan.label}{effort}.", result)
    return 0


def cmd_lift(ctx: AppContext, args: argparse.Namespace) -> int:
    habits.ensure_seeded(ctx)
    unit = training.load_unit(ctx)
    specs = [_run(lambda t=t: intervals.parse_set(t, unit)) for t in args.sets]
    sets = tuple(training.SetEntry(args.exercise, s.reps, s.load, s.unit,
                                   to_failure=args.failure and i == len(specs) - 1, rest_s=args.rest)
                 for i, s in enumerate(specs))
    entry = training.ResistanceEntry(args.date or ctx.today(), sets)
    result = _run(lambda: training.log_resistance(ctx, entry))
    stored = training.get_resistance(ctx, result.id)
    shown = ", ".join(x.label(unit) for x in stored.sets)
    volume = intervals.format_load(stored.volume(unit), unit)
    _report(f"Logged {stored.sets[0].exercise} on {entry.day.isoformat()}: {shown} (volume {volume}).", result)
    return 0


def cmd_breathe(ctx: AppContext, args: argparse.Namespace) -> int:
    habits.ensure_seeded(ctx)
    entry = breathing.BreathingEntry(args.date or ctx.today(), args.minutes, args.pattern)
    result = _run(lambda: breathing.log_breathing(ctx, entry))
    total = breathing.day_minutes(ctx, entry.day)
    _report(f"Logged {result_minutes(args.minutes)} of breathing practice on {entry.day.isoformat()} "
            f"({total:g} min that day).", result)
    return 0


def result_minutes(minutes: float) -> str:
    return f"{round(minutes, 1):g} min"
