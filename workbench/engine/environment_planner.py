"""What a function's execution environment starts from, worked out without running anything: the
interpreter, the dependency cache entry, its layers merged into what /opt would be, the runtime's SDK, and
the AWS credentials. ready() answers when everything is in the cache; otherwise the plan's steps say what
engine/environment_builder.py has to install first.

Free of Qt, so a command can work out (and start) its first environment before Qt is even imported.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..core.child.aws_credentials import endpoint_variables, resolve_aws_access
from ..core.function.code_fingerprint import code_fingerprint
from ..core.child.dependency_cache import (ENTRY_FILE, NODE_MANIFESTS, PYTHON_MANIFESTS, Manifest, cache_root, entry_built,
                                     entry_key, entry_metadata, entry_path, find_manifest, node_install_commands,
                                     missing_local_requirements, python_install_commands, UNLOCKED_NODE_NOTE)
from ..core.function.function_config import MAX_LAYERS, FunctionConfig, LayerRef, runtime_family
from ..core.child.built_environment import (OPT_VARIABLE, PYTHON_PATH_VARIABLE, BuildFailure, FunctionEnvironment,
                                         node_path, python_search_path)
from ..core.child.interpreter_choice import Interpreter, choose_interpreter
from ..core.services.settings import LocalServices, local_variables
from ..core.child.runtime_sdk import (code_uses_sdk, node_package_specifier, node_sdk_imports, node_sdk_missing,
                                      sdk_install_arguments, sdk_label)
from ..resources import runtime_path
from ..core.vocabulary import ErrorType
from .java_environment import JavaPlan, java_stamp, java_variables, plan_java

if TYPE_CHECKING:
    from ..core.child.environment_report import EnvironmentReport

# An SDK download that failed is not retried for this long (offline laptops start at once).
SDK_RETRY_S = 600
# How long a ready environment is reused without looking again (credentials are re-read after it).
READY_MEMO_S = 300


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


@dataclass
class BuildStep:
    """One cache entry to fill: its commands run one after another in a temporary folder."""

    description: str
    final: Path
    commands: list[list[str]]
    metadata: str
    fatal: bool = True
    copy_in: tuple[str, ...] = ()
    """Files copied into the temporary folder first (npm ci installs beside package.json)."""
    marker: Path | None = None
    """Written when a non-fatal step fails, so it is not retried at once."""
    workdir: str | None = None
    """Where the commands run; None: the temporary folder. A Python install runs in the function's folder,
    so relative paths in its requirements (./vendor/x.whl, -e ./pkg) resolve as pip resolves them."""
    warnings: tuple[str, ...] = ()
    """Log lines shown before the commands run (a relative path in the requirements that does not exist)."""
    failure_type: str = ErrorType.DEPENDENCY_INSTALL
    """The error type the call gets when this step fails."""
    failure_text: Callable[[str], str] | None = None
    """Rewrites the failed command's output for the error message (javac's columns)."""
    whole_output: bool = False
    """The error message keeps all of the output, not only its last lines (a compiler's diagnostics)."""
    adds_to: tuple[str, ...] = ()
    """Set for a step that adds packages to the existing entry `final` in place (an SDK client imported for
    the first time): the files, relative to `final`, whose presence means the step is done."""


@dataclass
class BuildPlan:
    interpreter: Interpreter | None
    steps: list[BuildStep] = field(default_factory=list)
    dependencies: str | None = None
    manifest: str | None = None
    layer_parts: list[tuple[LayerRef, str | None]] = field(default_factory=list)
    """(layer, its dependency entry) in declared order."""
    sdk_dir: str | None = None
    uses_sdk: bool = False
    """The function's (or a layer's) source imports the runtime's SDK."""
    notices: list[str] = field(default_factory=list)
    failure: BuildFailure | None = None
    java: JavaPlan | None = None

    @property
    def plans_again(self) -> bool:
        """Its steps decide what comes after them (a Maven class path: what the sources compile against),
        so the build plans again once they have run."""
        return self.java is not None and self.java.awaiting_step


def uv_executable() -> str | None:
    """The uv binary of the `uv` wheel (a dependency), else one on PATH."""
    try:
        import uv  # here: the wheel may be absent (then PATH's uv), and only a build needs it
        return uv.find_uv_bin()
    except (ImportError, FileNotFoundError):
        return shutil.which("uv")


class EnvironmentPlanner:
    """Knows each function's environment: ready() when it is built (cheap, every call); else _plan() says
    what to build."""

    def __init__(self, host_env: dict[str, str]) -> None:
        self.host_env = host_env
        self.root = cache_root(host_env)
        self.profile: str | None = host_env.get("AWS_PROFILE")
        self.region: str | None = None
        self.endpoints: dict[str, str] = {k: v for k, v in host_env.items() if k.startswith("AWS_ENDPOINT_URL")}
        self.local: LocalServices | None = None
        self.local_endpoint: str | None = None
        """The services host the environments of local mode were given (None until one was needed)."""
        # config -> (stamp, environment, when): the warm path answers from here without probing anything.
        self._memo: dict[FunctionConfig, tuple[tuple, FunctionEnvironment, float]] = {}

    @functools.cached_property
    def _uv(self) -> str | None:
        """uv, looked for only once something is to be installed (finding it costs every command ~4 ms)."""
        return uv_executable()

    def set_aws(self, profile: str | None = None, region: str | None = None,
                endpoints: dict[str, str] | None = None, local: LocalServices | None = None) -> None:
        """The workspace's (or command line's) profile, region and endpoint URLs for the next cold starts;
        with `local`, calls go to the workspace's services host with local credentials instead."""
        self.local = local
        self.local_endpoint = local.endpoint if local is not None else None
        self.profile = profile or self.host_env.get("AWS_PROFILE")
        self.region = region or None
        if endpoints is not None:
            self.endpoints = dict(endpoints)
        self._memo.clear()

    def forget(self) -> None:
        """Look at interpreters, manifests and credentials afresh on the next call (after a reset)."""
        self._memo.clear()

    def ready(self, config: FunctionConfig) -> FunctionEnvironment | BuildFailure | None:
        """The environment when everything it needs is in the cache, a failure that no build can fix, or
        None when build() has work to do."""
        stamp = self._stamp(config)
        memo = self._memo.get(config)
        if memo is not None and memo[0] == stamp and time.monotonic() - memo[2] < READY_MEMO_S \
                and (memo[1].dependencies is None or os.path.isdir(memo[1].dependencies)):
            return memo[1]
        plan = self._plan(config)
        if plan.failure is not None:
            return plan.failure
        if plan.steps:
            return None
        environment = self._assemble(config, plan)
        self._memo[config] = (stamp, environment, time.monotonic())
        return environment

    def _stamp(self, config: FunctionConfig) -> tuple:
        """What a ready environment depends on besides the config: its manifests and its layers' files."""
        names = [name for _kind, files in PYTHON_MANIFESTS + NODE_MANIFESTS for name in files] + ["node_modules"]
        stamp = []
        for name in names:
            try:
                status = os.stat(os.path.join(config.code_dir, name))
                stamp.append((status.st_mtime_ns, status.st_size))
            except OSError:
                stamp.append(None)
        stamp += [code_fingerprint(layer.content_dir) for layer in config.layers if layer.content_dir]
        if runtime_family(config.runtime) == "java":
            stamp += list(java_stamp(config))
        if not self.sdk_folder(config.runtime).is_dir() or runtime_family(config.runtime) == "nodejs":
            # Until the SDK is installed, an edit that starts importing it is its first need; the JS SDK is
            # modular: an edit may import a client not installed yet.
            stamp.append(code_fingerprint(config.code_dir))
        return tuple(stamp)

    def dependency_entry(self, config: FunctionConfig) -> tuple[Manifest | None, Path | None]:
        """The function's manifest and its cache entry folder (built or not)."""
        interpreter = self._interpreter(config)
        manifest = find_manifest(config.code_dir, config.runtime)
        if manifest is None or interpreter is None:
            return manifest, None
        return manifest, entry_path(self.root, entry_key(manifest, config.runtime, config.architecture,
                                                          interpreter.version))

    def describe(self, config: FunctionConfig) -> EnvironmentReport:
        """What the function's environment is made of, built or not (for the Dependencies section and
        `lambda-workbench deps`)."""
        from ..core.child.environment_report import build_report  # the window and `deps` ask; a call never does

        plan = self._plan(config)
        opt_dir = self._merged_layers(plan.layer_parts) if plan.layer_parts and not plan.steps else None
        sdk_dir = plan.sdk_dir if plan.sdk_dir and Path(plan.sdk_dir).is_dir() else None
        return build_report(config, plan.interpreter, plan.manifest, plan.dependencies, opt_dir, sdk_dir)

    def sdk_folder(self, runtime: str) -> Path:
        return self.root / "sdk" / runtime

    # --- Internals -----------------------------------------------------------------------------

    def _interpreter(self, config: FunctionConfig) -> Interpreter | None:
        return choose_interpreter(config, self.host_env)

    def _plan(self, config: FunctionConfig) -> BuildPlan:
        family = runtime_family(config.runtime)
        interpreter = self._interpreter(config)
        plan = BuildPlan(interpreter)
        if family == "provided":
            plan.layer_parts = [(layer, None) for layer in config.layers]
            return self._plan_layers(config, plan)
        if interpreter is None:
            return plan  # the launch says what is missing
        if interpreter.warning:
            plan.notices.append(interpreter.warning)
        if family == "java":
            plan.java, steps, plan.failure = plan_java(self.root, config, interpreter, self.host_env, BuildStep)
            plan.steps += steps
            plan.notices += list(plan.java.notices) if plan.java else []
            if plan.failure is None:
                self._plan_layers(config, plan)
            return plan
        manifest = find_manifest(config.code_dir, config.runtime)
        if manifest is not None:
            step = self._dependency_step(manifest, config.runtime, config.architecture, interpreter,
                                         f"installing {os.path.relpath(manifest.main_file, config.code_dir)} "
                                         f"for {config.name} ({config.runtime}, {config.architecture})")
            if isinstance(step, BuildFailure):
                plan.failure = step
                return plan
            plan.dependencies, plan.manifest = str(step.final), manifest.main_file
            if not entry_built(self.root, step.final.name):
                plan.steps.append(step)
        self._plan_layers(config, plan)
        self._plan_sdk(config, interpreter, plan)
        return plan

    def _dependency_step(self, manifest: Manifest, runtime: str, architecture: str,
                         interpreter: Interpreter, description: str) -> BuildStep | BuildFailure:
        key = entry_key(manifest, runtime, architecture, interpreter.version)
        final = entry_path(self.root, key)
        installer = "uv" if self._uv else "pip"
        try:
            workdir: str | None = None
            warnings: tuple[str, ...] = ()
            if runtime_family(runtime) == "python":
                commands = python_install_commands(manifest, "{target}", interpreter.path, self._uv)
                copy_in: tuple[str, ...] = ()
                workdir = manifest.folder
                if manifest.kind == "requirements.txt":
                    warnings = tuple(missing_local_requirements(_read_text(manifest.main_file), manifest.folder))
            else:
                npm = shutil.which("npm", path=self.host_env.get("PATH"))
                if npm is None:
                    return BuildFailure(ErrorType.DEPENDENCY_INSTALL,
                                        f"{manifest.main_file} needs npm, which is not on PATH")
                commands = node_install_commands(manifest, "{target}", npm)
                copy_in = tuple(os.path.join(manifest.folder, name) for name in manifest.files)
                installer = "npm install" if manifest.kind == "package.json" else "npm ci"
                if manifest.kind == "package.json":
                    warnings = (UNLOCKED_NODE_NOTE.format(file=manifest.main_file, folder=manifest.folder),)
        except ValueError as error:
            return BuildFailure(ErrorType.DEPENDENCY_INSTALL, str(error))
        return BuildStep(description, final, commands, entry_metadata(manifest, runtime, architecture, installer),
                         copy_in=copy_in, workdir=workdir, warnings=warnings)

    def _plan_layers(self, config: FunctionConfig, plan: BuildPlan) -> BuildPlan:
        layers = list(config.layers)
        if len(layers) > MAX_LAYERS:
            plan.failure = BuildFailure("InvalidParameterValueException",
                                        f"Cannot reference more than {MAX_LAYERS} layers ({len(layers)} given).")
            return plan
        for layer in layers:
            if layer.content_dir is None:
                plan.notices.append(f"WARNING: layer {layer.name} is not available offline (only a layer with a "
                                    "local ContentUri is); the function runs without it.")
                continue
            entry = None
            if layer.build_method and plan.interpreter is not None:
                manifest = find_manifest(layer.content_dir, layer.build_method)
                if manifest is not None:
                    step = self._dependency_step(manifest, layer.build_method, config.architecture,
                                                 plan.interpreter,
                                                 f"installing layer {layer.name}'s {manifest.files[0]}")
                    if isinstance(step, BuildFailure):
                        plan.failure = step
                        return plan
                    entry = str(step.final)
                    if not entry_built(self.root, step.final.name) and step not in plan.steps:
                        plan.steps.append(step)
            plan.layer_parts.append((layer, entry))
        return plan

    def _plan_sdk(self, config: FunctionConfig, interpreter: Interpreter, plan: BuildPlan) -> None:
        sources = [config.code_dir] + [layer.content_dir for layer in config.layers if layer.content_dir]
        plan.uses_sdk = any(code_uses_sdk(source, config.runtime) for source in sources)
        folder = self.sdk_folder(config.runtime)
        imported = frozenset()
        if runtime_family(config.runtime) == "nodejs" and plan.uses_sdk:
            imported = frozenset().union(*(node_sdk_imports(source) for source in sources))
        if folder.is_dir():
            plan.sdk_dir = str(folder)
            missing = node_sdk_missing(folder, imported) if imported else []
            if missing:
                self._plan_sdk_addition(config, folder, missing, plan)
            return
        arguments = sdk_install_arguments(config.runtime, imported)
        if arguments is None or not plan.uses_sdk:
            return
        marker = folder.parent / f"{config.runtime}.failed"
        try:
            recent_failure = time.time() - marker.stat().st_mtime < SDK_RETRY_S
        except OSError:
            recent_failure = False
        if recent_failure:
            plan.notices.append(f"WARNING: {sdk_label(config.runtime)} is not installed (the last download "
                                f"failed: {marker.read_text(errors='replace').strip().splitlines()[-1:]}); "
                                "importing it fails until it is.")
            return
        if runtime_family(config.runtime) == "python":
            if self._uv:
                commands = [[self._uv, "pip", "install", "--python", interpreter.path, "--target", "{target}",
                             *arguments]]
            else:
                commands = [[interpreter.path, "-m", "pip", "install", "--disable-pip-version-check",
                             "--target", "{target}", *arguments]]
        else:
            npm = shutil.which("npm", path=self.host_env.get("PATH"))
            if npm is None:
                return
            commands = [[npm, "install", "--no-audit", "--no-fund", "--prefix", "{target}", *arguments]]
        metadata = json.dumps({"runtime": config.runtime, "packages": arguments, "built_at": time.time()})
        plan.steps.append(BuildStep(f"installing the {config.runtime} runtime's {sdk_label(config.runtime)}", folder,
                                commands, metadata, fatal=False, marker=marker))
        plan.sdk_dir = str(folder)

    def _plan_sdk_addition(self, config: FunctionConfig, folder: Path, missing: list[str], plan: BuildPlan) -> None:
        """A client the function imports that the runtime's SDK folder lacks: added to it once, from the npm
        registry, as Lambda's runtime would have it already."""
        names = ", ".join(f"@aws-sdk/{name}" for name in missing)
        marker = folder.parent / f"{config.runtime}-{'+'.join(missing)}.failed"
        if self._recently_failed(marker):
            plan.notices.append(f"WARNING: {names} is not installed in the {config.runtime} runtime's SDK (the last "
                                f"download failed: {marker.read_text(errors='replace').strip().splitlines()[-1:]}); "
                                "importing it fails until it is.")
            return
        npm = shutil.which("npm", path=self.host_env.get("PATH"))
        if npm is None:
            plan.notices.append(f"WARNING: {names} cannot be added to the {config.runtime} runtime's SDK: npm is "
                                "not on PATH; importing it fails.")
            return
        specifiers = [node_package_specifier(name) for name in missing]
        metadata = json.dumps({"runtime": config.runtime, "packages": sdk_install_arguments(config.runtime, set(missing)),
                               "built_at": time.time()})
        plan.steps.append(BuildStep(f"adding {names} to the {config.runtime} runtime's {sdk_label(config.runtime)}",
                                    folder, [[npm, "install", "--no-audit", "--no-fund", "--save-exact", "--prefix",
                                              "{target}", *specifiers]], metadata, fatal=False, marker=marker,
                                    adds_to=tuple(f"node_modules/@aws-sdk/{name}/package.json" for name in missing)))

    @staticmethod
    def _recently_failed(marker: Path) -> bool:
        try:
            return time.time() - marker.stat().st_mtime < SDK_RETRY_S
        except OSError:
            return False

    def _assemble(self, config: FunctionConfig, plan: BuildPlan) -> FunctionEnvironment:
        """The environment from a plan whose entries are all built (sync: copies of small layer folders)."""
        sdk_dir = plan.sdk_dir if plan.sdk_dir and Path(plan.sdk_dir).is_dir() else None
        opt_dir = self._merged_layers(plan.layer_parts) if plan.layer_parts else None
        family = runtime_family(config.runtime)
        variables: list[tuple[str, str]] = []
        if family == "python":
            search = python_search_path(config.code_dir, plan.dependencies, opt_dir, config.runtime, sdk_dir)
            variables.append((PYTHON_PATH_VARIABLE, os.pathsep.join(search)))
        elif family == "nodejs":
            variables.append(("NODE_PATH", node_path(config.code_dir, plan.dependencies, opt_dir, config.runtime,
                                                     sdk_dir, str(runtime_path()))))
        java_runtime = None
        if plan.java is not None:
            java_path, java_runtime = java_variables(plan.java, opt_dir)
            variables += java_path
        if opt_dir:
            variables.append((OPT_VARIABLE, opt_dir))
            # Lambda's PATH and LD_LIBRARY_PATH end in /opt/bin and /opt/lib.
            variables.append(("PATH", self.host_env.get("PATH", "/usr/bin:/bin") + f":{opt_dir}/bin"))
            variables.append(("LD_LIBRARY_PATH", f"{config.code_dir}/lib:{opt_dir}/lib"))
        if self.local is not None:
            # The user's credentials never reach the function, unless a service stays on the account.
            account = resolve_aws_access(self.profile, self.host_env).variables if self.local.keep_on_account else ()
            notices = list(plan.notices)
            if self.local_endpoint is None and plan.uses_sdk:
                notices += self._start_local_host()
            variables += list(local_variables(self.local_endpoint or "", self.local.region,
                                              self.local.keep_on_account, account))
            if not self.local_endpoint:
                variables = [item for item in variables if item[0] != "AWS_ENDPOINT_URL"]
            return FunctionEnvironment(plan.interpreter, plan.dependencies, plan.manifest, opt_dir, sdk_dir,
                                       tuple(variables), tuple(notices), tuple(value for _n, value in account),
                                       java_runtime)
        access = resolve_aws_access(self.profile, self.host_env)
        variables += list(access.variables)
        # The region as the user's own tools would pick it (sam local invoke passes its session's): the one
        # chosen here, else the shell's AWS_REGION / AWS_DEFAULT_REGION, else the profile's (the default one's
        # too); none of them: the function's configured region.
        region = (self.region or self.host_env.get("AWS_REGION") or self.host_env.get("AWS_DEFAULT_REGION")
                  or access.region)
        if region:
            variables += [("AWS_REGION", region), ("AWS_DEFAULT_REGION", region)]
        variables += list(endpoint_variables(self.endpoints))
        notices = list(plan.notices)
        if access.warning and plan.uses_sdk:
            notices.extend(access.warning.splitlines())
        return FunctionEnvironment(plan.interpreter, plan.dependencies, plan.manifest, opt_dir, sdk_dir,
                                   tuple(variables), tuple(notices), access.secrets, java_runtime)

    def _start_local_host(self) -> list[str]:
        """Join or start the workspace's services host (its first need); a notice when it cannot start."""
        # Here: on invoke's head-start path; the services host starter loads only for a function using local services
        from .services_host import HostStartError, start_host

        try:
            self.local_endpoint = start_host(self.local.workspace, region=self.local.region).endpoint
        except (HostStartError, OSError) as error:
            return [f"WARNING: the local AWS services could not start ({error}); the function's AWS calls fail "
                    "until they do (lambda-workbench services shows why)."]
        return []

    def _merged_layers(self, parts: list[tuple[LayerRef, str | None]]) -> str | None:
        """The layers extracted in order into one folder, a later layer's file replacing an earlier one's, as
        Lambda extracts them into /opt. Content-addressed: a layer edit makes a new folder."""
        local = [(layer, entry) for layer, entry in parts if layer.content_dir]
        if not local:
            return None
        digest = hashlib.sha256()
        for layer, entry in local:
            digest.update(json.dumps([layer.name, layer.content_dir, layer.build_method, entry,
                                      code_fingerprint(layer.content_dir)]).encode())
        final = self.root / "opt" / digest.hexdigest()[:32]
        if final.is_dir():
            return str(final)
        temporary = final.parent / f".tmp-{final.name}-{os.urandom(4).hex()}"
        temporary.mkdir(parents=True)
        ignore = shutil.ignore_patterns("__pycache__", ".aws-sam")
        for layer, entry in local:
            subfolder = _build_subfolder(layer.build_method)
            shutil.copytree(layer.content_dir, temporary / subfolder, dirs_exist_ok=True, ignore=ignore,
                            symlinks=True)
            if entry:
                source = Path(entry) / "node_modules" if subfolder == "nodejs" else Path(entry)
                target = temporary / subfolder / ("node_modules" if subfolder == "nodejs" else "")
                shutil.copytree(source, target, dirs_exist_ok=True, symlinks=True,
                                ignore=shutil.ignore_patterns(ENTRY_FILE))
        try:
            os.rename(temporary, final)
        except OSError:
            shutil.rmtree(temporary, ignore_errors=True)
        return str(final)


def _build_subfolder(build_method: str | None) -> str:
    """Where `sam build` puts a layer built with BuildMethod: python/ or nodejs/; as is without one."""
    if not build_method:
        return ""
    return "python" if build_method.startswith("python") else "nodejs" if build_method.startswith("nodejs") else ""

