"""Lazy imports of optional dependencies, naming the extra that installs them."""

import importlib


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
        If ``module`` cannot be imported, with the ``pip install`` command.

    Examples
    --------
    >>> import_optional("math", "plot", "an example").sqrt(4.0)
    2.0
    """
    try:
        return importlib.import_module(module)
    except ImportError as error:
        # The module that is missing, which may be another than the one imported
        # (torch.utils.tensorboard needs tensorboard).
        package = (getattr(error, "name", None) or module).split(".")[0]
        raise ImportError(
            f"{needed_by} needs {package}, an optional dependency of skdistill: "
            f'pip install "skdistill[{extra}]"'
        ) from error
