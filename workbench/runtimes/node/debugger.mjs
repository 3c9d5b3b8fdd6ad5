// The runtime's side of debugging: opens Node's inspector on 127.0.0.1:port and waits for a debugger to
// attach before user code runs (the workbench's, over the Chrome DevTools Protocol, or an IDE's).
// Asked for by _LAMBDA_WORKBENCH_DEBUG (before init: a breakpoint in init code stops) or by a call's
// Lambda-Runtime-Workbench-Debug header (a warm environment attaches). Both carry {"port": P, ...}.

import * as inspector from 'node:inspector';

let opened = false;

function specOf(text) {
  try {
    const spec = JSON.parse(text);
    return Number.isInteger(spec?.port) ? spec : null;
  } catch {
    return null;
  }
}

export function attachDebugger(text) {
  const spec = text ? specOf(text) : null;
  if (spec === null) return;
  try {
    if (!opened) {
      inspector.open(spec.port, '127.0.0.1', false);
      opened = true;
    }
    // Blocks until a debugger sends Runtime.runIfWaitingForDebugger.
    if (spec.wait !== false) inspector.waitForDebugger();
  } catch (error) {
    process.stderr.write(`[workbench] The debugger could not start: ${error}\n`);
  }
}

export function debugFromEnvironment() {
  const text = process.env._LAMBDA_WORKBENCH_DEBUG;
  delete process.env._LAMBDA_WORKBENCH_DEBUG;
  attachDebugger(text);
}

export function attachOnDebuggedCalls(client) {
  const nextInvocation = client.nextInvocation.bind(client);
  client.nextInvocation = async () => {
    const invocation = await nextInvocation();
    const header = invocation.headers['lambda-runtime-workbench-debug'];
    if (header) attachDebugger(header);
    return invocation;
  };
}
