import pytest


@pytest.fixture
def qpath(tmp_path):
    """A path for a new queue (its directory does not exist yet)."""
    return str(tmp_path / "queue")
