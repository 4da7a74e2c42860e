"""The test session of the package.

The tests under ``tests/`` skip themselves with a reason; a doctest cannot, so
the doctests of a module that needs an extra are skipped here, with the same
kind of reason, when that extra is not installed. Each worker of pytest-xdist
(README's ``-n auto``) gets its share of the cores' threads.
"""

import os
from importlib.util import find_spec

import pytest
import torch

#: Module of the package -> (the library its examples import, the extra that installs it).
DOCTEST_EXTRAS = {"skdistill.plotting": ("matplotlib", "plot")}


def pytest_collection_modifyitems(items):
    for item in items:
        if not isinstance(item, pytest.DoctestItem):
            continue
        for prefix, (library, extra) in DOCTEST_EXTRAS.items():
            inside = item.name == prefix or item.name.startswith(prefix + ".")
            if inside and find_spec(library) is None:
                item.add_marker(pytest.mark.skip(
                    reason=f"needs {library}: pip install \"skdistill[{extra}]\""
                ))


def pytest_configure(config):
    """Give each xdist worker, and the processes its tests start, its share of
    the cores where OMP_NUM_THREADS is unset: two workers of torch's default
    threads on two cores fight over them, as any two torch jobs do."""
    workers = os.environ.get("PYTEST_XDIST_WORKER_COUNT")
    if workers is None or "OMP_NUM_THREADS" in os.environ:  # torch read the caller's
        return
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    threads = max(1, (cores or 1) // int(workers))
    os.environ["OMP_NUM_THREADS"] = str(threads)
    torch.set_num_threads(threads)
