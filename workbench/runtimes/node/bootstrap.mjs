// Node.js runtime client: loads the function's handler and serves Lambda's Runtime API, as Amazon's
// aws-lambda-nodejs-runtime-interface-client does (3.x for nodejs18.x-22.x, the 24.x rewrite for nodejs24.x).
// Runs inside the child process with Node 18 or later, built-in modules only; imports nothing from the workbench.

import { CallbackHandlerDeprecated, JSONStringifyError, UnhandledPromiseRejection } from './errors.mjs';
import { handlerMetadata, loadHandler } from './handler-loader.mjs';
import { Runtime, current, modernLoop } from './invoke-loop.mjs';
import { beforeExit } from './context.mjs';
import { logError, patchConsole } from './log-patch.mjs';
import { RapidClient } from './rapid-client.mjs';
import { installAwsLambdaGlobal } from './response-stream.mjs';
import * as nodeModule from 'node:module';
import { attachOnDebuggedCalls, debugFromEnvironment } from './debugger.mjs';

// Lambda's telemetry log descriptor: the console writes its framed records there, and the variable is taken
// out before the handler loads, as Amazon's client does.
const telemetryFd = process.env._LAMBDA_TELEMETRY_LOG_FD == null ? null : parseInt(process.env._LAMBDA_TELEMETRY_LOG_FD, 10);
delete process.env._LAMBDA_TELEMETRY_LOG_FD;

// ES-module imports of packages in NODE_PATH (layers, the SDK, the dependency cache), as Lambda's runtime
// resolves them; plain node searches NODE_PATH only for require(). module.register: Node 18.19 / 20.6 on.
if (typeof nodeModule.register === 'function' && process.env.NODE_PATH) {
  nodeModule.register('./node-path-hooks.mjs', import.meta.url);
}

const CALLBACK_WARNING =
  'AWS Lambda plans to remove support for callback-based function handlers starting with Node.js 24. You will ' +
  'need to update this function to use an async handler to use Node.js 24 or later. For more information and to ' +
  'provide feedback on this change, see https://github.com/aws/aws-lambda-nodejs-runtime-interface-client/issues/137. ' +
  'To disable this warning, set the AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING environment variable.';
const CALLBACK_REMOVED =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need ' +
  'to modify this function to use a supported handler signature to use Node.js 24 or later. For more information ' +
  'see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

// The runtime being emulated comes from AWS_EXECUTION_ENV, not from the node binary that happens to run it.
const major = Number(/^AWS_Lambda_nodejs(\d+)/.exec(process.env.AWS_EXECUTION_ENV ?? '')?.[1] ?? 22);
const node24 = major >= 24;

installAwsLambdaGlobal();
patchConsole({ scoped: node24, fd: telemetryFd });
const client = new RapidClient(process.env.AWS_LAMBDA_RUNTIME_API, {
  stringifyError: node24 ? () => new JSONStringifyError('Unable to stringify response body') : undefined,
});

/** Report an error nothing caught (to the invoke in progress, else as an init error), then exit with code. */
function reportAndExit(error, code) {
  const posted =
    current.requestId === undefined ? client.postInitError(error) : client.postInvocationError(error, current.requestId);
  posted.then(() => process.exit(code), () => process.exit(code));
}

process.on('uncaughtException', (error) => {
  logError('Uncaught Exception', error);
  reportAndExit(error, 129);
});
process.on('unhandledRejection', (reason, promise) => {
  const error = new UnhandledPromiseRejection(reason, promise);
  logError('Unhandled Promise Rejection', error);
  reportAndExit(error, 128);
});
attachOnDebuggedCalls(client);
debugFromEnvironment();
beforeExit.reset();
process.on('beforeExit', beforeExit.invoke);

async function init() {
  const handler = await loadHandler(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), process.env._HANDLER ?? '', {
    node24,
  });
  const metadata = handlerMetadata(handler);
  if (node24 && metadata.argsNum >= 3 && !metadata.streaming) throw new CallbackHandlerDeprecated(CALLBACK_REMOVED);
  const warn = process.env.AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING === undefined;
  if (!node24 && warn && metadata.argsNum === 3 && !metadata.isAsync && !metadata.streaming) {
    console.warn(CALLBACK_WARNING);
  }
  return { handler, metadata };
}

if (node24) {
  let loaded;
  try {
    loaded = await init();
  } catch (error) {
    logError('Init Error', error);
    await client.postInitError(error).catch(() => {});
    process.exit(129);
  }
  modernLoop(client, loaded.handler, loaded.metadata).catch((error) => reportAndExit(error, 129));
} else {
  // A loading failure is an uncaught exception of the runtime's start-up, as in Amazon's client.
  const loaded = await init().catch((error) => {
    logError('Uncaught Exception', error);
    reportAndExit(error, 129);
  });
  if (loaded) {
    new Runtime(client, loaded.handler, loaded.metadata, (error) => reportAndExit(error, 129)).scheduleIteration();
  }
}
