"""Running a recursive function on input nested deeper than the interpreter's recursion limit.

json.loads and a recursive formatter recurse once per level of nesting; Python stops them at about
1,000 levels with RecursionError. An event may be nested far deeper and still be valid JSON that
Lambda accepts (a 6 MB event can hold 3 million levels). Such input is handled on a thread of its own
with a stack large enough for it and a recursion limit to match, so it neither fails nor overflows the
main thread's stack.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# C stack one level of nesting takes in json's scanner (measured well under 350 bytes), with room.
_STACK_BYTES_PER_LEVEL = 512
_MIN_STACK_BYTES = 64 << 20
_MAX_STACK_BYTES = 2 << 30
_lock = threading.Lock()


def call_deep(function: Callable[..., T], levels: int, *args) -> T:
    """function(*args), on a thread whose stack and recursion limit allow `levels` of nesting.

    Exceptions are raised here as the function raised them. Only one such call runs at a time: the
    recursion limit is the interpreter's, shared by every thread.
    """
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["value"] = function(*args)
        except BaseException as error:  # handed to the caller's thread
            outcome["error"] = error

    stack = min(max(_MIN_STACK_BYTES, levels * _STACK_BYTES_PER_LEVEL), _MAX_STACK_BYTES)
    with _lock:
        previous_limit = sys.getrecursionlimit()
        previous_stack = threading.stack_size()
        sys.setrecursionlimit(max(previous_limit, levels + 1000))
        try:
            threading.stack_size(stack)
            thread = threading.Thread(target=work, name="deep-recursion", daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous_stack)
        thread.join()
        sys.setrecursionlimit(previous_limit)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
