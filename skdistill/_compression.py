"""Text files read whole, decompressed where their first bytes say so, whatever their names."""

import bz2
import gzip
import lzma

#: The magic bytes a compressed file starts with, and the name pandas gives its
#: compression.
_MAGIC = {b"\x1f\x8b": "gzip", b"BZh": "bz2", b"\xfd7zXZ\x00": "xz"}
_OPENERS = {"gzip": gzip.open, "bz2": bz2.open, "xz": lzma.open}
#: The file-name suffixes of these compressions, which a format's name may end in.
COMPRESSION_SUFFIXES = (".gz", ".bz2", ".xz")


def compression_of(path):
    """``"gzip"``, ``"bz2"`` or ``"xz"`` where the first bytes of file ``path`` are
    those of the compression, else None (as pandas' ``compression`` takes it).

    By the bytes, not the name: NCBI's ``.fna`` files come gzipped or not under
    the same name, and a file named ``.gz`` may have been decompressed in place."""
    with open(path, "rb") as raw:
        start = raw.read(max(map(len, _MAGIC)))
    return next((name for magic, name in _MAGIC.items() if start.startswith(magic)), None)


def open_text(path, **options):
    """``path`` opened for reading text (``options`` as ``open`` takes them),
    decompressed where :func:`compression_of` finds a compression."""
    compression = compression_of(path)
    return (open if compression is None else _OPENERS[compression])(path, "rt", **options)
