"""Response streaming through the real engine: a Node.js handler's stream reaches the Runtime API as Lambda's
runtime client sends it (chunked, errors in the trailers) and is relayed piece by piece as it arrives."""

import json

import pytest

from workbench.core.function.invocation_result import Status
from node_functions import needs_node, node_function

pytestmark = needs_node


@pytest.fixture
def stream(engine, qtbot):
    """stream(config, event) runs a call and returns (result, [(bytes, at_ms) as relayed], log lines, the
    pieces that had arrived when the log said the handler had written them all)."""

    def _stream(config, event=None):
        invocation = engine.invoke(config, {} if event is None else event)
        pieces, lines, seen_at_line = [], [], {}
        invocation.response_chunk.connect(lambda piece: pieces.append((piece.data, piece.at_ms)))

        def on_lines(batch):
            lines.extend(batch)
            if any(line.endswith("all pieces written") for line in batch):
                seen_at_line["count"] = len(pieces)
        invocation.log_lines.connect(on_lines)
        with qtbot.waitSignal(invocation.finished, timeout=30_000) as blocker:
            pass
        return blocker.args[0], pieces, lines, seen_at_line.get("count")

    return _stream


def test_pieces_arrive_before_the_handler_ends(code, stream):
    """Each write reaches the workbench while the handler is still running; the result keeps the timings."""
    result, pieces, lines, arrived_by_then = stream(node_function(code, "streaming.slow", timeout_s=10))
    assert result.succeeded, result.payload
    assert result.payload == b"one two three"
    assert b"".join(piece for piece, _ in pieces) == b"one two three"
    # The handler logs after its last write and ends 1.5 s later: every piece had been relayed by then.
    assert arrived_by_then is not None and arrived_by_then >= 3
    stream_ = result.stream
    assert stream_.content_type == "text/plain" and stream_.error_type is None
    assert [chunk.size for chunk in stream_.chunks] == [len(piece) for piece, _ in pieces]
    assert stream_.first_byte_ms is not None and stream_.first_byte_ms < result.duration_ms
    # The REPORT line is Lambda's usual one: Duration runs to the end of the stream.
    assert lines[-1].startswith(f"REPORT RequestId: {result.request_id}\tDuration: ")
    assert "\tBilled Duration: " in lines[-1]


def test_an_error_mid_stream_is_the_calls_error(code, stream):
    """A handler that throws after writing: the error travels in the trailers; the piece written is kept."""
    result, pieces, lines, _ = stream(node_function(code, "streaming.failsMidway"))
    assert result.status is Status.ERROR and result.error_type == "TypeError"
    error = json.loads(result.payload)
    assert error["errorType"] == "TypeError" and error["errorMessage"] == "broke mid-stream"
    assert result.stream.body == b"partial " and result.stream.error_type == "TypeError"
    assert [piece for piece, _ in pieces] == [b"partial "]
    assert any("\tERROR\tInvoke Error \t" in line and "broke mid-stream" in line for line in lines)


@pytest.mark.parametrize("handler, body, content_type", [
    ("streaming.handler", b"streamed hello", "text/plain"),
    ("streaming.piped", b"a" * 1000 + b"b" * 1000 + b"c" * 1000, "application/octet-stream"),
    ("streaming.writesObject", b'{"ok":true}', "application/octet-stream"),
])
def test_stream_bodies(code, stream, handler, body, content_type):
    """Plain writes, a pipeline from a Readable, an object written as JSON: the bytes and Content-Type arrive."""
    result, _, _, _ = stream(node_function(code, handler))
    assert result.succeeded, result.payload
    assert result.payload == body and result.stream.content_type == content_type


def test_http_integration_prelude_precedes_the_body(code, stream):
    """HttpResponseStream.from: the JSON prelude and eight NUL bytes come first, under Lambda's content type."""
    result, _, _, _ = stream(node_function(code, "streaming.http", timeout_s=5), {"gapMs": 10})
    assert result.succeeded
    assert result.stream.content_type == "application/vnd.awslambda.http-integration-response"
    prelude, _, body = result.payload.partition(b"\0" * 8)
    assert json.loads(prelude) == {"statusCode": 201, "headers": {"Content-Type": "text/html", "X-Custom": "yes"},
                                   "cookies": ["a=1; Path=/", "b=2"]}
    assert body == b"<p>first</p><p>second</p>"


