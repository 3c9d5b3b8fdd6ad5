"""The small starter files New Function writes, one set per runtime family, as the Lambda console's
"Author from scratch" gives: a handler returning an API Gateway-shaped hello."""

from __future__ import annotations

from dataclasses import dataclass

from .function_config import runtime_family
from ..java.handler_string import parse_java_handler, source_file_of

PYTHON_STARTER = '''import json


def lambda_handler(event, context):
    print(f"Received event for request {context.aws_request_id}")
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"message": "Hello from Lambda!"}),
    }
'''

NODE_STARTER = '''export const handler = async (event, context) => {
  console.log(`Received event for request ${context.awsRequestId}`);
  return {
    statusCode: 200,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ message: "Hello from Lambda!" }),
  };
};
'''

# A custom runtime is its own bootstrap: this one loads <module>.sh and calls the handler's shell
# function for each event, speaking the Runtime API with curl (which it needs on PATH, as on Amazon Linux).
CUSTOM_BOOTSTRAP = '''#!/bin/bash
# The custom runtime's bootstrap: Lambda starts it, and it asks the Runtime API for events one by one.
set -euo pipefail
API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
MODULE="${_HANDLER%.*}"
FUNCTION="${_HANDLER##*.}"
source "${LAMBDA_TASK_ROOT}/${MODULE}.sh"

while true; do
  HEADERS="$(mktemp)"
  EVENT="$(curl -sS -D "$HEADERS" "$API/invocation/next")"
  REQUEST_ID="$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | cut -d: -f2 | tr -d '[:space:]')"
  rm -f "$HEADERS"
  if RESPONSE="$("$FUNCTION" "$EVENT")"; then
    curl -sS -o /dev/null -X POST "$API/invocation/$REQUEST_ID/response" -d "$RESPONSE"
  else
    curl -sS -o /dev/null -X POST "$API/invocation/$REQUEST_ID/error" \\
      -H "Lambda-Runtime-Function-Error-Type: Unhandled" \\
      -d '{"errorType": "HandlerFailed", "errorMessage": "the handler function exited with an error"}'
  fi
done
'''

CUSTOM_FUNCTION = '''# The handler: a shell function given the event (JSON) as $1; what it prints is the response.
function handler () {
  EVENT="$1"
  echo "Received event: $EVENT" 1>&2
  cat <<'JSON'
{
  "statusCode": 200,
  "headers": {"Content-Type": "application/json"},
  "body": "{\\"message\\": \\"Hello from Lambda!\\"}"
}
JSON
}
'''


@dataclass(frozen=True)
class StarterFile:
    path: str  # relative to the function's code folder
    text: str
    executable: bool = False


JAVA_STARTER = '''package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

public class Handler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        context.getLogger().log("Received event with " + event.size() + " keys");
        return Map.of("statusCode", 200, "body", "Hello from Lambda!");
    }
}
'''


def default_handler(runtime: str) -> str:
    """The handler a new function of this runtime gets, as the Lambda console names it."""
    return {"nodejs": "index.handler", "provided": "function.handler",
            "java": "example.Handler::handleRequest"}.get(runtime_family(runtime),
                                                                          "lambda_function.lambda_handler")


def handler_suffixes(runtime: str) -> tuple[str, ...]:
    """The file endings a handler's module may have in this runtime (the first is what a starter gets)."""
    return {"nodejs": (".mjs", ".js", ".cjs"), "provided": (".sh",), "java": (".java",)}.get(
        runtime_family(runtime), (".py",))


def starter_files(runtime: str, handler: str) -> list[StarterFile]:
    """The files a new function of `runtime` starts with, its handler function named as `handler` says."""
    family = runtime_family(runtime)
    if family == "java":
        return _java_starter(handler)
    module, _, function = handler.rpartition(".")
    source = f"{module}{handler_suffixes(runtime)[0]}"
    if family == "nodejs":
        return [StarterFile(source, NODE_STARTER.replace("const handler ", f"const {function} "))]
    if family == "provided":
        return [StarterFile("bootstrap", CUSTOM_BOOTSTRAP, executable=True),
                StarterFile(source, CUSTOM_FUNCTION.replace("function handler ", f"function {function} "))]
    return [StarterFile(source, PYTHON_STARTER.replace("def lambda_handler(", f"def {function}("))]


def _java_starter(handler: str) -> list[StarterFile]:
    """A RequestHandler class at the path its package names (example/Handler.java for example.Handler),
    its method renamed to the handler's when the handler is `Class::method` with another name."""
    parsed = parse_java_handler(handler) or parse_java_handler(default_handler("java21"))
    package, _, simple = parsed.class_name.rpartition(".")
    text = JAVA_STARTER.replace("package example;", f"package {package};" if package else "")
    text = text.replace("public class Handler ", f"public class {simple} ")
    if parsed.method and parsed.method != "handleRequest":
        text = (text.replace(" implements RequestHandler<Map<String, Object>, Map<String, Object>>", "")
                .replace("    @Override\n", "").replace("import com.amazonaws.services.lambda.runtime.RequestHandler;\n", "")
                .replace(" handleRequest(", f" {parsed.method}("))
    return [StarterFile(source_file_of(parsed), text)]
