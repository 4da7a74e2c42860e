"""Files written whole or not at all: a reader finds the earlier file or the new one."""

import contextlib
import errno
import os
import shutil
import uuid


@contextlib.contextmanager
def _naming(path):
    """Raise an OSError of a file within as naming ``path``, the caller's, not
    a hidden file (a path-like object as its text, as ``open`` names it)."""
    shown = os.fspath(path) if isinstance(path, os.PathLike) else path
    try:
        yield
    except OSError as error:
        if error.errno is None:  # a message of its own, about no file
            raise
        raise type(error)(error.errno, error.strerror, shown) from None


@contextlib.contextmanager
def written_whole(path):
    """Yield the name of a new hidden file beside ``path``, which replaces
    ``path`` (its permissions kept) once the block completes and is removed
    where it raises: a full disk or a Ctrl-C leaves the earlier file. An
    OSError of a file within names ``path``.

    Parameters
    ----------
    path : str, bytes or os.PathLike
        The file to write; its folder must exist.

    Yields
    ------
    partial : str
        The file to write instead, in the same folder (so that the last step
        is a rename).

    Raises
    ------
    FileNotFoundError
        If ``path`` is empty.
    IsADirectoryError
        If ``path`` names a folder.
    OSError
        If the file cannot be written or replaced, naming ``path``.
    """
    given, decoded = path, os.fsdecode(path)
    path = os.path.realpath(decoded)
    if not decoded:
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), given)
    if os.path.isdir(path) or os.path.basename(decoded) in ("", ".", ".."):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), given)
    # a name of its own length, so that any name the folder takes can be written
    partial = os.path.join(os.path.dirname(path), f".{uuid.uuid4().hex}.partial")
    try:
        with _naming(given):
            yield partial
            if os.path.exists(path):
                shutil.copymode(path, partial)
            os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
