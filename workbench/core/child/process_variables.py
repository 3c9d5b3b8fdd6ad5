"""The environment a runtime process starts with: Lambda's variables, then the user's."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping

from ..function.function_config import ConfigProblem, FunctionConfig, runtime_family
from .built_environment import OPT_VARIABLE
from ..logging_config.settings import logging_variables
from ..services.local_access import LOCAL_ACCESS_KEY_MARK, local_access_key

# Keys Lambda refuses to let a function set.
RESERVED_KEYS = frozenset({
    "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
})
# Host variables a local function needs to reach AWS and the network as the developer does.
HOST_PASSTHROUGH = (
    "HOME", "USER", "TMPDIR", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
    "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "HTTP_PROXY", "HTTPS_PROXY",
    "http_proxy", "https_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR",
)


# Lambda's pattern for variable names, and its limit on all of them together (the JSON of the map).
ENV_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9_]+")
ENV_LIMIT_BYTES = 4096


def environment_problems(variables: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> list[ConfigProblem]:
    """Everything Lambda refuses in a function's variables, in its words where it has them."""
    problems, seen = [], set()
    for number, (name, _value) in enumerate(variables, start=1):
        field = f"environment.{name}" if name else f"environment[{number}]"
        if not name:
            problems.append(ConfigProblem(field, f"Environment variable in row {number} has no name."))
        elif not ENV_NAME.fullmatch(name):
            problems.append(ConfigProblem(field, f"Environment variable name '{name}' is not allowed: Lambda "
                                          "needs a letter followed by letters, digits or underscores "
                                          "(at least 2 characters)."))
        elif name in seen:
            problems.append(ConfigProblem(field, f"Environment variable '{name}' is defined more than once."))
        seen.add(name)
    size = len(json.dumps(dict(variables), separators=(",", ":")).encode("utf-8"))
    if size > ENV_LIMIT_BYTES:
        problems.append(ConfigProblem("environment", f"The environment variables take {size} bytes; "
                                      "Lambda's limit is 4 KB in all."))
    reserved = reserved_keys_used(dict(variables))
    if reserved:
        problems.append(ConfigProblem("environment", reserved_keys_message(reserved)))
    return problems


def reserved_keys_used(variables: Mapping[str, str]) -> list[str]:
    return sorted(key for key in variables if key in RESERVED_KEYS)


def reserved_keys_message(keys: list[str]) -> str:
    """Lambda's own refusal, word for word."""
    return ("Lambda was unable to configure your environment variables because the environment variables "
            "you have provided contains reserved keys that are currently not supported for modification. "
            f"Reserved keys used in this request: {', '.join(keys)}")


def log_stream_name(environment_id: str, now: datetime.datetime) -> str:
    return f"{now:%Y/%m/%d}/[$LATEST]{environment_id}"


def build_environment(config: FunctionConfig, runtime_api: str, host_env: Mapping[str, str],
                      environment_id: str, runtime_dir: str,
                      now: datetime.datetime | None = None,
                      runtime_variables: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
    """Variables for one execution environment.

    environment_id is the 32-hex id that names the log stream. runtime_variables come from the built
    environment (search paths, AWS credentials and region, endpoint URLs). The user's variables come
    last so overridable ones (TZ, LANG, PATH, log level and format) win; reserved ones never do. With
    layers, a user value naming /opt names the merged layers folder instead, which is what /opt holds.
    """
    now = now or datetime.datetime.now(datetime.timezone.utc)
    env = {key: host_env[key] for key in HOST_PASSTHROUGH if key in host_env}
    no_proxy = host_env.get("NO_PROXY") or host_env.get("no_proxy")
    # The Runtime API is on loopback: an inherited proxy must never carry it.
    env["NO_PROXY"] = env["no_proxy"] = ",".join(filter(None, [no_proxy, "127.0.0.1", "localhost"]))
    env.update({
        "PATH": host_env.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "_HANDLER": config.handler,
        "AWS_REGION": config.region,
        "AWS_DEFAULT_REGION": config.region,
        "AWS_LAMBDA_FUNCTION_NAME": config.name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(config.memory_mb),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{config.name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": log_stream_name(environment_id, now),
        "AWS_LAMBDA_RUNTIME_API": runtime_api,
        "LAMBDA_TASK_ROOT": config.code_dir,
        "LAMBDA_RUNTIME_DIR": runtime_dir,
        "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
        "AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129:2000",
        "_AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129",
        "_AWS_XRAY_DAEMON_PORT": "2000",
    })
    family = runtime_family(config.runtime)
    if family != "provided":
        env["AWS_EXECUTION_ENV"] = f"AWS_Lambda_{config.runtime}"
    if family == "nodejs":
        env["NODE_PATH"] = f"{config.code_dir}/node_modules:{config.code_dir}"
    env.update(logging_variables(config.log_format, config.application_log_level))
    extra = dict(runtime_variables)
    if extra.get("AWS_ACCESS_KEY_ID") == LOCAL_ACCESS_KEY_MARK:
        # Local services: a key of this environment's own, so the host can tell which run made each call.
        extra["AWS_ACCESS_KEY_ID"] = local_access_key(environment_id)
        for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
            env.pop(name, None)  # nothing of the user's account reaches a local-mode function
    opt_dir = extra.pop(OPT_VARIABLE, None)
    env.update(extra)
    for key, value in config.environment:
        if key not in RESERVED_KEYS and not key.startswith("_"):
            env[key] = _opt_rewritten(value, opt_dir)
    return env


def _opt_rewritten(value: str, opt_dir: str | None) -> str:
    if opt_dir is None:
        return value
    return ":".join(opt_dir + part[4:] if part == "/opt" or part.startswith("/opt/") else part
                    for part in value.split(":"))
