"""Errors the command line turns into exit code 2 and one line on stderr."""


class UsageError(Exception):
    """Bad input from the user: the message names what is wrong."""
