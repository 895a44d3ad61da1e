"""Files the register writes for people (an export, a report): written whole or not at
all, and readable by their owner only, like the store (0600), since they hold the
whole record."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import IO, Any

PRIVATE = 0o600


@contextmanager
def private_file(path: str | os.PathLike[str], mode: str = "wb", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a scratch file beside `path` (mode 0600, whatever the umask), and on success
    put it in `path`'s place; on failure remove it. A failure names `path`, never the
    scratch file."""
    target = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(target))
    fd, scratch = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.", suffix=".part")
    try:
        os.fchmod(fd, PRIVATE)
        with os.fdopen(fd, mode, **kwargs) as out:
            yield out
        try:
            os.replace(scratch, target)
        except OSError as e:
            raise OSError(e.errno, e.strerror, target) from None
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(scratch)
        raise
