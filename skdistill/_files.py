"""Files written whole or not at all: a reader finds the earlier file or the new one."""

import contextlib
import errno
import os
import shutil
import stat
import uuid

#: Folders whose files are written in place, as ``open`` writes them: devices, and
#: the process's own files (``/dev/stdout`` links to whatever standard output is).
IN_PLACE_FOLDERS = ("/dev/", "/proc/")


@contextlib.contextmanager
def _naming(shown, own):
    """Raise an OSError about a file of ``own`` (or about no file: a full disk)
    within as naming ``shown``, the caller's path, not a hidden file."""
    try:
        yield
    except OSError as error:
        if error.errno is None or (error.filename is not None and error.filename not in own):
            raise  # a message of its own, or about another file
        raise type(error)(error.errno, error.strerror, shown) from None


def _is_standard_output(found):
    """Whether the file of ``os.stat`` result ``found`` is this process's standard
    output or error, open for writing (through a link to ``/dev/stdout``, say)."""
    for descriptor in (1, 2):
        with contextlib.suppress(OSError):  # closed
            stream = os.fstat(descriptor)
            if ((stream.st_dev, stream.st_ino) == (found.st_dev, found.st_ino)
                    and _open_for_writing(descriptor)):
                return True
    return False


def _open_for_writing(descriptor):
    """Whether ``descriptor`` may be written (where fcntl tells: POSIX)."""
    try:
        import fcntl
    except ImportError:  # Windows, which has no /dev/stdout
        return False
    return fcntl.fcntl(descriptor, fcntl.F_GETFL) & os.O_ACCMODE != os.O_RDONLY


def _error(code, shown):
    return OSError(code, os.strerror(code), shown)


@contextlib.contextmanager
def written_whole(path):
    """Yield the name of a new file in a hidden folder beside ``path``, which
    replaces ``path`` (its permissions kept) once the block completes and is
    removed where it raises: a full disk or a Ctrl-C leaves the earlier file.
    An OSError of that file names ``path``.

    The new file has ``path``'s name, from which writers tell the format
    (pandas' compression of ``.csv.gz``, the name inside a ``.zip``, ONNX's
    text formats). What cannot be replaced is written in place, as ``open``
    would: a device or a pipe (a shell's ``>(...)``), a file under ``/dev/``
    or ``/proc/`` (``/dev/stdout``), the process's standard output or error
    (through a link, say), and a file whose folder takes no new file. A
    replaced file takes the writer as its owner, and a hard link to it keeps
    the earlier contents.

    Parameters
    ----------
    path : str, bytes or os.PathLike
        The file to write; its folder must exist.

    Yields
    ------
    written : str
        The file to write, opened for writing afresh ("wb" or "w").

    Raises
    ------
    OSError
        As ``open(path, "w")`` raises it, naming ``path`` (FileNotFoundError
        for an empty path or a missing folder, IsADirectoryError for a folder,
        PermissionError for a file that may not be written), or where the
        file cannot be written or replaced.
    """
    decoded = os.fsdecode(path)
    shown = os.fspath(path) if isinstance(path, os.PathLike) else path
    folder = os.path.dirname(decoded) or "."
    if not decoded:
        raise _error(errno.ENOENT, shown)
    if os.path.isdir(decoded) or os.path.basename(decoded) in ("", ".", ".."):
        raise _error(errno.EISDIR, shown)
    with _naming(shown, {folder, decoded}):
        if not stat.S_ISDIR(os.stat(folder).st_mode):  # as open says of "a_file/x"
            raise _error(errno.ENOTDIR, shown)
        try:
            found = os.stat(decoded)
        except FileNotFoundError:
            found = None  # a new file (or a dangling link's)
    target = os.path.realpath(decoded)
    if found is not None and (not stat.S_ISREG(found.st_mode)
                              or os.path.abspath(decoded).startswith(IN_PLACE_FOLDERS)
                              or _is_standard_output(found)
                              or not os.access(os.path.dirname(target), os.W_OK)):
        with _naming(shown, {decoded}):
            yield decoded
        return
    if found is not None and not os.access(decoded, os.W_OK):
        raise _error(errno.EACCES, shown)
    hidden = os.path.join(os.path.dirname(target), f".{uuid.uuid4().hex}.partial")
    written = os.path.join(hidden, os.path.basename(target))
    try:
        with _naming(shown, {hidden, written}):
            os.mkdir(hidden)
            yield written
            if found is not None:
                shutil.copymode(target, written)
            os.replace(written, target)
    finally:
        shutil.rmtree(hidden, ignore_errors=True)
