"""Files written whole or not at all: a reader finds the earlier file or the new one."""

import contextlib
import errno
import os
import shutil
import stat
import uuid

#: A longer extension is not given to the hidden file (its name keeps a bounded length).
MAX_KEPT_EXTENSION = 16


@contextlib.contextmanager
def _naming(shown, written):
    """Raise an OSError about the file ``written`` (or no file: a full disk)
    within as naming ``shown``, the caller's path, not a hidden file."""
    try:
        yield
    except OSError as error:
        if error.errno is None or error.filename not in (None, written):
            raise  # a message of its own, or about another file
        raise type(error)(error.errno, error.strerror, shown) from None


@contextlib.contextmanager
def written_whole(path):
    """Yield the name of a new hidden file beside ``path``, which replaces
    ``path`` (its permissions kept) once the block completes and is removed
    where it raises: a full disk or a Ctrl-C leaves the earlier file. An
    OSError of that file names ``path``.

    The hidden file has ``path``'s extension, from which writers tell the
    format (pandas' compression of ``.csv.gz``, ONNX's text formats). What
    cannot be replaced is written in place, as ``open`` would: a device or a
    pipe (``/dev/stdout``, a shell's ``>(...)``), and a file whose folder
    takes no new file.

    Parameters
    ----------
    path : str, bytes or os.PathLike
        The file to write; its folder must exist.

    Yields
    ------
    written : str
        The file to write, opened for writing afresh ("wb" or "w"): the
        hidden one, in the same folder (so that the last step is a rename),
        or ``path`` itself.

    Raises
    ------
    FileNotFoundError
        If ``path`` is empty or its folder does not exist.
    NotADirectoryError
        If its folder is a file.
    IsADirectoryError
        If ``path`` names a folder.
    OSError
        If the file cannot be written or replaced, naming ``path``.
    """
    decoded = os.fsdecode(path)
    shown = os.fspath(path) if isinstance(path, os.PathLike) else path
    target = os.path.realpath(decoded)
    folder = os.path.dirname(target)
    if not decoded:
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), shown)
    if os.path.isdir(decoded) or os.path.basename(decoded) in ("", ".", ".."):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), shown)
    if os.path.exists(decoded) and (not os.path.isfile(decoded)
                                    or not os.access(folder, os.W_OK)):
        with _naming(shown, decoded):
            yield decoded
        return
    with _naming(shown, folder):  # as open names it (a writer may name the folder)
        if not stat.S_ISDIR(os.stat(folder).st_mode):
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), folder)
    extension = os.path.splitext(target)[1]
    partial = os.path.join(folder, f".{uuid.uuid4().hex}.partial"
                                   f"{extension if len(extension) <= MAX_KEPT_EXTENSION else ''}")
    try:
        with _naming(shown, partial):
            yield partial
            if os.path.exists(target):
                shutil.copymode(target, partial)
            os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
