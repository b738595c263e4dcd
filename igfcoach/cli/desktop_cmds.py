"""`igfcoach install-desktop [--remove]`: put the app in the desktop's application menu, or take it out."""

from __future__ import annotations

import argparse

from igfcoach.cli.errors import UsageError
from igfcoach.services import desktop_integration
from igfcoach.services.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "install-desktop",
        help="add IGF Coach to the application menu (Linux; writes to $XDG_DATA_HOME, default ~/.local/share)",
        description=(
            "Write the desktop entry, AppStream metainfo and icons into your XDG data folder so IGF Coach appears "
            "in the application menu and starts this copy of the app. Run it again after moving the install; "
            "--remove deletes exactly those files."
        ),
    )
    p.add_argument("--remove", action="store_true", help="take IGF Coach out of the application menu again")
    p.set_defaults(handler=cmd_install_desktop)


def cmd_install_desktop(ctx: AppContext, args: argparse.Namespace) -> int:
    try:
        if args.remove:
            report = desktop_integration.remove()
        else:
            report = desktop_integration.install()
    except desktop_integration.DesktopIntegrationError as exc:
        raise UsageError(str(exc)) from None
    for line in report.lines():
        print(line)
    return 0
