// Lambda's console: every console method writes one line to stdout, tagged with time, request id and level,
// in TEXT or JSON format, filtered by AWS_LAMBDA_LOG_LEVEL; and the "Invoke Error"-style error lines.

import { AsyncLocalStorage } from 'node:async_hooks';
import util from 'node:util';
import { intoError, toFormatted } from './errors.mjs';

const LEVELS = {
  TRACE: { name: 'TRACE', priority: 1 },
  DEBUG: { name: 'DEBUG', priority: 2 },
  INFO: { name: 'INFO', priority: 3 },
  WARN: { name: 'WARN', priority: 4 },
  ERROR: { name: 'ERROR', priority: 5 },
  FATAL: { name: 'FATAL', priority: 6 },
};
// Node 18-22 keep the request id in this global (libraries read it); it keeps the last id between invokes.
const REQUEST_ID = Symbol.for('aws.lambda.runtime.requestId');
const TENANT_ID = Symbol.for('aws.lambda.runtime.tenantId');

let scopedInvokes = false;
const invokeStore = new AsyncLocalStorage();
let jsonFormat = false;

/** Node 24 scopes the request id to the invoke's async context: "-" anywhere else. */
export function runInInvoke(requestId, tenantId, fn) {
  return invokeStore.run({ requestId, tenantId }, fn);
}

export function setCurrentRequest(requestId, tenantId) {
  globalThis[REQUEST_ID] = requestId;
  globalThis[TENANT_ID] = tenantId;
}

function currentRequest() {
  if (scopedInvokes) {
    const store = invokeStore.getStore();
    return { requestId: store?.requestId ?? '-', tenantId: store?.tenantId };
  }
  return { requestId: globalThis[REQUEST_ID], tenantId: globalThis[TENANT_ID] };
}

function errorFields(error) {
  return {
    errorType: error?.constructor?.name ?? 'UnknownError',
    errorMessage: error.message,
    stackTrace: typeof error.stack === 'string' ? error.stack.split('\n') : error.stack,
  };
}

function jsonReplacer(_key, value) {
  return value instanceof Error ? Object.assign(errorFields(value), value) : value;
}

function jsonLine(time, level, args) {
  const { requestId, tenantId } = currentRequest();
  const record = { timestamp: time, level: level.name, requestId };
  if (tenantId) record.tenantId = tenantId;
  if (args.length === 1) {
    // A single argument stays a JSON value: objects are not flattened into a string.
    record.message = args[0];
    try {
      return JSON.stringify(record, jsonReplacer);
    } catch {
      record.message = util.format(record.message);
      return JSON.stringify(record);
    }
  }
  record.message = util.format(...args);
  // Node 24 looks for an Error among the parameters only, Node 18-22 among all arguments.
  const error = args.slice(scopedInvokes ? 1 : 0).find((arg) => arg instanceof Error);
  if (error) {
    const fields = errorFields(error);
    if (!Array.isArray(fields.stackTrace)) fields.stackTrace = [];
    Object.assign(record, fields);
  }
  return JSON.stringify(record);
}

function textLine(time, level, args) {
  return `${time}\t${currentRequest().requestId}\t${level.name}\t${util.format(...args)}`;
}

function write(level, args) {
  const time = new Date().toISOString();
  const line = jsonFormat ? jsonLine(time, level, args) : textLine(time, level, args);
  // One log event per call: embedded newlines become carriage returns, as on Lambda.
  process.stdout.write(line.replace(/\n/g, '\r') + '\n');
}

/** Replace console's methods; levels below AWS_LAMBDA_LOG_LEVEL become no-ops. */
export function patchConsole({ scoped = false } = {}) {
  scopedInvokes = scoped;
  jsonFormat = process.env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON';
  const minimum = LEVELS[process.env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase()] ?? LEVELS.TRACE;
  const method = (level) =>
    level.priority >= minimum.priority ? (message, ...params) => write(level, [message, ...params]) : () => {};
  console.trace = method(LEVELS.TRACE);
  console.debug = method(LEVELS.DEBUG);
  console.info = method(LEVELS.INFO);
  console.log = console.info;
  console.warn = method(LEVELS.WARN);
  console.error = method(LEVELS.ERROR);
  // FATAL is never filtered on Node 18-22.
  console.fatal = scoped ? method(LEVELS.FATAL) : (message, ...params) => write(LEVELS.FATAL, [message, ...params]);
}

/** "Invoke Error \t{...}" in TEXT format; the error itself as the message in JSON format. */
export function logError(label, error) {
  if (jsonFormat) console.error(intoError(error));
  else console.error(label, toFormatted(intoError(error)));
}
