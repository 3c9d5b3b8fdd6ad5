"""The output schemas of the tools: what each returns, as TypedDicts the SDK publishes as `outputSchema`
and checks every answer against (the documents themselves are built in core/agent/)."""

from __future__ import annotations

from typing import Any

from typing_extensions import TypedDict


class Figures(TypedDict):
    """Every figure of Lambda's REPORT line."""

    durationMs: float
    billedDurationMs: int
    initDurationMs: float | None
    memorySizeMB: int
    maxMemoryUsedMB: int


class Frame(TypedDict):
    file: str
    """Relative to the workspace when inWorkspace, else as the trace wrote it."""
    line: int
    column: int
    inWorkspace: bool


class ErrorInfo(TypedDict):
    type: str
    message: str
    frames: list[Frame]
    """In the trace's order: outermost first for Python, innermost first for Node.js."""
    raisedAt: Frame | None
    """The function's own frame closest to where the error was raised (None when none is its own)."""
    stackTrace: list[str]
    platformErrorType: str | None


class RunResult(TypedDict):
    """One call: its history id, outcome, the response or the error, the log, REPORT and cost."""

    runId: str | None
    function: str
    preset: str | None
    source: str
    startedAt: float
    status: str
    """success, error or timeout."""
    requestId: str
    response: Any
    error: ErrorInfo | None
    logs: list[str]
    report: Figures
    costUSD: float
    architecture: str
    coldStart: bool
    coldReason: str | None


class StoredRun(RunResult):
    event: Any
    config: dict[str, Any]
    codeFingerprint: str


class FunctionBrief(TypedDict):
    name: str
    runtime: str
    handler: str
    codeDir: str
    memoryMB: int
    timeoutS: int
    runnable: bool
    notRunnableReason: str | None


class FunctionList(TypedDict):
    workspace: str
    functions: list[FunctionBrief]
    problem: str | None
    """A broken template or workbench.json, named with file, line and column."""


class Setting(TypedDict):
    value: Any
    origin: str


class Variable(TypedDict):
    name: str
    value: str
    masked: bool
    origin: str


class FunctionDetail(FunctionBrief):
    architecture: str
    region: str
    interpreter: str | None
    scaleCpu: bool
    functionArn: str
    layers: list[str]
    environment: list[Variable]
    settings: dict[str, Setting]


class PresetInfo(TypedDict):
    name: str
    scope: str
    """"function" (events/<Function>/) or "shared" (events/)."""
    file: str
    broken: bool
    problem: str | None
    hasExpectation: bool


class PresetList(TypedDict):
    function: str
    presets: list[PresetInfo]


class PresetContent(PresetInfo):
    event: Any
    text: str


class TemplateInfo(TypedDict):
    service: str
    event: str
    description: str
    parameters: list[dict[str, str]]


class TemplateList(TypedDict):
    services: list[str]
    templates: list[TemplateInfo]


class GeneratedEvent(TypedDict):
    service: str
    event: str
    document: Any
    text: str


class RunSummaryInfo(TypedDict):
    id: str
    startedAt: float
    function: str
    source: str
    preset: str | None
    status: str
    errorType: str | None
    durationMs: float
    billedDurationMs: int
    initDurationMs: float | None
    memorySizeMB: int
    maxMemoryUsedMB: int
    costUSD: float
    coldStart: bool
    coldReason: str | None


class RunList(TypedDict):
    runs: list[RunSummaryInfo]
    total: int


class Change(TypedDict):
    path: str
    kind: str
    before: str | None
    after: str | None


class FigureDelta(TypedDict):
    name: str
    before: float | None
    after: float | None
    delta: float | None
    unit: str


class RunDiff(TypedDict):
    before: str
    after: str
    responsesEqual: bool
    responseTextDiffers: bool
    response: list[Change]
    event: list[Change]
    config: list[Change]
    code: list[Change]
    idsAndTimes: list[Change]
    figures: list[FigureDelta]
    log: list[str]


class TestCaseInfo(TypedDict, total=False):
    function: str
    preset: str
    presetFile: str
    expectationFile: str | None
    status: str
    firstDifference: str | None
    differences: list[str]
    requestId: str
    errorType: str | None
    cold: bool
    durationMs: float
    billedDurationMs: int
    initDurationMs: float | None
    memorySizeMB: int
    maxMemoryUsedMB: int
    costUSD: float


class TestResults(TypedDict):
    passed: int
    failed: int
    skipped: int
    cancelled: int
    seconds: float
    ok: bool
    cases: list[TestCaseInfo]
    junitPath: str


class SizeInfo(TypedDict, total=False):
    memoryMB: int
    p50DurationMs: float | None
    p90DurationMs: float | None
    avgCostUSD: float | None
    failed: bool
    failure: str | None
    runs: int
    coldP50DurationMs: float | None
    coldP50InitDurationMs: float | None
    avgCostUSDByArchitecture: dict[str, float]
    maxMemoryUsedMB: int
    cpuScaled: bool
    p50IntervalMs: list[float] | None
    p50IntervalConfidence: float | None
    coldCostUSD: float | None
    architecture: str
    localEstimate: bool
    speedEstimated: bool
    labels: list[str]


class TuneResults(TypedDict):
    function: str
    preset: str
    sizes: list[SizeInfo]
    fastestMB: int | None
    cheapestMB: int | None
    balancedMB: int | None
    note: str
    speedVerdict: str


class DependencyReport(TypedDict):
    function: str
    runtime: str
    architecture: str
    interpreter: dict[str, Any] | None
    manifest: str | None
    built: bool
    packages: list[dict[str, str]]
    layers: list[str]
    sdk: str
    findings: list[str]
    sizeBytes: int
    overLimit: bool
    lines: list[str]
    """The report as `lambda-workbench deps` prints it."""


class SavedPreset(TypedDict):
    name: str
    scope: str
    file: str


class LocalResources(TypedDict):
    services: dict[str, Any]


class Outbox(TypedDict):
    messages: list[dict[str, Any]]


class ResetDone(TypedDict):
    reset: list[str]
