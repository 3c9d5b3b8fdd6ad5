// Lambda's console: every console method writes one log event, tagged with time, request id and level, in
// TEXT or JSON format, filtered by AWS_LAMBDA_LOG_LEVEL; and the "Invoke Error"-style error lines. The event
// is a framed record on the telemetry log descriptor when Lambda gives one (a multi-line message stays one
// event), else one line on stdout with its newlines turned into carriage returns.

import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import util from 'node:util';
import { intoError, toFormatted } from './errors.mjs';

// The frame type carries the level as priority << 2 (the client's tlvMask).
const LEVELS = {
  TRACE: { name: 'TRACE', priority: 1 },
  DEBUG: { name: 'DEBUG', priority: 2 },
  INFO: { name: 'INFO', priority: 3 },
  WARN: { name: 'WARN', priority: 4 },
  ERROR: { name: 'ERROR', priority: 5 },
  FATAL: { name: 'FATAL', priority: 6 },
};
// Frame types: 0xa55a0000 | level << 2 | timestamp present (2) | text (1) or JSON (0).
const FRAME_TEXT = 0xa55a0003;
const FRAME_JSON = 0xa55a0002;
// Node 18-22 keep the request id in this global (libraries read it); it keeps the last id between invokes.
const REQUEST_ID = Symbol.for('aws.lambda.runtime.requestId');
const TENANT_ID = Symbol.for('aws.lambda.runtime.tenantId');

let scopedInvokes = false;
const invokeStore = new AsyncLocalStorage();
let jsonFormat = false;
let telemetryFd = null;

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
  // An empty tenant id is still written (the client checks for null and undefined only).
  if (tenantId !== undefined && tenantId !== null) record.tenantId = tenantId;
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

function writeFrame(level, message, date) {
  // A text record ends with its newline, a JSON one does not; newlines inside stay (the frame is the event).
  const body = Buffer.from(jsonFormat ? message : message + '\n', 'utf8');
  const frame = Buffer.alloc(16 + body.length);
  frame.writeUInt32BE(((jsonFormat ? FRAME_JSON : FRAME_TEXT) | (level.priority << 2)) >>> 0, 0);
  frame.writeInt32BE(body.length, 4);
  frame.writeBigInt64BE(BigInt(date.valueOf()) * 1000n, 8);
  body.copy(frame, 16);
  let written = 0;
  while (written < frame.length) written += fs.writeSync(telemetryFd, frame, written);
}

function write(level, args) {
  const date = new Date();
  const time = date.toISOString();
  const line = jsonFormat ? jsonLine(time, level, args) : textLine(time, level, args);
  if (telemetryFd !== null) {
    writeFrame(level, line, date);
    return;
  }
  // One log event per call: embedded newlines become carriage returns, as on Lambda.
  process.stdout.write(line.replace(/\n/g, '\r') + '\n');
}

/** Replace console's methods; levels below AWS_LAMBDA_LOG_LEVEL become no-ops. `fd`: the telemetry log
 * descriptor (_LAMBDA_TELEMETRY_LOG_FD), or null to write to stdout. */
export function patchConsole({ scoped = false, fd = null } = {}) {
  scopedInvokes = scoped;
  telemetryFd = Number.isInteger(fd) && fd >= 0 ? fd : null;
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
