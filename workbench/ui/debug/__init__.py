"""The window's debugger: breakpoints in the gutter, the Debug actions, and the panels of a stopped program
(call stack, variables, watches, console)."""
