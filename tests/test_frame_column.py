"""A frame's column is shown: opening a location far to the right scrolls the editor to it."""

from window_helpers import make_window, workspace  # noqa: F401 - fixtures


def test_a_frame_at_column_106_of_a_one_line_handler_scrolls_to_the_column(qtbot, make_window, workspace):
    """A minified one-line handler and a frame at 1:106 (as Node.js names them): the tab opens with the cursor
    on column 106, and that column is inside the visible part of the editor, not off its right edge."""
    line = "export const handler=async(event)=>{const items=event.items||[];const total=items.reduce((s,i)=>s+" \
           "i.price,0);if(total<0){throw new Error('negative total')}return {statusCode:200,body:JSON.stringify(" \
           "{total})}};"
    (workspace / "minified.mjs").write_text(line + "\n")
    window = make_window(workspace)
    window.resize(1024, 700)
    qtbot.wait(50)
    assert window.code_locations.open("minified.mjs", 1, 106)
    editor = window.tabs.editor_for(workspace / "minified.mjs")
    qtbot.wait(50)
    assert editor.textCursor().positionInBlock() == 105
    where = editor.cursorRect()
    visible = editor.viewport().rect()
    assert visible.left() <= where.left() and where.right() <= visible.right()
    assert editor.horizontalScrollBar().value() > 0


def test_a_failed_run_at_column_106_shows_the_raising_column(qtbot, make_window, workspace):
    """A one-line Node.js handler that throws at column 106: after the run the editor shows the marked line
    with the cursor on the throwing column, scrolled into view."""
    handler = workspace / "order_confirmation_node" / "index.mjs"
    prefix = "export const handler = async (event) => { const items = event.items || []; const count = items.length; "
    handler.write_text(prefix + "throw new Error('no items in the order: ' + count) };\n")
    column = len(prefix) + len("throw ") + 1  # V8 names the column of `new Error`
    assert column > 100
    window = make_window(workspace)
    window.resize(1024, 700)
    window.toolbar.function_combo.setCurrentText("OrderConfirmationNode")
    with qtbot.waitSignal(window.sig_run_finished, timeout=30000) as blocker:
        window.toolbar.run_action.trigger()
    assert not blocker.args[0].result.succeeded
    editor = window.tabs.editor_for(handler)
    qtbot.waitUntil(lambda: window.tabs.current_path() == handler, timeout=2000)
    qtbot.wait(50)
    assert editor.textCursor().positionInBlock() == column - 1
    where = editor.cursorRect()
    visible = editor.viewport().rect()
    assert visible.left() <= where.left() and where.right() <= visible.right()
