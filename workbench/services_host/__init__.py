"""The services host: a program of its own (like runtimes/), one per workspace, serving the workspace's local
AWS (moto's backends behind werkzeug on 127.0.0.1) to its functions, with the workbench's own layer in front:
which environment made each call, the Outbox of sent emails, state saved under .workbench/services/, reset
to the seed. It imports moto, core's pure rules and engine.loopback_peer (no Qt). Started by
engine.services_host; run `python -m workbench.services_host --workspace DIR [--port N] [--region R]`."""
