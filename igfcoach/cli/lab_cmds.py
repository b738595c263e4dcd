"""`igfcoach lab ...` and `igfcoach screen`: IGF-1 results and the safety screen from a terminal.

Values are passed to the services as typed, so every refusal comes from the same validation as the GUI and
names the field; nothing is saved on error (exit 2).
"""

from __future__ import annotations

import argparse
import json

from igfcoach.cli.errors import UsageError
from igfcoach.core import igf1
from igfcoach.core.igf1 import Unit
from igfcoach.core.safety import DISCLAIMER, Policy, ScreenAnswers, contraindications
from igfcoach.services import labs, safety, settings
from igfcoach.services.context import AppContext
from igfcoach.services.labs import LabInput, LabInputError, LabResultData, ResultClassifications, UnknownResult
from igfcoach.services.safety import TargetBandError

UNITS = ("ng/mL", "nmol/L")


def register(sub: argparse._SubParsersAction) -> None:
    lab = sub.add_parser("lab", help="add, list or delete IGF-1 lab results; set the target band",
                         description="IGF-1 lab results. Values are stored in ng/mL (1 nmol/L = 7.649 ng/mL).")
    lab_sub = lab.add_subparsers(dest="lab_command", metavar="ACTION", required=True,
                                 parser_class=sub._parser_class)

    p = lab_sub.add_parser("add", help="add a result and see how it compares with your target and ranges")
    p.add_argument("--value", required=True, metavar="N", help="the result as printed by the lab")
    p.add_argument("--unit", default="ng/mL", metavar="UNIT", help="ng/mL (default; µg/L is the same) or nmol/L")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the day of the blood draw (default: today)")
    p.add_argument("--lab-low", metavar="N", help="the lab's printed lower limit, in --unit")
    p.add_argument("--lab-high", metavar="N", help="the lab's printed upper limit, in --unit")
    p.add_argument("--lab", dest="lab_name", metavar="NAME", help="the lab's name")
    p.add_argument("--assay", metavar="NAME", help="the assay or method, if printed")
    fasting = p.add_mutually_exclusive_group()
    fasting.add_argument("--fasting", dest="fasting", action="store_const", const=True, default=None,
                         help="the blood was drawn fasting")
    fasting.add_argument("--not-fasting", dest="fasting", action="store_const", const=False,
                         help="the blood was not drawn fasting")
    p.add_argument("--time", metavar="HH:MM", help="the time of the draw (24-hour)")
    biotin = p.add_mutually_exclusive_group()
    biotin.add_argument("--biotin", dest="biotin", action="store_const", const=True, default=None,
                        help="high-dose biotin was taken in the 72 hours before the draw (can distort some assays)")
    biotin.add_argument("--no-biotin", dest="biotin", action="store_const", const=False,
                        help="no high-dose biotin in the 72 hours before the draw")
    p.add_argument("--notes", default="", metavar="TEXT", help="anything else worth keeping with the result")
    p.add_argument("--confirm", action="store_true",
                   help="save a value outside the plausible 10–1500 ng/mL after checking it and its unit")
    p.set_defaults(handler=cmd_add)

    p = lab_sub.add_parser("list", help="list every result with its classifications")
    p.add_argument("--unit", choices=UNITS, help="show values in this unit (default: your preferred unit)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_list)

    p = lab_sub.add_parser("delete", help="delete a result (its ID is in `igfcoach lab list`)")
    p.add_argument("id", metavar="ID", help="the result's ID")
    p.set_defaults(handler=cmd_delete)

    p = lab_sub.add_parser("target", help="show or set your target band (default 120–160 ng/mL)")
    p.add_argument("--low", metavar="N", help="the band's lower limit, in --unit")
    p.add_argument("--high", metavar="N", help="the band's upper limit, in --unit")
    p.add_argument("--unit", choices=UNITS, default="ng/mL", help="the unit of --low and --high (default ng/mL)")
    p.add_argument("--reset", action="store_true", help="back to the default 120–160 ng/mL")
    p.set_defaults(handler=cmd_target)

    p = sub.add_parser("screen", help="show or change your safety screen answers",
                       description="The safety screen. Without options it shows your answers; with options it "
                                   "changes them (the change is recorded with its date).",
                       epilog=DISCLAIMER)
    p.add_argument("--age", metavar="N", help="your age in years (for the reference interval)")
    p.add_argument("--sex", choices=("female", "male"), help="for the sex-specific reference interval")
    _yes_no(p, "cancer", "active_cancer", "an active cancer diagnosis")
    _yes_no(p, "endocrine", "endocrine_disorder", "a pituitary or other endocrine disorder")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--pregnant", dest="pregnant", action="store_const", const=True, default=None,
                       help="you are pregnant")
    group.add_argument("--not-pregnant", dest="pregnant", action="store_const", const=False,
                       help="you are not pregnant")
    p.add_argument("--history", action="store_true", help="list every recorded change with its date")
    p.set_defaults(handler=cmd_screen)


