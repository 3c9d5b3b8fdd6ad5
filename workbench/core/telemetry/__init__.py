"""The telemetry log descriptor Lambda hands every runtime (`_LAMBDA_TELEMETRY_LOG_FD`): its framing."""