def test_content_type_after_the_first_write_is_refused(code, stream):
    """setContentType after writing: Runtime.InvalidStreamingOperation, as the runtime client says it."""
    result, _, _, _ = stream(node_function(code, "streaming.lateContentType"))
    assert result.error_type == "Runtime.InvalidStreamingOperation"
    assert json.loads(result.payload)["errorMessage"] == "Cannot set content-type, too late."


@pytest.mark.parametrize("runtime", ["nodejs20.x", "nodejs24.x"])
def test_warm_streamed_calls_reuse_the_environment(code, stream, runtime):
    """A second streamed call runs warm in the same environment, on both invoke loops."""
    config = node_function(code, "streaming.handler", runtime)
    first, _, _, _ = stream(config)
    second, pieces, _, _ = stream(config)
    assert first.succeeded and second.succeeded, second.payload
    assert second.init_duration_ms is None and second.payload == b"streamed hello"
    assert b"".join(piece for piece, _ in pieces) == b"streamed hello"


def test_history_keeps_the_stream_with_its_timings(code, tmp_path, qtbot):
    """A streamed run read back from the history has its pieces' timings, its Content-Type and, for a stream
    that failed part-way, the bytes it had sent."""
    from workbench.core.function.invocation_request import prepare_invocation
    from workbench.core.history.history_store import HistoryStore
    from workbench.engine.history_writer import history_writer_for
    from workbench.engine.run_session import RunSession

    session = RunSession(history=history_writer_for(tmp_path))
    runs = []
    try:
        for handler in ("streaming.handler", "streaming.failsMidway"):
            prepared = prepare_invocation(node_function(code, handler), b"{}", "event")
            run = session.run(prepared)
            with qtbot.waitSignal(run.finished, timeout=30_000):
                pass
            runs.append(run)
    finally:
        session.shutdown()  # every run reaches the file
    store = HistoryStore.for_workspace(tmp_path)
    try:
        for run in runs:
            kept = store.get(run.run_id).result
            assert kept.stream == run.record.result.stream
        assert kept.stream.body == b"partial " and kept.stream.error_type == "TypeError"
        assert kept.payload == run.record.result.payload
    finally:
        store.close()


def test_invoke_writes_a_stream_to_stdout_as_it_arrives(code, tmp_path):
    """`lambda-workbench invoke`: the first piece is on stdout while the handler still waits for the test."""
    import subprocess
    import sys

    release = tmp_path / "release"
    (tmp_path / "event.json").write_text(json.dumps({"release": str(release)}))
    process = subprocess.Popen([sys.executable, "-m", "workbench", "invoke", "--code-dir", str(code), "--handler",
                                "streaming.untilReleased", "--runtime", "nodejs20.x", "-e",
                                str(tmp_path / "event.json")], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        first = process.stdout.readline()
        released_before = release.exists()
        release.touch()
        rest, errors = process.communicate(timeout=30)
    finally:
        process.kill()
    assert first == b"first piece\n" and not released_before
    assert rest == b"last piece\n" and process.returncode == 0, errors
    assert b"REPORT RequestId: " in errors


def test_invoke_writes_a_failed_streams_error_after_its_pieces(code, tmp_path):
    import subprocess
    import sys

    ran = subprocess.run([sys.executable, "-m", "workbench", "invoke", "--code-dir", str(code), "--handler",
                          "streaming.failsMidway", "--runtime", "nodejs20.x"], capture_output=True, timeout=60)
    lines = ran.stdout.split(b"\n")
    assert ran.returncode == 1 and lines[0] == b"partial "
    assert json.loads(lines[1])["errorMessage"] == "broke mid-stream" and lines[2:] == [b""]
