"""Lambda response streaming: the HTTP integration prelude and InvokeWithResponseStream's event stream."""
