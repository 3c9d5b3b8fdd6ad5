"""What the agent interface (`lambda-workbench mcp`) answers, as JSON-ready data: pure functions over the
workspace, runs and their results, so every tool returns the same shapes the command line's --json does."""
