"""Writing files so that no half-written file ever remains (pure Python, no Django): the
content goes to a temporary file beside the target, which is then renamed over it."""

import os
import tempfile
from pathlib import Path


def _read_umask() -> int:
    # os.umask can only be read by setting it; done once at import, before any thread runs
    mask = os.umask(0)
    os.umask(mask)
    return mask


UMASK = _read_umask()


def write_atomically(path: Path, content: bytes | str) -> None:
    """Write bytes, or text as UTF-8, to path; the file gets the permissions open() gives."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o666 & ~UMASK)  # mkstemp creates 0600
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
