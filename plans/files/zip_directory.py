"""The directory of a zip file as its End Of Central Directory record states it, read before
``zipfile`` builds an object for every entry of the directory.

A zip's directory is at its end; ``zipfile.ZipFile`` reads all of it and makes an object per
entry before anyone can count them (a 20 MB file of 412,487 entries cost 263–322 MB). The
record at the very end gives the number of entries and the directory's size in bytes: checked
first, they bound what ``zipfile`` will read.
"""

import struct
from typing import IO

END_SIGNATURE = b"PK\x05\x06"
END_SIZE = 22
# The record ends the file, after a comment of at most 65,535 bytes.
MAX_COMMENT = 0xFFFF
# A ZIP64 file writes these in the record and its real figures elsewhere; no document or
# workbook needs one.
ZIP64_ENTRIES = 0xFFFF
ZIP64_SIZE = 0xFFFFFFFF
# A ZIP64 locator just before the record: zipfile then believes the ZIP64 record's figures, not
# the ones checked here.
ZIP64_LOCATOR = b"PK\x06\x07"
ZIP64_LOCATOR_SIZE = 20


class NoZipDirectory(ValueError):
    """The file has no End Of Central Directory record: it is no zip, or is cut."""


def zip_directory(file: IO[bytes]) -> tuple[int, int]:
    """Return ``(entries, directory bytes)`` as the seekable ``file``'s End Of Central Directory
    record states them, from the file's current position to its end; the position is kept.

    A ZIP64 file answers its markers (0xFFFF entries, 0xFFFFFFFF bytes), over any budget.
    """
    origin = file.tell()
    size = file.seek(0, 2) - origin
    tail_size = min(size, END_SIZE + MAX_COMMENT)
    file.seek(origin + size - tail_size)
    tail = file.read(tail_size)
    file.seek(origin)
    end = tail.rfind(END_SIGNATURE)
    if end < 0 or end + END_SIZE > len(tail):
        raise NoZipDirectory("no End Of Central Directory record")
    if end >= ZIP64_LOCATOR_SIZE and tail[end - ZIP64_LOCATOR_SIZE:].startswith(ZIP64_LOCATOR):
        return ZIP64_ENTRIES, ZIP64_SIZE
    # Entries on this disk, entries in all, directory size, directory offset.
    _disk_entries, entries, directory_size, _offset = struct.unpack(
        "<HHII", tail[end + 8:end + 20]
    )
    return entries, directory_size
