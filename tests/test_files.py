"""Atomic writes: the file appears whole with the permissions open() gives, or not at all."""

import os

import pytest

from gemeinsinn import files


def test_text_and_bytes_are_written_whole_with_open_permissions(tmp_path):
    target = tmp_path / "bericht.html"
    files.write_atomically(target, "Größe")
    assert target.read_bytes() == "Größe".encode()
    assert target.stat().st_mode & 0o777 == 0o666 & ~files.UMASK
    files.write_atomically(target, b"%PDF")
    assert target.read_bytes() == b"%PDF" and os.listdir(tmp_path) == ["bericht.html"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "bericht.pdf"
    target.write_bytes(b"alt")

    def broken_replace(source, destination):
        raise OSError("Datenträger voll")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError):
        files.write_atomically(target, b"neu")
    assert target.read_bytes() == b"alt" and os.listdir(tmp_path) == ["bericht.pdf"]
