"""Python runtime client: runs one handler against Lambda's Runtime API, as Amazon's awslambdaric does.

Runs inside the child process. Standard library only, Python 3.9 and later; imports nothing from the
workbench package. Payload shapes, log formats and error messages follow awslambdaric 4.x; results and
events go through JSON as Lambda's runtime writes and reads it (lambda_json.py, beside this file).
"""

import http.client
import importlib
import importlib.util
import json
import logging
import os
import sys
import time
import traceback


def _sibling(name):
    """The runtime client's module `name`.py beside this file, loaded under a private name: the function's
    own modules keep every name, and this folder stays off sys.path."""
    private = "_lambda_workbench_" + name
    module = sys.modules.get(private)
    if module is None:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".py")
        spec = importlib.util.spec_from_file_location(private, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[private] = module
        spec.loader.exec_module(module)
    return module


_json = _sibling("lambda_json")
to_json, parse_event = _json.to_json, _json.parse_event


API_PREFIX = "/2018-06-01/runtime"
ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"
# The workbench's own, only when a call or an environment is debugged (debugger.py beside this file).
DEBUG_VARIABLE = "_LAMBDA_WORKBENCH_DEBUG"
DEBUG_HEADER = "Lambda-Runtime-Workbench-Debug"
W3C_FIELDS = ("traceparent", "tracestate", "baggage")
LAMBDA_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. "
    "However, in rare cases, a Lambda runtime update can cause unexpected function behavior. "
    "For functions using managed runtimes, runtime updates can be triggered by a function change, "
    "or can be applied automatically. To determine if the runtime has been updated, check the runtime "
    "version in the INIT_START log entry. If this error correlates with a change in the runtime version, "
    "you may be able to mitigate this error by temporarily rolling back to the previous runtime version. "
    "For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html\r"
)
JSON_LOG_RESERVED = {
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_info",
    "exc_text", "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated", "thread",
    "threadName", "processName", "process", "taskName", "aws_request_id", "tenant_id",
}

_current_request_id = None
_current_tenant_id = None


class Fault(Exception):
    """A failure Lambda reports with a Runtime.* error type rather than the exception's class."""

    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace


# --- Runtime API client ---------------------------------------------------------------------------

class RuntimeClient:
    """Keep-alive HTTP/1.1 connection to the Runtime API. /next has no client timeout, as Lambda asks."""

    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self._connection = http.client.HTTPConnection(host, int(port))

    def _request(self, method, path, body=None, headers=None):
        self._connection.request(method, API_PREFIX + path, body=body, headers=headers or {})
        response = self._connection.getresponse()
        return response, response.read()

    def next_invocation(self):
        response, body = self._request("GET", "/invocation/next")
        if response.status != 200:
            raise RuntimeError("Runtime API /next answered %d" % response.status)
        return body, response.headers

    def post_result(self, request_id, body, content_type):
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        self._request("POST", "/invocation/%s/response" % request_id, data, {"Content-Type": content_type})

    def post_error(self, request_id, error):
        self._request("POST", "/invocation/%s/error" % request_id, to_json(error).encode("utf-8"),
                      {"Content-Type": "application/json"})

    def post_init_error(self, error):
        self._request("POST", "/init/error", to_json(error).encode("utf-8"),
                      {"Content-Type": "application/json", ERROR_TYPE_HEADER: error["errorType"]})


# --- Logging -------------------------------------------------------------------------------------

class Unbuffered:
    """Every write reaches the pipe at once, so logs stream live and precede the response."""

    def __init__(self, stream):
        self.stream = stream

    def __getattr__(self, name):
        return getattr(self.stream, name)

    def write(self, text):
        written = self.stream.write(text)
        self.stream.flush()
        return written

    def writelines(self, lines):
        self.stream.writelines(lines)
        self.stream.flush()


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _current_request_id or ""
        record.tenant_id = _current_tenant_id
        return True


# Lambda's telemetry log descriptor: each logging record, context.log() and error log is one framed
# record (one log event, however many lines), as awslambdaric writes them; prints stay on stdout.
_telemetry = None
_FRAME_LEVELS = {logging.NOTSET: 0, logging.DEBUG: 2, logging.INFO: 3, logging.WARNING: 4, logging.ERROR: 5,
                 logging.CRITICAL: 6}


