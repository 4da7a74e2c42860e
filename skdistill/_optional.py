"""Lazy imports of optional dependencies, naming the extra that installs them."""

import importlib
import importlib.util


def import_optional(module, extra, needed_by):
    """Import ``module``, or say which extra of skdistill installs it.

    Parameters
    ----------
    module : str
        Dotted module name, e.g. ``"matplotlib.pyplot"``.
    extra : str
        The extra of skdistill that installs it, e.g. ``"plot"``.
    needed_by : str
        What needs it, for the message, e.g. ``"export_onnx"``.

    Returns
    -------
    module : module

    Raises
    ------
    ImportError
        If ``module`` is not installed, with the ``pip install`` command; if
        it is but fails to import (a version clash, a broken install missing
        a module of its own), with its error.

    Examples
    --------
    >>> import_optional("math", "plot", "an example").sqrt(4.0)
    2.0
    """
    try:
        return importlib.import_module(module)
    # An installed package can fail with any error as it imports (onnx raised
    # AttributeError under a NumPy older than it needs), or miss a module of its own.
    except Exception as error:
        if isinstance(error, ModuleNotFoundError):
            # The package that is missing, which may be another than the one
            # imported (torch.utils.tensorboard needs tensorboard).
            package = (error.name or module).split(".")[0]
            if not _has_spec(package):
                raise ImportError(
                    f"{needed_by} needs {package}, an optional dependency of skdistill: "
                    f'pip install "skdistill[{extra}]"'
                ) from error
        raise ImportError(
            f"{needed_by} needs {module}, which fails to import: "
            f"{type(error).__name__}: {error}"
        ) from error


def _has_spec(package):
    """Whether top-level ``package`` is installed (a module in ``sys.modules``
    without a spec, a stub or a mock, counts as installed)."""
    try:
        return importlib.util.find_spec(package) is not None
    except ValueError:  # in sys.modules, with __spec__ None or unset
        return True
