"""argparse ``type`` functions: of the command line, the benchmarks and the examples.

A bad value then ends in argparse's usage line and ``error: argument --X:
...`` (exit status 2) before anything is loaded or fitted.
"""

import argparse
import tempfile

from ._seeds import MAX_SEED


def int_in_range(minimum, maximum=None):
    """Return an argparse ``type`` that parses an integer within bounds.

    Parameters
    ----------
    minimum : int
        The least value accepted.
    maximum : int or None, default=None
        The greatest value accepted; None for no bound.

    Returns
    -------
    parse : callable
        Takes the option's text and returns the int, or raises
        ``argparse.ArgumentTypeError`` naming the bounds and the text.
    """
    expected = (f"an integer of at least {minimum}" if maximum is None
                else f"an integer in [{minimum}, {maximum}]")

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
        return value

    return parse


#: A count: repeats, threads, seeds, rows, samples, meta-epochs.
positive_int = int_in_range(1)
#: A size where 0 means "no limit".
non_negative_int = int_in_range(0)
#: A seed.
numpy_seed = int_in_range(0, MAX_SEED)
#: Samples of a script's stratified subsample: fewer would leave a class of a tenth
#: (or of ten digits) out of its training or test part.
sample_count = int_in_range(100)


def file_path(text):
    """Parse a file or folder option: a path, not empty and not ``-``.

    Parameters
    ----------
    text : str

    Returns
    -------
    path : str
        ``text``, checked.
    """
    if text == "":
        raise argparse.ArgumentTypeError("expected a path, got an empty string")
    if text == "-":
        raise argparse.ArgumentTypeError(
            "'-' (standard input or output) is not read or written here: give a file"
        )
    return text


def input_path(text):
    """Parse an input file option as :func:`file_path` does, but for ``-``
    (standard input), which it returns as it is."""
    return text if text == "-" else file_path(text)


def can_write_into(folder):
    """Whether a file can be made in the existing ``folder``: tried with a
    temporary file, removed at once (``os.access`` says yes to root on a
    read-only mount or in ``/proc``).

    Parameters
    ----------
    folder : str or os.PathLike

    Returns
    -------
    writable : bool
    """
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def torch_device(text):
    """Parse ``--device``: "auto" or a torch device that this torch can use.

    Parameters
    ----------
    text : str
        Such as ``"auto"``, ``"cpu"``, ``"cuda"`` or ``"cuda:1"``.

    Returns
    -------
    device : str
        ``text``, checked.
    """
    if text == "auto":  # argparse converts the default too: no torch for it
        return text
    from ._classifier import resolve_device  # torch: only where a device is given

    try:
        resolve_device(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text