def _yes_no(p: argparse.ArgumentParser, flag: str, dest: str, what: str) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument(f"--{flag}", dest=dest, action="store_const", const=True, default=None,
                       help=f"you have {what}")
    group.add_argument(f"--no-{flag}", dest=dest, action="store_const", const=False,
                       help=f"you do not have {what}")


# --------------------------------------------------------------------------------------------------- helpers

def _preferred_unit(ctx: AppContext) -> Unit:
    try:
        return igf1.parse_unit(settings.get(ctx, "lab_unit") or "ng/mL")
    except ValueError:
        return Unit.NG_ML


def _ng_1dp(value_ng: float) -> str:
    return f"{value_ng:.1f}".rstrip("0").rstrip(".") + " ng/mL"


def _classification_lines(c: ResultClassifications) -> list[str]:
    lines = [f"  Target band: {c.target.label}"]
    lines.append(f"  Lab range:   {c.lab.label}" if c.lab else "  Lab range:   none given with this result")
    if c.builtin:
        lines.append(f"  Built-in:    {c.builtin.label}")
    else:
        lines.append(f"  Built-in:    none ({c.builtin_reason})")
    return lines


def _policy_lines(policy: Policy) -> list[str]:
    lines = [f"Coaching: {policy.message}"]
    if policy.see_clinician and policy.clinician_reason:
        lines.append(f"Talk to a clinician (an endocrinologist): {policy.clinician_reason}")
    if policy.specialist_only_notice:
        lines.append(policy.specialist_only_notice)
    return lines


def _parse_id(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"id: {text!r} is not a result ID (a whole number; see `igfcoach lab list`)") from None


# --------------------------------------------------------------------------------------------------- lab add

def cmd_add(ctx: AppContext, args: argparse.Namespace) -> int:
    data = LabInput(
        drawn_on=args.date if args.date is not None else ctx.today(),
        value=args.value,
        unit=args.unit,
        lab_low=args.lab_low,
        lab_high=args.lab_high,
        lab_name=args.lab_name,
        assay=args.assay,
        fasting=args.fasting,
        drawn_at_time=args.time,
        biotin_72h=args.biotin,
        notes=args.notes,
    )
    try:
        result = labs.add_result(ctx, data, confirm=args.confirm)
    except LabInputError as exc:
        message = "; ".join(i.message for i in exc.issues)
        if exc.needs_confirmation:
            message += " (use --confirm)"
        raise UsageError(message) from None
    entered = f"{result.entered_value:g} {result.entered_unit}"
    print(f"Saved result #{result.id} drawn {result.drawn_on.isoformat()}: {_ng_1dp(result.value_ng)}"
          + (f" (entered as {entered})" if result.entered_unit != Unit.NG_ML.value else ""))
    for line in _classification_lines(labs.classify_result(ctx, result)):
        print(line)
    if result.biotin_72h:
        print(f"Note: {labs.BIOTIN_NOTE}")
    for line in _policy_lines(safety.current_policy(ctx, unit=Unit.NG_ML)):
        print(line)
    return 0


