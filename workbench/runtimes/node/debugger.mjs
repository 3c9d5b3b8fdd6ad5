// The runtime's side of debugging: opens Node's inspector on 127.0.0.1:port and waits for a debugger to
// attach before user code runs (the workbench's, over the Chrome DevTools Protocol, or an IDE's).
// Asked for by _LAMBDA_WORKBENCH_DEBUG (before init: a breakpoint in init code stops) or by a call's
// Lambda-Runtime-Workbench-Debug header (a warm environment attaches). Both carry {"port": P, ...}.
// A debugged call's getRemainingTimeInMillis() reads the workbench's clock file ("clock" in the header), so
// the time spent stopped does not count, as the workbench enforces the timeout.

import { readFileSync } from 'node:fs';
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

/**
 * getRemainingTimeInMillis() for a call: from Lambda's deadline header, or, in a debugged call, from the
 * workbench's clock file: "D <epoch ms>" while running (the deadline moved on by the time spent stopped),
 * "P <ms>" while stopped (the time left, which does not shrink while stopped).
 */
export function remainingTime(headers, deadline) {
  const header = headers['lambda-runtime-workbench-debug'];
  const clock = header ? specOf(header)?.clock : null;
  if (!clock) return () => deadline - Date.now();
  return () => {
    try {
      const [kind, value] = readFileSync(clock, 'ascii').trim().split(/\s+/);
      const number = parseInt(value, 10);
      if (kind === 'P' && Number.isFinite(number)) return Math.max(number, 0);
      if (kind === 'D' && Number.isFinite(number)) return Math.max(number - Date.now(), 0);
    } catch {
      // No clock file: count from Lambda's header, as an undebugged call does.
    }
    return Math.max(deadline - Date.now(), 0);
  };
}
