"""What the Python runtime's process runs: the runtime client (bootstrap.py), imported rather than run as
a script so that its compiled form is cached (compiling it costs every cold start about 10 ms). It is
loaded under a name no function's module can have.

Its http.client is imported here without ssl, as Lambda's own runtime client (C++) loads nothing of the
kind: ssl would add some 10 ms to every init. That module is then taken out of sys.modules, so the
function's own `import http.client` loads a complete one, HTTPS included.
"""

import importlib.util
import os
import sys

sys.modules["ssl"] = None  # http.client's optional `import ssl` fails, and it goes without HTTPS
try:
    import http.client  # noqa: F401 - what bootstrap.py's `import http.client` finds
finally:
    del sys.modules["ssl"]

_spec = importlib.util.spec_from_file_location(
    "_lambda_workbench_bootstrap", os.path.join(os.path.dirname(os.path.abspath(__file__)), "bootstrap.py"))
_bootstrap = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bootstrap)
del sys.modules["http.client"]
_bootstrap.main()
