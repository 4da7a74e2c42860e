"""Public docstrings stay complete, and the API page of the site lists every public name.

numpydoc's own validation (``numpydoc.validate.validate``) runs on every public class
and function (the names in ``__all__`` of ``skdistill`` and of its public modules) and
on every public method or property that skdistill defines for them, inherited ones
included (``CNN.forward`` comes from a private base class).
"""

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import skdistill
import skdistill.cli

validate = pytest.importorskip(
    "numpydoc.validate", reason='numpydoc is in the docs extra: pip install "skdistill[docs]"'
).validate

API_PAGE = Path(__file__).resolve().parents[1] / "docs" / "api.rst"
# The command line is documented by ``skdistill --help`` and the user guide; its
# functions' docstrings are checked all the same.
NOT_API_MODULES = {"cli"}
PUBLIC_MODULES = [skdistill] + [
    importlib.import_module(f"skdistill.{info.name}")
    for info in pkgutil.iter_modules(skdistill.__path__)
    if not info.name.startswith("_") and info.name not in NOT_API_MODULES
]

#: numpydoc checks that are not enforced, and why. Every other check is.
IGNORED_CHECKS = {
    "ES01": "an extended summary is optional: many objects need one line only",
    "EX01": "Examples where they are cheap and telling, not on every method (forward)",
    "SA01": "See Also where it helps, not on every object",
    "PR07": "a parameter whose name and type say it all (X : torch.Tensor of shape "
            "(n, input_dim)) needs no sentence",
    "RT03": "likewise for a return value (self : object)",
    "RT02": "return values are named (proba : ndarray of shape ...), scikit-learn's style",
    "SS05": "a heuristic on the summary's first word that flags noun phrases "
            "('Logits of probabilities')",
}


def _public_names(modules=PUBLIC_MODULES):
    """Yield (module, name, object) for every name in the ``__all__`` of ``modules``."""
    for module in modules:
        for name in module.__all__:
            if name != "__version__":
                yield module, name, getattr(module, name)


def _own_members(cls):
    """Public methods and properties of ``cls`` that skdistill defines, by name."""
    for name in dir(cls):
        if name.startswith("_"):
            continue
        owner = next(klass for klass in cls.__mro__ if name in vars(klass))
        if not owner.__module__.startswith("skdistill"):
            continue  # torch's, scikit-learn's or Python's: documented there
        member = vars(owner)[name]
        if isinstance(member, (classmethod, staticmethod)):
            member = member.__func__
        if inspect.isfunction(member) or isinstance(member, property):
            yield name, member


def _documented_objects():
    """Every public class, function, method and property, once each, by import path."""
    objects = {}
    for _, _, obj in _public_names(PUBLIC_MODULES + [skdistill.cli]):
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue  # constants carry a #: comment, not a docstring
        path = f"{obj.__module__}.{obj.__qualname__}"
        objects[path] = obj
        if inspect.isclass(obj):
            for name, member in _own_members(obj):
                objects[f"{path}.{name}"] = member
    # An inherited method is checked once, under the first class that shows it.
    unique = {}
    for path, obj in sorted(objects.items()):
        if all(obj is not other for other in unique.values()):
            unique[path] = obj
    return unique


DOCUMENTED = _documented_objects()


def _has_foreign_constructor(obj):
    """True for a class whose ``__init__`` is torch's or Python's: no parameters of its own."""
    if not inspect.isclass(obj):
        return False
    owner = next(klass for klass in obj.__mro__ if "__init__" in vars(klass))
    return not owner.__module__.startswith("skdistill")


@pytest.mark.parametrize("path", DOCUMENTED)
def test_public_docstring_is_complete(path):
    obj = DOCUMENTED[path]
    exempt = set(IGNORED_CHECKS)
    if _has_foreign_constructor(obj):
        # nn.Module's (*args, **kwargs) are not parameters of a loss without __init__.
        exempt |= {"PR01", "PR02"}
    if obj.__doc__ is None and inspect.getdoc(obj):
        # An override without a docstring of its own shows its base method's (help(),
        # autodoc), which the other checks then read.
        exempt.add("GL08")
    errors = [
        f"{code}: {message}"
        for code, message in validate(path)["errors"]
        if code not in exempt
    ]
    assert not errors, f"{path}:\n" + "\n".join(errors)


def _api_page_objects():
    """Objects the autosummary tables of docs/api.rst list."""
    listed, module, in_table = [], None, False
    for line in API_PAGE.read_text().splitlines():
        if match := re.fullmatch(r"\.\. currentmodule:: (\S+)", line.strip()):
            module = importlib.import_module(match.group(1))
        elif line.startswith(".. autosummary::"):
            in_table = True
        elif in_table and line.startswith("   ") and not line.strip().startswith(":"):
            listed.append(getattr(module, line.strip()))
        elif in_table and line.strip() and not line.startswith("   "):
            in_table = False
    return listed


def test_api_page_lists_every_public_name():
    listed = _api_page_objects()
    missing = [
        f"{module.__name__}.{name}"
        for module, name, obj in _public_names()
        if not any(obj is entry for entry in listed)
    ]
    assert not missing, f"public names missing from {API_PAGE.name}: {missing}"
