// The context object a handler receives: invoke data from the /next headers and the environment, plus, on
// Node 18-22, callbackWaitsForEmptyEventLoop and succeed/fail/done with Lambda's only-the-first-call-counts rule.

import { remainingTime } from './debugger.mjs';
import { logError } from './log-patch.mjs';

const HEADER = {
  clientContext: 'lambda-runtime-client-context',
  cognitoIdentity: 'lambda-runtime-cognito-identity',
  arn: 'lambda-runtime-invoked-function-arn',
  requestId: 'lambda-runtime-aws-request-id',
  deadline: 'lambda-runtime-deadline-ms',
  trace: 'lambda-runtime-trace-id',
  tenantId: 'lambda-runtime-aws-tenant-id',
};

let exitListener = () => {};
/** The one function run on 'beforeExit', i.e. when the event loop has emptied. */
export const beforeExit = {
  invoke: () => exitListener(),
  set: (listener) => (exitListener = listener),
  reset: () => (exitListener = () => {}),
};

function parseJsonHeader(value, name, node24) {
  if (value === undefined || (node24 && !value)) return undefined;
  try {
    return JSON.parse(value);
  } catch (error) {
    if (node24) {
      const failure = new Error(`Failed to parse ${HEADER[name]} as JSON: ${error.message}`);
      failure.name = 'Runtime.PlatformError';
      throw failure;
    }
    throw new Error(`Cannot parse ${name === 'cognitoIdentity' ? 'CognitoIdentity' : 'ClientContext'} as json: ${error}`);
  }
}

/** The runtime forwards the trace header to the X-Ray SDK through this variable, and clears it when absent. */
export function forwardTraceId(headers) {
  const trace = headers[HEADER.trace];
  if (trace) process.env._X_AMZN_TRACE_ID = trace;
  else delete process.env._X_AMZN_TRACE_ID;
}

export function requestIdOf(headers) {
  const id = headers[HEADER.requestId];
  if (!id) throw new Error('invocation id is missing or invalid');
  return id;
}

export function tenantIdOf(headers) {
  return headers[HEADER.tenantId];
}

function environmentData() {
  const env = process.env;
  return {
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
  };
}

/** Node 18-22: the callback context with invoke and environment data attached (may throw on bad headers). */
export function attachInvokeData(callbackContext, headers) {
  forwardTraceId(headers);
  const deadline = headers[HEADER.deadline];
  return Object.assign(callbackContext, environmentData(), {
    clientContext: parseJsonHeader(headers[HEADER.clientContext], 'clientContext', false),
    identity: parseJsonHeader(headers[HEADER.cognitoIdentity], 'cognitoIdentity', false),
    invokedFunctionArn: headers[HEADER.arn],
    awsRequestId: headers[HEADER.requestId],
    tenantId: headers[HEADER.tenantId],
    getRemainingTimeInMillis: remainingTime(headers, deadline),
  });
}

/** Node 24: data fields only (plus xRayTraceId); no callback members. */
export function buildInvokeContext(headers) {
  const deadline = parseInt(headers[HEADER.deadline], 10);
  const env = process.env;
  const context = {
    clientContext: parseJsonHeader(headers[HEADER.clientContext], 'clientContext', true),
    identity: parseJsonHeader(headers[HEADER.cognitoIdentity], 'cognitoIdentity', true),
    invokedFunctionArn: headers[HEADER.arn],
    awsRequestId: headers[HEADER.requestId],
    tenantId: headers[HEADER.tenantId],
    xRayTraceId: headers[HEADER.trace],
    getRemainingTimeInMillis: remainingTime(headers, deadline),
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
  };
  forwardTraceId(headers);
  return context;
}

/**
 * Node 18-22: [callback, callbackContext, markCompleted] for one invoke. A callback with a result waits for
 * the event loop to empty unless callbackWaitsForEmptyEventLoop is false; errors and succeed/fail/done post
 * at once. onPosted runs after the post, with the post's promise (the next invoke is scheduled from it).
 */
export function buildCallbackContext(client, requestId, onPosted) {
  const postError = (error) => {
    logError('Invoke Error', error);
    onPosted(client.postInvocationError(error, requestId));
  };
  let completed = false;
  const complete = (result) => {
    if (completed) {
      console.error(
        'Invocation has already been reported as done. Cannot call complete more than once per invocation.',
      );
      return;
    }
    completed = true;
    onPosted(client.postInvocationResponse(result, requestId));
  };

  let waitForEmptyEventLoop = true;
  const callback = (error, result) => {
    beforeExit.reset();
    if (error !== undefined && error !== null) {
      postError(error);
    } else if (!waitForEmptyEventLoop) {
      complete(result);
    } else {
      beforeExit.set(() => setImmediate(() => complete(result)));
    }
  };
  const done = (error, result) => {
    beforeExit.reset();
    if (error !== undefined && error !== null) postError(error);
    else complete(result);
  };
  const succeed = (result) => done(null, result);
  const fail = (error) => (error === undefined || error === null ? done('handled') : done(error, null));

  // Only the first of callback/succeed/fail/done counts; a call that throws does not count.
  let finished = false;
  const firstCallOnly = (fn) =>
    function (...args) {
      if (!finished) {
        fn(...args);
        finished = true;
      }
    };
  const callbackContext = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value) {
      waitForEmptyEventLoop = value;
    },
    succeed: firstCallOnly(succeed),
    fail: firstCallOnly(fail),
    done: firstCallOnly(done),
  };
  return [firstCallOnly(callback), callbackContext, () => (completed = true)];
}
