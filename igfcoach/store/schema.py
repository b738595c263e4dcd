"""The schema revision this version of the app expects.

Migration files are named `NNNN_what.py` with revision id "NNNN" and form one linear chain, so the head is
the highest number: found with a directory listing, without importing Alembic at start-up.
(tests/store/test_database.py checks that this agrees with Alembic's own idea of the head.)
"""

from pathlib import Path

_VERSIONS = Path(__file__).with_name("migrations") / "versions"


def _head() -> str:
    numbers = [p.name[:4] for p in _VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py")]
    return max(numbers)


HEAD_REVISION = _head()
