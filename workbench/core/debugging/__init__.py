"""Debugging a handler: breakpoints, what a debugged call asks of its runtime, the paused-time clock, the
Debug Adapter Protocol's framing, and the notes that let an IDE attach."""
