"""The Response panel during a streamed call: the pieces appear as they arrive, with time to first byte and
a timeline, while the real handler still runs; the finished call keeps the timeline."""

import json

from workbench.core.function.invocation_request import prepare_invocation
from workbench.engine.run_session import RunSession
from workbench.ui.response_panel import ResponsePanel
from workbench.ui.stream_timeline import timeline_words
from workbench.core.streaming.streamed_response import StreamChunk
from node_functions import needs_node, node_function


def test_timeline_words_name_pieces_bytes_and_first_byte():
    chunks = (StreamChunk(0.0, 0), StreamChunk(2.5, 12), StreamChunk(610.25, 2048))
    assert timeline_words(chunks, done=True) == "first byte 2.5 ms · 3 pieces · 2.0 KB · last 610.2 ms"
    assert timeline_words([], done=False) == "no byte yet · 0 pieces · 0 B"
    assert timeline_words(chunks[:2], done=True, error_type="TypeError").endswith("ended by TypeError")


@needs_node
def test_the_panel_shows_pieces_while_the_handler_runs(code, tmp_path, qtbot):
    panel = ResponsePanel()
    qtbot.addWidget(panel)
    panel.resize(700, 400)
    panel.show()
    release = tmp_path / "release"
    session = RunSession()
    try:
        prepared = prepare_invocation(node_function(code, "streaming.untilReleased", timeout_s=20),
                                      json.dumps({"release": str(release)}).encode(), "event")
        run = session.run(prepared)
        run.response_chunk.connect(panel.append_piece)
        panel.show_running()
        qtbot.waitUntil(lambda: panel.payload_text() == "first piece\n", timeout=20_000)
        assert not release.exists()
        assert panel.stream_timeline.isVisible()
        assert panel.stream_timeline.words.text().startswith("first byte ")
        assert panel.stream_timeline.words.text().endswith(" ms · 1 piece · 12 B")
        with qtbot.waitSignal(run.finished, timeout=20_000):
            release.touch()
        panel.show_result(run.record.result)
        assert panel.payload_text() == "first piece\nlast piece\n"
        words = panel.stream_timeline.words.text()
        assert words.startswith("first byte ") and " ms · 2 pieces · 23 B · last " in words
    finally:
        session.shutdown()
