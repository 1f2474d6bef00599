"""The server's own time per script run, for the load benchmark (``bench/appload.py``).

When the server is started with ``DRAFTING_APP_TIMINGS=FILE``, every run of the app's
script appends one JSON line to FILE: the page, the wall time and the CPU time of the
script's thread (what the server spent on that rerun, apart from the browser's rendering
and the network), and how the run ended. Off by default: nothing is measured or written.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

ENV = "DRAFTING_APP_TIMINGS"
_lock = threading.Lock()


@contextmanager
def measured(state: dict) -> Iterator[None]:
    """Time the block; ``state["page"]`` names the page once it is known."""
    path = os.environ.get(ENV)
    if not path:
        yield
        return
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    run_ctx = get_script_run_ctx()
    session = run_ctx.session_id if run_ctx else ""
    t0, c0 = time.perf_counter(), time.thread_time()
    outcome = "finished"
    try:
        yield
    except BaseException as e:  # st.rerun, st.switch_page, st.stop: control flow, not failures
        outcome = type(e).__name__
        raise
    finally:
        line = json.dumps(
            {
                "at": time.time(),
                "page": state.get("page") or "",
                "wall_s": round(time.perf_counter() - t0, 5),
                "cpu_s": round(time.thread_time() - c0, 5),
                "outcome": outcome,
                "session": session,
            }
        )
        with _lock, open(path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
