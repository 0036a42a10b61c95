import pytest


@pytest.fixture(autouse=True)
def _only_local_network(no_external_network: None) -> None:
    """Nothing in this directory may reach beyond 127.0.0.1."""
