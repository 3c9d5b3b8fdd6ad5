"""Where a run came from and what it belonged to, in words for History: a call's origin, a sweep's runs."""
