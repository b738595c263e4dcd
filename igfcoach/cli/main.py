"""Entry point: parse the command line, then open the GUI or run a headless subcommand."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from igfcoach import __version__
from igfcoach.appinfo import APP_NAME
from igfcoach.cli.errors import UsageError

# Modules that add subcommands; each has register(subparsers).
COMMAND_MODULES: tuple[str, ...] = ("igfcoach.cli.checklist_cmds", "igfcoach.cli.lab_cmds",
                                   "igfcoach.cli.desktop_cmds", "igfcoach.cli.reminder_cmds",
                                   "igfcoach.cli.chart_cmds", "igfcoach.cli.data_cmds", "igfcoach.cli.training_cmds")


class _Parser(argparse.ArgumentParser):
    """argparse, but errors are one line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep all data in DIR (default: the platform's data folder; env IGFCOACH_DATA_DIR)",
    )
    parser.add_argument("--minimized", action="store_true", help="start in the tray without showing the window")
    parser.add_argument("--profile-startup", action="store_true", help=argparse.SUPPRESS)


def _gui_args(argv: list[str]) -> argparse.Namespace | None:
    """The options for opening the app, when that is all the command line asks for; else None.

    Opening the app is the common case, so it does not pay for importing every subcommand's module.
    """
    quick = argparse.ArgumentParser(prog="igfcoach", add_help=False)
    _add_global_options(quick)
    try:
        known, rest = quick.parse_known_args(argv)
    except SystemExit:
        return None
    return None if rest else known


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = _Parser(
        prog="igfcoach",
        description=(
            f"{APP_NAME}: a daily habit coach for sleep, training, protein and stress practice, "
            "with reminders and charts of your habits against your IGF-1 blood tests. "
            "Run without a command to open the app."
        ),
        epilog="Not medical advice: talk to your clinician before changing anything that affects your hormones.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for command in sub.choices.values():
        _accept_data_dir(command)
    return parser


def _accept_data_dir(parser: argparse.ArgumentParser) -> None:
    """Let --data-dir also follow the subcommand (`igfcoach today --data-dir D`), at every level."""
    parser.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="keep all data in DIR")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for nested in action.choices.values():
                _accept_data_dir(nested)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    gui = _gui_args(argv)
    if gui is not None:
        from igfcoach.ui.launch import run_gui

        return run_gui(gui)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from igfcoach.ui.launch import run_gui

        return run_gui(args)
    from igfcoach.services.context import open_context
    from igfcoach.store.health import StoreError
    
    try:
        ctx = open_context(args.data_dir)
    except StoreError as exc:
        print(f"igfcoach: error: {exc}", file=sys.stderr)
        return 2
    try:
        return int(args.handler(ctx, args) or 0)
    except UsageError as exc:
        print(f"igfcoach {args.command}: error: {exc}", file=sys.stderr)
        return 2
    finally:
        ctx.close()
