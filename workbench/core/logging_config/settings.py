"""LoggingConfig's values, Lambda's checks on them, and the variables Lambda passes to the runtime.

Lambda guide, "Configuring advanced logging controls" and "Log-level filtering":
https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html
https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TEXT, JSON = "Text", "JSON"
LOG_FORMATS = (TEXT, JSON)
# Most detailed first, as the API reference lists them.
APPLICATION_LOG_LEVELS = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL")
SYSTEM_LOG_LEVELS = ("DEBUG", "INFO", "WARN")
# "The default application log level for log filtering is INFO"; "by default, Lambda sets the system
# log level to INFO" (Log-level filtering page).
DEFAULT_APPLICATION_LOG_LEVEL = "INFO"
DEFAULT_SYSTEM_LOG_LEVEL = "INFO"


def effective_levels(log_format: str, application: str, system: str) -> tuple[str | None, str | None]:
    """(application level, system level) Lambda filters at; (None, None) in Text format, where Lambda
    filters nothing ("To use log-level filtering, your function must be configured to use the JSON log
    format")."""
    if log_format != JSON:
        return None, None
    return application or DEFAULT_APPLICATION_LOG_LEVEL, system or DEFAULT_SYSTEM_LOG_LEVEL


def logging_variables(log_format: str, application: str) -> dict[str, str]:
    """The variables Lambda sets for the runtime: AWS_LAMBDA_LOG_FORMAT and AWS_LAMBDA_LOG_LEVEL in JSON
    format (the runtimes read them: awslambdaric's JSON formatter, the Node.js client's level filter);
    nothing in Text format, the runtimes' default."""
    if log_format != JSON:
        return {}
    return {"AWS_LAMBDA_LOG_FORMAT": JSON, "AWS_LAMBDA_LOG_LEVEL": application or DEFAULT_APPLICATION_LOG_LEVEL}


def _enum_problem(field: str, value: str, allowed: tuple[str, ...]) -> str | None:
    # Lambda's ValidationException wording for an enum member.
    if value in allowed:
        return None
    return (f"Value '{value}' at 'loggingConfig.{field}' failed to satisfy constraint: "
            f"Member must satisfy enum value set: [{', '.join(allowed)}]")


def logging_problems(log_format: str, application: str, system: str) -> list[tuple[str, str]]:
    """(field, message) for each value Lambda would refuse."""
    problems = []
    for field, value, allowed in (("logFormat", log_format, LOG_FORMATS),
                                  ("applicationLogLevel", application, APPLICATION_LOG_LEVELS),
                                  ("systemLogLevel", system, SYSTEM_LOG_LEVELS)):
        if value or field == "logFormat":
            message = _enum_problem(field, value, allowed)
            if message:
                problems.append((field, message))
    if log_format == TEXT and (application or system):
        # UpdateFunctionConfiguration refuses levels on a text-format function.
        problems.append(("loggingConfig", "Application and system log levels can only be set when the "
                         "log format is JSON."))
    return problems


def read_logging_config(value: Any, where: str) -> tuple[tuple[str, str, str], list[str]]:
    """(LogFormat, ApplicationLogLevel, SystemLogLevel) from a template's LoggingConfig mapping, and the
    problems found, each naming `where` (file:line:column of the property). LogGroup is accepted and has
    no effect here: the log goes to the workbench's view, not a log group."""
    if value is None:
        return (TEXT, "", ""), []
    if not isinstance(value, Mapping):
        return (TEXT, "", ""), [f"{where}: LoggingConfig must be a mapping (LogFormat, ApplicationLogLevel, "
                                "SystemLogLevel, LogGroup)"]
    log_format = str(value.get("LogFormat") or TEXT)
    application = str(value.get("ApplicationLogLevel") or "")
    system = str(value.get("SystemLogLevel") or "")
    unknown = sorted(set(value) - {"LogFormat", "ApplicationLogLevel", "SystemLogLevel", "LogGroup"})
    problems = [f"{where}: LoggingConfig has no property {name}" for name in unknown]
    problems += [f"{where}: {message}" for _field, message in logging_problems(log_format, application, system)]
    return (log_format, application, system), problems
