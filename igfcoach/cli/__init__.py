"""The command line: `igfcoach` opens the app; subcommands work headless for scripting."""
