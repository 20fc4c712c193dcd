"""The one writer: regular files replaced atomically with their mode kept, links written
through, hard links refused, devices written directly, nothing partial ever left; every
command that writes uses it."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from seikg.errors import BadInputError
from seikg.rdf import write
from seikg.rdf.write import atomic_write, open_output, open_text_output

from conftest import character_device, fifo, run_cli

OLD = b"old content\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or "partial" in p.name)


def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path):
    previous = os.umask(0o027)
    try:
        atomic_write(tmp_path / "new.txt", b"x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


@pytest.mark.parametrize("mode", [0o600, 0o644, 0o755, 0o444])
def test_a_replaced_file_keeps_its_mode(tmp_path, mode):
    target = tmp_path / "out.ttl"
    target.write_bytes(OLD)
    target.chmod(mode)
    atomic_write(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert leftovers(tmp_path) == []


def test_a_symbolic_link_is_written_through(tmp_path):
    real = tmp_path / "real.ttl"
    real.write_bytes(OLD)
    real.chmod(0o600)
    link = tmp_path / "link.ttl"
    link.symlink_to(real)
    result = run_cli("export", "--format", "nt", "-o", str(link))
    assert result.code == 0, result.err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes().startswith(b"<") and stat.S_IMODE(real.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == []


def test_a_hard_linked_file_is_refused_and_left_alone(tmp_path):
    target = tmp_path / "out.ttl"
    target.write_bytes(OLD)
    os.link(target, tmp_path / "other-name.ttl")
    result = run_cli("export", "-o", str(target))
    assert result.code == 2
    assert "has 2 hard links" in result.err
    assert target.read_bytes() == OLD and (tmp_path / "other-name.ttl").read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_the_null_device_discards_and_stays_a_device(tmp_path):
    null = character_device(tmp_path, "null", 1, 3)
    for args in (["export"], ["query", "figures"], ["validate"]):
        result = run_cli(*args, "-o", str(null))
        assert result.code == 0, (args, result.err)
        assert stat.S_ISCHR(null.stat().st_mode)
    assert leftovers(tmp_path) == []


def test_the_full_device_fails_with_no_space_left(tmp_path):
    full = character_device(tmp_path, "full", 1, 7)
    for args in (["export"], ["query", "figures"], ["validate"]):
        result = run_cli(*args, "-o", str(full))
        assert result.code == 2, (args, result.err)
        assert "no space left on device" in result.err.lower()
        assert len(result.err.strip().splitlines()) == 1
        assert stat.S_ISCHR(full.stat().st_mode)
    assert leftovers(tmp_path) == []


def test_pictures_go_through_the_writer(tmp_path):
    link = tmp_path / "picture.json"
    link.symlink_to(tmp_path / "missing" / "picture.json")
    result = run_cli("viz", "-o", str(link))
    assert result.code == 2 and "dangling symbolic link" in result.err
    assert leftovers(tmp_path) == []


def test_a_pipe_is_written_directly(tmp_path):
    pipe = fifo(tmp_path, "pipe.nt")
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()))
    reader.start()
    try:
        for _ in range(100):  # until the reader has the pipe open
            try:
                atomic_write(pipe, b"through the pipe\n")
                break
            except BadInputError as exc:
                assert "nothing reads from" in str(exc)
                threading.Event().wait(0.05)
    finally:
        reader.join(10)
    assert got == [b"through the pipe\n"]


def test_a_pipe_nobody_reads_is_refused_not_waited_on(tmp_path):
    pipe = fifo(tmp_path, "pipe.nt")
    with pytest.raises(BadInputError, match="nothing reads from"):
        atomic_write(pipe, b"x")


def test_a_socket_and_a_folder_are_refused(tmp_path):
    import socket

    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock"))
    try:
        with pytest.raises(BadInputError, match="is a socket"):
            atomic_write(tmp_path / "sock", b"x")
    finally:
        server.close()
    with pytest.raises(BadInputError, match="is a folder"):
        atomic_write(tmp_path, b"x")


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError, RuntimeError])
def test_nothing_partial_is_left_on_any_failure(tmp_path, monkeypatch, failure):
    target = tmp_path / "out.ttl"
    target.write_bytes(OLD)

    def broken(*_args):
        raise failure(28, "No space left on device") if failure is OSError else failure()

    monkeypatch.setattr(write.os, "fsync", broken)
    with pytest.raises((BadInputError, failure)):
        atomic_write(target, b"new" * 100_000)
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_an_error_while_streaming_leaves_nothing(tmp_path):
    target = tmp_path / "stream.nt"
    with pytest.raises(KeyboardInterrupt), open_text_output(target) as handle:
        handle.write("a line\n" * 100_000)
        raise KeyboardInterrupt
    assert not target.exists() and leftovers(tmp_path) == []
    with open_output(target) as raw:
        raw.write(b"whole\n")
    assert target.read_bytes() == b"whole\n"


def test_standard_output_as_a_target():
    result = run_cli("export", "--format", "nt", "-o", "-")
    assert result.code == 0 and result.out.startswith("<")


def test_output_where_nothing_can_be_written(tmp_path):
    result = run_cli("export", "-o", str(tmp_path / ("x" * 300 + ".ttl")))
    assert result.code == 2 and "cannot write" in result.err


# ---------------------------------------------------------------------------
# bench generate: streams into a temporary file in the target folder


def test_generate_into_a_missing_folder_is_bad_input_and_leaves_nothing(tmp_path):
    result = run_cli("bench", "generate", "--cities", "2", "--years", "2", "-o",
                     str(tmp_path / "missing" / "syn.nt"))  # fmt: skip
    assert result.code == 2, result.err
    assert "the folder to write into does not exist" in result.err
    assert leftovers(tmp_path) == [] and list(tmp_path.iterdir()) == []


def test_generate_refused_leaves_no_partial_file(tmp_path):
    link = tmp_path / "syn.nt"
    link.symlink_to(tmp_path / "nowhere" / "syn.nt")
    result = run_cli("bench", "generate", "--cities", "2", "--years", "2", "-o", str(link))
    assert result.code == 2 and "dangling" in result.err
    assert leftovers(tmp_path) == []
    full = character_device(tmp_path, "full", 1, 7)
    result = run_cli("bench", "generate", "--cities", "2", "--years", "2", "-o", str(full))
    assert result.code == 2 and "no space left" in result.err.lower()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full", "syn.nt"]


def test_generate_writes_the_data_and_its_truth(tmp_path):
    target = tmp_path / "syn.nt"
    result = run_cli("bench", "generate", "--cities", "2", "--years", "2", "--error-rate", "1",
                     "-o", str(target))  # fmt: skip
    assert result.code == 0, result.err
    truth = json.loads((tmp_path / "syn.nt.truth.json").read_text())
    assert truth["triples"] == len(target.read_text().splitlines())
    assert leftovers(tmp_path) == []
