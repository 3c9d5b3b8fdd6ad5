"""A function's configuration as Lambda sees it, and the rules for valid values."""

from __future__ import annotations

from dataclasses import dataclass

from ..logging_config.settings import TEXT, logging_problems

MEMORY_MIN_MB = 128
MEMORY_MAX_MB = 10240
TIMEOUT_MIN_S = 1
TIMEOUT_MAX_S = 900
DEFAULT_MEMORY_MB = 128
DEFAULT_TIMEOUT_S = 3
ARCHITECTURES = ("x86_64", "arm64")

PYTHON_RUNTIMES = ("python3.9", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14")
NODE_RUNTIMES = ("nodejs18.x", "nodejs20.x", "nodejs22.x", "nodejs24.x")
JAVA_RUNTIMES = ("java17", "java21", "java25")
CUSTOM_RUNTIMES = ("provided.al2023", "provided.al2")
RUNTIMES = PYTHON_RUNTIMES + NODE_RUNTIMES + JAVA_RUNTIMES + CUSTOM_RUNTIMES


def runtime_family(runtime: str) -> str:
    """'python', 'nodejs', 'java' or 'provided': which bootstrap runs the function."""
    for family in ("python", "nodejs", "java", "provided"):
        if runtime.startswith(family):
            return family
    raise ValueError(f"unknown runtime {runtime!r}")


# Lambda's limit on the layers of one function.
MAX_LAYERS = 5


@dataclass(frozen=True)
class LayerRef:
    """One entry of a function's Layers, in declared order."""

    name: str
    """The layer's logical id in the template, or its ARN."""
    content_dir: str | None = None
    """The layer's local folder (its ContentUri); None for a layer known only by ARN."""
    build_method: str | None = None
    """Metadata BuildMethod (python3.12, nodejs20.x, ...): the folder holds sources and a manifest to build."""


@dataclass(frozen=True)
class FunctionConfig:
    """Everything that defines one function's execution environment.

    Two configs that compare equal may share a warm environment; any difference
    (a new memory size, one more variable) means a cold start, as after a deploy.
    """

    name: str
    handler: str
    runtime: str
    code_dir: str
    memory_mb: int = DEFAULT_MEMORY_MB
    timeout_s: int = DEFAULT_TIMEOUT_S
    architecture: str = "x86_64"
    environment: tuple[tuple[str, str], ...] = ()
    interpreter: str | None = None
    region: str = "us-east-1"
    account_id: str = "123456789012"
    layers: tuple[LayerRef, ...] = ()
    # Lambda's CPU share of the memory size (1,769 MB = one vCPU). Off: the machine's full CPU, e.g. to
    # debug without waiting; Duration then no longer says what Lambda would bill.
    scale_cpu: bool = True
    # LoggingConfig: LogFormat (Text or JSON), ApplicationLogLevel and SystemLogLevel ("" = Lambda's
    # default). Rules in core/logging_config/.
    log_format: str = TEXT
    application_log_level: str = ""
    system_log_level: str = ""

    @property
    def function_arn(self) -> str:
        return f"arn:aws:lambda:{self.region}:{self.account_id}:function:{self.name}"

    def env_dict(self) -> dict[str, str]:
        return dict(self.environment)


@dataclass(frozen=True)
class ConfigProblem:
    """One invalid value: which field, and Lambda's own wording of the constraint."""

    field: str
    message: str


def _range_problem(field_name: str, value: object, low: int, high: int) -> ConfigProblem | None:
    # Lambda's API rejects these with this exact wording (ValidationException).
    if not isinstance(value, int) or isinstance(value, bool):
        return ConfigProblem(field_name, f"Value '{value}' at '{field_name}' is not a whole number")
    if value < low:
        return ConfigProblem(
            field_name,
            f"Value '{value}' at '{field_name}' failed to satisfy constraint: "
            f"Member must have value greater than or equal to {low}",
        )
    if value > high:
        return ConfigProblem(
            field_name,
            f"Value '{value}' at '{field_name}' failed to satisfy constraint: "
            f"Member must have value less than or equal to {high}",
        )
    return None


def validate_memory(value: object) -> ConfigProblem | None:
    return _range_problem("memorySize", value, MEMORY_MIN_MB, MEMORY_MAX_MB)


def validate_timeout(value: object) -> ConfigProblem | None:
    return _range_problem("timeout", value, TIMEOUT_MIN_S, TIMEOUT_MAX_S)


def validate_config(config: FunctionConfig) -> list[ConfigProblem]:
    """All problems with a config, empty when Lambda would accept it."""
    problems = [p for p in (validate_memory(config.memory_mb), validate_timeout(config.timeout_s)) if p]
    if config.runtime not in RUNTIMES:
        problems.append(ConfigProblem(
            "runtime", f"Value '{config.runtime}' at 'runtime' failed to satisfy constraint: "
            f"Member must satisfy enum value set: [{', '.join(RUNTIMES)}]"))
    if config.architecture not in ARCHITECTURES:
        problems.append(ConfigProblem(
            "architectures", f"Value '{config.architecture}' at 'architectures' failed to satisfy "
            f"constraint: Member must satisfy enum value set: [{', '.join(ARCHITECTURES)}]"))
    needs_handler = config.runtime in RUNTIMES and runtime_family(config.runtime) != "provided"
    if needs_handler and not config.handler:
        problems.append(ConfigProblem("handler", "Value '' at 'handler' failed to satisfy constraint: "
                                      "Member must have length greater than or equal to 1"))
    problems += [ConfigProblem(field, message) for field, message in
                 logging_problems(config.log_format, config.application_log_level, config.system_log_level)]
    return problems
