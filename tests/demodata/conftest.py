import time

import pytest

from gemeinsinn.demodata import generate, write_demo_files


@pytest.fixture(scope="session")
def city():
    return generate()


@pytest.fixture(scope="session")
def written(tmp_path_factory):
    """The six demo files, written once, with the wall time it took."""
    start = time.perf_counter()
    files = write_demo_files(tmp_path_factory.mktemp("demo-a"))
    return files, time.perf_counter() - start
