"""Entry point of the PyInstaller build: the same as `igfcoach` / `python -m igfcoach`.

`igfcoach --frozen-selfcheck` (this build only) checks what freezing can break and prints one line per check;
packaging/pyinstaller/test-built.sh runs it.
"""

import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["--frozen-selfcheck"]:
        from selfcheck import run_selfcheck

        raise SystemExit(run_selfcheck())

    from igfcoach.cli.main import main

    raise SystemExit(main())
