"""How a person reads a Lambda log: each line's level, short time and message first, and which run a line belongs to."""
