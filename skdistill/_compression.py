"""Text files read whole, decompressed where their first bytes say so, whatever their names."""

import bz2
import gzip
import lzma
import os
import re
import zlib

#: How a compressed file starts, and the name pandas gives its compression. A
#: bzip2 stream's header goes on with the magic of its first block or, empty, of
#: its end: "BZh" alone may begin a line of text.
_MAGIC = {
    re.compile(rb"\x1f\x8b"): "gzip",
    re.compile(rb"BZh[1-9](1AY&SY|\x17rE8P\x90)"): "bz2",
    re.compile(rb"\xfd7zXZ\x00"): "xz",
}
_OPENERS = {"gzip": gzip.open, "bz2": bz2.open, "xz": lzma.open}
#: The file-name suffixes of these compressions, which a format's name may end in.
COMPRESSION_SUFFIXES = (".gz", ".bz2", ".xz")
#: What reading a file of damaged, truncated or missing bytes raises.
READ_ERRORS = (OSError, EOFError, lzma.LZMAError, zlib.error)


def compression_of(path):
    """``"gzip"``, ``"bz2"`` or ``"xz"`` where the first bytes of file ``path`` are
    those of the compression, else None (as pandas' ``compression`` takes it).

    By the bytes, not the name: NCBI's ``.fna`` files come gzipped or not under
    the same name, and a file named ``.gz`` may have been decompressed in place."""
    return _named_by_its_start(path, _MAGIC)


#: How archives and compressions not read start, and what they are.
_UNREAD_MAGIC = {
    re.compile(rb"PK\x03\x04"): "a zip archive",
    re.compile(rb"\x28\xb5\x2f\xfd"): "compressed with zstd",
}


def unread_compression(path):
    """What file ``path`` is where its first bytes are those of an archive or a
    compression not read (a zip archive, zstd), else None."""
    return _named_by_its_start(path, _UNREAD_MAGIC) if os.path.isfile(path) else None


def _named_by_its_start(path, magic_names):
    """The name in ``magic_names`` (pattern to name) of the first pattern the
    first bytes of file ``path`` match, else None."""
    with open(path, "rb") as raw:
        start = raw.read(10)
    return next((name for magic, name in magic_names.items() if magic.match(start)), None)


def _opener(path):
    """``open``, or the opener of the compression :func:`compression_of` finds."""
    compression = compression_of(path)
    return open if compression is None else _OPENERS[compression]


def open_text(path, **options):
    """``path`` opened for reading text (``options`` as ``open`` takes them),
    decompressed where :func:`compression_of` finds a compression."""
    return _opener(path)(path, "rt", **options)


def where_not_utf8(path, error, decompress=True):
    """Where the first byte of file ``path`` that is not UTF-8 lies, as a line of
    the file and a byte of it, for the message of ``error``, the
    UnicodeDecodeError of reading it (whose ``start`` counts from the start of
    whatever chunk the reader decoded: "position 1" for a byte 187,560 bytes
    into a CSV file); ``decompress`` as the reader did. Lines end as Python's
    universal newlines end them (``\r`` too). Where the file cannot be read
    again from its start (a pipe), ``error``'s reason alone."""
    number = 0
    if not os.path.isfile(path):
        return error.reason
    try:
        with (_opener(path) if decompress else open)(path, "rb") as handle:
            for chunk in handle:
                lines = chunk.splitlines(keepends=True)
                for number, line in enumerate(lines, start=number + 1):
                    try:
                        line.decode("utf-8")
                    except UnicodeDecodeError as found:
                        return (f"{found.reason}: byte 0x{line[found.start]:02x} on line "
                                f"{number}, byte {found.start + 1} of the line")
    except READ_ERRORS:
        pass
    return error.reason
