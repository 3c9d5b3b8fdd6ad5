"""The agent interface: `lambda-workbench mcp` serves the workspace's functions, presets, runs, tests and
tuning as Model Context Protocol tools (the official `mcp` SDK), driving the run session like the window
and the command line do. Beside ui/ and serve/: imports neither."""
