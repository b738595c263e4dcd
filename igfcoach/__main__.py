from igfcoach.cli.main import main

raise SystemExit(main())
