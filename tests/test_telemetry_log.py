"""The telemetry log descriptor Lambda gives every runtime: framed records, one record one log entry."""

import struct
import textwrap

from workbench.core.function.function_config import FunctionConfig
from workbench.core.telemetry.frames import FrameDecoder


def _frame(text, frame_type=0xA55A0003, timestamp=1_700_000_000_000_000):
    data = text.encode()
    return struct.pack(">IIQ", frame_type, len(data), timestamp) + data


def test_a_record_split_across_reads_is_decoded_whole():
    decoder = FrameDecoder()
    data = _frame("first\nsecond\n") + _frame("ab", 0xA55A0016)
    assert decoder.feed(data[:5]) == []
    records = decoder.feed(data[5:20]) + decoder.feed(data[20:])
    assert [record.text for record in records] == ["first\nsecond", "ab"]
    assert records[1].level == 5 and records[1].json_format is True
    assert records[0].timestamp_us == 1_700_000_000_000_000


def test_unframed_bytes_are_shown_as_lines():
    """A program writing plain text to the descriptor is still heard."""
    assert [record.text for record in FrameDecoder().feed(b"plain text\nmore\n")] == ["plain text", "more"]


def test_python_logging_record_with_several_lines_is_one_entry(tmp_path, run):
    """A multi-line logging record is one entry (awslambdaric writes it as one frame); the handler does not
    see the descriptor's variable; print stays a line of its own."""
    (tmp_path / "app.py").write_text(textwrap.dedent("""\
        import logging, os

        def handler(event, context):
            logging.getLogger().warning("line one\\nline two")
            context.log("no newline")
            context.log("another")
            print("printed")
            return os.environ.get("_LAMBDA_TELEMETRY_LOG_FD")
        """))
    ran = run(FunctionConfig(name="telemetry", handler="app.handler", runtime="python3.12", code_dir=str(tmp_path)))
    assert ran.result.payload == b"null"
    entries = [line for line in ran.lines if not line.startswith(("START", "END", "REPORT", "WARNING: python"))]
    record = next(line for line in entries if "line one" in line)
    assert record.startswith("[WARNING]\t") and record.endswith("\tline one\nline two")
    assert "no newline" in entries and "another" in entries and "printed" in entries
