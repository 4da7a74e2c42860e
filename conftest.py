"""Doctest collection of the package: skip those whose optional extra is absent.

The tests under ``tests/`` skip themselves with a reason; a doctest cannot, so
the doctests of a module that needs an extra are skipped here, with the same
kind of reason, when that extra is not installed.
"""

from importlib.util import find_spec

import pytest

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