def open_telemetry():
    """Take the descriptor from the environment (the handler does not see it, as with awslambdaric)."""
    global _telemetry
    fd = os.environ.pop("_LAMBDA_TELEMETRY_LOG_FD", None)
    if fd is not None:
        try:
            _telemetry = os.fdopen(int(fd), "wb", 0)
        except (OSError, ValueError):
            _telemetry = None


def write_log(text, level=logging.NOTSET):
    """One log event: a framed record on the telemetry descriptor, else the text on stdout."""
    if _telemetry is None:
        sys.stdout.write(text)
        return
    data = text.encode("utf-8")
    frame_type = 0xA55A0000 | _FRAME_LEVELS.get(level, 0) << 2 | 1 << 1 | (0 if json_logs() else 1)
    _telemetry.write(frame_type.to_bytes(4, "big") + len(data).to_bytes(4, "big")
                     + (time.time_ns() // 1000).to_bytes(8, "big") + data)


class _StdoutHandler(logging.Handler):
    def emit(self, record):
        try:
            text = self.format(record)
            # A record with exc_info ends with its traceback, without the format's final newline (logging
            # appends it after). On stdout (no telemetry descriptor) the next print must not run on in the
            # same line; as a framed record it is an event of its own either way.
            if _telemetry is None and not text.endswith("\n"):
                text += "\n"
            write_log(text, min(50, max(0, record.levelno)) // 10 * 10)
        except Exception:
            self.handleError(record)


class JsonLogFormatter(logging.Formatter):
    """AWS_LAMBDA_LOG_FORMAT=JSON: one object per record, timestamps without milliseconds."""

    def __init__(self):
        super().__init__(datefmt="%Y-%m-%dT%H:%M:%SZ")

    def format(self, record):
        record.levelno = min(50, max(0, record.levelno)) // 10 * 10
        record.levelname = logging.getLevelName(record.levelno)
        exc = record.exc_info
        doc = {
            "timestamp": self.formatTime(record, self.datefmt),
            "level": record.levelname,
            "message": record.msg if isinstance(record.msg, dict) and not record.args else record.getMessage(),
            "logger": record.name,
            "stackTrace": traceback.format_tb(exc[2]) if exc else None,
            "errorType": exc[0].__name__ if exc else None,
            "errorMessage": str(exc[1]) if exc else None,
            "requestId": getattr(record, "aws_request_id", None),
            "location": "%s:%s:%s" % (record.pathname, record.funcName, record.lineno) if exc else None,
        }
        if getattr(record, "tenant_id", None) is not None:
            doc["tenantId"] = record.tenant_id
        doc.update((k, v) for k, v in record.__dict__.items() if k not in JSON_LOG_RESERVED and k not in doc)
        doc = {k: v for k, v in doc.items() if v is not None}
        return json.dumps(doc, ensure_ascii=False, default=str) + "\n"


def json_logs():
    return (os.environ.get("AWS_LAMBDA_LOG_FORMAT") or "").upper() == "JSON"


def setup_logging():
    logging.Formatter.converter = time.gmtime
    # As awslambdaric reads it: TRACE (exactly) means DEBUG, then upper case; a lower-case "trace" is
    # no level Python knows, so it leaves the root logger as it is.
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL") or ""
    level = ("DEBUG" if level == "TRACE" else level).upper()
    handler = _StdoutHandler()
    if json_logs():
        handler.setFormatter(JsonLogFormatter())
    else:
        handler.setFormatter(logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"))
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    if level in logging._nameToLevel:
        root.setLevel(level)
    root.addHandler(handler)


def log_error(error):
    """The [ERROR] event Lambda prints for a failure: one line, its parts joined by CR."""
    if json_logs():
        doc = {"timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "level": "ERROR"}
        doc.update(error)
        if _telemetry is not None:
            write_log(to_json(doc), logging.ERROR)
        else:
            sys.stdout.write(to_json(doc) + "\n")
        return
    header = "[ERROR]"
    if error.get("errorType"):
        header += " " + error["errorType"]
    if error.get("errorMessage"):
        header += (":" if error.get("errorType") else "") + " " + error["errorMessage"]
    lines = [header]
    if error.get("stackTrace") is not None:
        lines.append("Traceback (most recent call last):")
        for element in error["stackTrace"]:
            for line in element.splitlines() or [""]:
                stripped = line.lstrip(" ")
                lines.append("\u00a0" * (len(line) - len(stripped)) + stripped)
    if _telemetry is not None:
        write_log("\n".join(lines), logging.ERROR)
    else:
        sys.stdout.write("\r".join(lines) + "\n")


# --- Errors --------------------------------------------------------------------------------------

def make_error(message, error_type, stack_trace, request_id=None):
    return {"errorMessage": message or "", "errorType": error_type or "",
            "requestId": request_id if request_id is not None else "", "stackTrace": stack_trace or []}


def user_frames(tb):
    """Traceback entries from the first frame outside this file: the user's code, not ours.

    Plain (file, line, function, source) tuples, as awslambdaric keeps them: formatted, they carry no
    column markers (the ^^^ lines Python 3.11+ adds), so the stackTrace matches Lambda's.
    """
    frames = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    for index, frame in enumerate(frames):
        if "/bootstrap.py" not in frame[0]:
            return frames[index:]
    return frames


def error_from_exception(exc, request_id=None):
    if isinstance(exc, Fault):
        return make_error(exc.message, exc.error_type, exc.trace, request_id)
    trace = traceback.format_list(user_frames(exc.__traceback__))
    return make_error(str(exc), type(exc).__name__, trace, request_id)


# --- Handler resolution --------------------------------------------------------------------------

def load_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise Fault("Runtime.MalformedHandlerName", "Bad handler '%s': %s" % (handler, e))
    if modname.split(".")[0] in sys.builtin_module_names:
        raise Fault("Runtime.BuiltInModuleConflict", "Cannot use built-in module %s as a handler module" % modname)
    try:
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise Fault("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (modname, e))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise Fault("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (modname, e), trace)
    try:
        return getattr(module, fname)
    except AttributeError:
        raise Fault("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (fname, modname))


# --- Context -------------------------------------------------------------------------------------

class _Record:
    __slots__ = ()

    def __init__(self, values=None):
        for name in self.__slots__:
            setattr(self, name, (values or {}).get(name))

    def __repr__(self):
        fields = ",".join("%s=%s" % (name, getattr(self, name)) for name in self.__slots__)
        return "%s([%s])" % (type(self).__name__, fields)


class CognitoIdentity(_Record):
    __slots__ = ("cognito_identity_id", "cognito_identity_pool_id")


class Client(_Record):
    __slots__ = ("installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name")


class ClientContext(_Record):
    __slots__ = ("custom", "env", "client")


def _parse_header_json(value, name):
    try:
        return json.loads(value)
    except Exception as e:
        raise Fault("Runtime.LambdaContextUnmarshalError", "Unable to parse %s JSON: %s" % (name, e))


def _take_w3c(client_context):
    """Remove the w3c entry from a client context; its string trace fields, as awslambdaric keeps them."""
    raw = client_context.pop("w3c", None) if isinstance(client_context, dict) else None
    if not isinstance(raw, dict):
        return {}
    return {key: raw[key] for key in W3C_FIELDS if isinstance(raw.get(key), str)}


class LambdaContext:
    def __init__(self, request_id, headers):
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        # A string, as on Lambda.
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn")
        self.tenant_id = headers.get("Lambda-Runtime-Aws-Tenant-Id")
        self.client_context = None
        self._w3c = {}
        raw_client_context = headers.get("Lambda-Runtime-Client-Context")
        if raw_client_context:
            values = _parse_header_json(raw_client_context, "Client Context") or {}
            self._w3c = _take_w3c(values)
            self.client_context = ClientContext(values)
            self.client_context.client = Client(values.get("client")) if values.get("client") else None
        self.identity = CognitoIdentity()
        raw_identity = headers.get("Lambda-Runtime-Cognito-Identity")
        if raw_identity:
            values = _parse_header_json(raw_identity, "Cognito Identity") or {}
            self.identity = CognitoIdentity({"cognito_identity_id": values.get("cognitoIdentityId"),
                                             "cognito_identity_pool_id": values.get("cognitoIdentityPoolId")})
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms") or 0)
        debug = headers.get(DEBUG_HEADER)
        self._clock = _sibling("debugger").clock_file(debug) if debug else None

    def w3c(self):
        """The W3C trace context (traceparent, tracestate, baggage) the caller sent, as a dict."""
        return dict(self._w3c)

    def get_remaining_time_in_millis(self):
        if self._clock:
            # Debugged: the time spent stopped does not count, as the workbench enforces the timeout.
            return _sibling("debugger").remaining_ms(self._clock, self._deadline_ms)
        return max(self._deadline_ms - int(time.time() * 1000), 0)

    def log(self, msg):
        write_log(str(msg))

    def __repr__(self):
        return ("LambdaContext([aws_request_id=%s,log_group_name=%s,log_stream_name=%s,function_name=%s,"
                "memory_limit_in_mb=%s,function_version=%s,invoked_function_arn=%s,client_context=%s,"
                "identity=%s,tenant_id=%s])" % (
                    self.aws_request_id, self.log_group_name, self.log_stream_name, self.function_name,
                    self.memory_limit_in_mb, self.function_version, self.invoked_function_arn,
                    self.client_context, self.identity, self.tenant_id))


# --- The loop ------------------------------------------------------------------------------------

def handle_invocation(client, handler, body, headers):
    request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
    try:
        context = LambdaContext(request_id, headers)
        content_type = headers.get("Content-Type", "application/json")
        if content_type == "application/json":
            try:
                event = parse_event(body)
            except Exception as e:
                raise Fault("Runtime.UnmarshalError", "Unable to unmarshal input: %s" % e)
        else:
            event = body
        response = handler(event, context)
        if isinstance(response, bytes):
            result, result_type = response, "application/unknown"
        else:
            try:
                result, result_type = to_json(response), "application/json"
            except Exception as e:
                raise Fault("Runtime.MarshalError", "Unable to marshal response: %s" % e)
    except Exception as exc:
        error = error_from_exception(exc, request_id)
        log_error_if_possible(error)
        client.post_error(request_id, error)
        return
    client.post_result(request_id, result, result_type)


def log_error_if_possible(error):
    """log_error, unless the handler closed the streams: Lambda writes its error line to a descriptor of
    its own (the telemetry pipe), so a closed stdout never keeps the handler's error from being posted."""
    try:
        log_error(error)
    except (OSError, ValueError):
        pass


def update_trace_id(headers):
    trace_id = headers.get("Lambda-Runtime-Trace-Id")
    if trace_id is not None:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)


def set_search_path():
    """sys.path as Lambda's runtime has it: the task root, the dependencies, the layers and the runtime's
    SDK (given by the workbench, in that order), then the standard library. The interpreter runs isolated
    and without site, so nothing of the machine's own packages is there; this file's folder is not either."""
    here = os.path.dirname(os.path.abspath(__file__))
    stdlib = [p for p in sys.path if p and os.path.abspath(p) != here]
    given = os.environ.pop("_LAMBDA_WORKBENCH_SYS_PATH", None)
    first = given.split(os.pathsep) if given else [os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())]
    sys.path[:] = first + [p for p in stdlib if p not in first]


def main():
    global _current_request_id, _current_tenant_id
    set_search_path()
    sys.stdout = Unbuffered(sys.stdout)
    sys.stderr = Unbuffered(sys.stderr)
    client = RuntimeClient(os.environ["AWS_LAMBDA_RUNTIME_API"])
    open_telemetry()
    setup_logging()
    debug = os.environ.pop(DEBUG_VARIABLE, None)
    if debug:
        _sibling("debugger").attach(debug)
    try:
        handler = load_handler(os.environ.get("_HANDLER", ""))
    except Exception as exc:
        error = error_from_exception(exc)
        logging.warning(LAMBDA_WARNING)
        log_error(error)
        client.post_init_error(error)
        sys.exit(1)
    while True:
        body, headers = client.next_invocation()
        _current_request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        _current_tenant_id = headers.get("Lambda-Runtime-Aws-Tenant-Id")
        update_trace_id(headers)
        if DEBUG_HEADER in headers:
            _sibling("debugger").attach(headers[DEBUG_HEADER])
        handle_invocation(client, handler, body, headers)


if __name__ == "__main__":
    main()