# --------------------------------------------------------------------------------------------------- lab list

def _as_dict(r: LabResultData, c: ResultClassifications, unit: Unit) -> dict:
    def cls(x):
        return None if x is None else {"position": x.position.value, "label": x.label,
                                       "low_ng_ml": x.low_ng, "high_ng_ml": x.high_ng}

    return {
        "id": r.id,
        "drawn_on": r.drawn_on.isoformat(),
        "time": r.drawn_at_time,
        "value_ng_ml": r.value_ng,
        "value": round(igf1.from_ng_ml(r.value_ng, unit), 4),
        "unit": unit.value,
        "entered_value": r.entered_value,
        "entered_unit": r.entered_unit,
        "lab_low_ng_ml": r.lab_low_ng,
        "lab_high_ng_ml": r.lab_high_ng,
        "lab_name": r.lab_name,
        "assay": r.assay,
        "fasting": r.fasting,
        "biotin_72h": r.biotin_72h,
        "notes": r.notes,
        "target": cls(c.target),
        "lab_range": cls(c.lab),
        "builtin": cls(c.builtin),
    }


def cmd_list(ctx: AppContext, args: argparse.Namespace) -> int:
    unit = igf1.parse_unit(args.unit) if args.unit else _preferred_unit(ctx)
    results = labs.list_results(ctx)
    classes = labs.classify_results(ctx, results, unit)
    policy = safety.current_policy(ctx, unit=unit)
    if args.json:
        print(json.dumps({
            "unit": unit.value,
            "target_band_ng_ml": [safety.target_band(ctx).low_ng, safety.target_band(ctx).high_ng],
            "results": [_as_dict(r, c, unit) for r, c in zip(results, classes, strict=True)],
            "coaching": {
                "band": policy.band.value,
                "message": policy.message,
                "see_clinician": policy.see_clinician,
                "clinician_reason": policy.clinician_reason,
                "specialist_only_notice": policy.specialist_only_notice,
            },
        }, indent=2, ensure_ascii=False))
        return 0
    band = safety.target_band(ctx)
    print(f"Target band: {igf1.format_range(band.low_ng, band.high_ng, unit)}")
    if not results:
        print("No results yet. Add one with: igfcoach lab add --value N --unit ng/mL --date YYYY-MM-DD")
    else:
        rows = [("ID", "Date", "Value", "Target band", "Lab range", "Built-in")]
        for r, c in zip(results, classes, strict=True):
            rows.append((
                str(r.id),
                r.drawn_on.isoformat(),
                igf1.format_value(r.value_ng, unit),
                c.target.position.value,
                c.lab.position.value if c.lab else "–",
                c.builtin.position.value if c.builtin else "–",
            ))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            print("  ".join(cell.rjust(w) if i == 0 else cell.ljust(w)
                            for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip())
        lookup = classes[0].builtin_lookup
        if lookup.interval is not None:
            print(f"Built-in interval: {igf1.format_range(lookup.interval.low, lookup.interval.high, unit)}. "
                  f"{lookup.interval.source}")
        else:
            print(f"Built-in interval: none. {lookup.reason}")
    for line in _policy_lines(policy):
        print(line)
    return 0


# --------------------------------------------------------------------------------------------------- lab delete

def cmd_delete(ctx: AppContext, args: argparse.Namespace) -> int:
    result_id = _parse_id(args.id)
    try:
        deleted = labs.delete_result(ctx, result_id)
    except UnknownResult as exc:
        raise UsageError(str(exc)) from None
    r = deleted.data
    print(f"Deleted result #{r.id} drawn {r.drawn_on.isoformat()} ({igf1.format_value(r.value_ng, _preferred_unit(ctx))})")
    return 0


# --------------------------------------------------------------------------------------------------- lab target

def cmd_target(ctx: AppContext, args: argparse.Namespace) -> int:
    if args.reset:
        if args.low is not None or args.high is not None:
            raise UsageError("target band: use --reset on its own, or give --low and --high")
        band = safety.reset_target_band(ctx)
    elif args.low is not None or args.high is not None:
        if args.low is None or args.high is None:
            raise UsageError("target band: give both --low and --high")
        try:
            band = safety.set_target_band(ctx, args.low, args.high, args.unit)
        except TargetBandError as exc:
            raise UsageError(str(exc)) from None
    else:
        band = safety.target_band(ctx)
    unit = igf1.parse_unit(args.unit)
    print(f"Target band: {igf1.format_range(band.low_ng, band.high_ng, unit)}")
    return 0


# --------------------------------------------------------------------------------------------------- screen

def _describe(answers: ScreenAnswers) -> list[str]:
    def yn(b: bool) -> str:
        return "yes" if b else "no"

    rows = [
        ("Age", str(answers.age) if answers.age is not None else "not given"),
        ("Sex", answers.sex or "not given"),
        ("Active cancer diagnosis", yn(answers.active_cancer)),
        ("Pituitary or other endocrine disorder", yn(answers.endocrine_disorder)),
        ("Pregnant", yn(answers.pregnant)),
        ("Under 18", yn(answers.under_18)),
    ]
    width = max(len(k) for k, _ in rows) + 1
    return [f"  {(k + ':').ljust(width)} {v}" for k, v in rows]


def _summary(answers: ScreenAnswers) -> str:
    parts = [f"age {answers.age}" if answers.age is not None else "age not given", answers.sex or "sex not given"]
    contra = [c.split(":")[0] for c in contraindications(answers)]
    parts.append(", ".join(contra).lower() if contra else "no contraindications")
    return "; ".join(parts)


def cmd_screen(ctx: AppContext, args: argparse.Namespace) -> int:
    if args.history:
        history = safety.answers_history(ctx)
        if not history:
            print("The safety screen has not been answered yet.")
        for h in history:
            print(f"{h.recorded_at:%Y-%m-%d %H:%M}  {_summary(h.answers)}")
        return 0
    current = safety.current_answers(ctx)
    changes: dict[str, object] = {}
    if args.age is not None:
        try:
            changes["age"] = int(args.age)
        except ValueError:
            raise UsageError(f"age: {args.age!r} is not a whole number of years") from None
    if args.sex is not None:
        changes["sex"] = args.sex
    for name in ("active_cancer", "endocrine_disorder", "pregnant"):
        if getattr(args, name) is not None:
            changes[name] = getattr(args, name)
    if changes:
        values = {
            "age": current.age, "sex": current.sex, "active_cancer": current.active_cancer,
            "endocrine_disorder": current.endocrine_disorder, "pregnant": current.pregnant,
            "under_18": current.under_18,
        }
        values.update(changes)
        if "age" in changes:
            values["under_18"] = False  # derived from the age
        try:
            answers = ScreenAnswers(**values)  # type: ignore[arg-type]
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        recorded = safety.record_answers(ctx, answers)
        print("Safety screen saved." if recorded else "Safety screen unchanged.")
        current = answers
    elif not safety.has_answers(ctx):
        print("The safety screen has not been answered yet; these are the defaults.")
    print("Your answers:")
    for line in _describe(current):
        print(line)
    reasons = contraindications(current)
    if reasons:
        print("Because of these answers, practices that stimulate the GH/IGF-1 axis are switched off:")
        for r in reasons:
            print(f"  - {r}")
    policy = safety.current_policy(ctx)
    if policy.specialist_only_notice:
        print(policy.specialist_only_notice)
    return 0
