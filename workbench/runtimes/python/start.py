"""What the Python runtime's process runs: the runtime client (bootstrap.py), imported rather than run as
a script so that its compiled form is cached (compiling it costs every cold start about 10 ms). It is
loaded under a name no function's module can have."""

import importlib.util
import os

_spec = importlib.util.spec_from_file_location(
    "_lambda_workbench_bootstrap", os.path.join(os.path.dirname(os.path.abspath(__file__)), "bootstrap.py"))
_bootstrap = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bootstrap)
_bootstrap.main()
