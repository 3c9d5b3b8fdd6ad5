// The awslambda global (streamifyResponse, HttpResponseStream) and the response stream of a streaming handler.
//
// As Lambda's runtime client does (ResponseStream.js): the stream is one POST to
// /runtime/invocation/{id}/response with `Lambda-Runtime-Function-Response-Mode: streaming`, a chunked body
// sent as the handler writes, and a failure reported in the trailers `Lambda-Runtime-Function-Error-Type`
// and `Lambda-Runtime-Function-Error-Body` (base64 of the error's JSON). HTTP chunks need not map one to one
// to the handler's writes.

import http from 'node:http';
import { HANDLER_HIGHWATERMARK, HANDLER_STREAMING, STREAM_RESPONSE } from './handler-loader.mjs';
import { InvalidStreamingOperation, toRapidResponse } from './errors.mjs';

const HTTP_INTEGRATION_TYPE = 'application/vnd.awslambda.http-integration-response';
const RESPONSE_MODE = 'Lambda-Runtime-Function-Response-Mode';
const ERROR_TYPE_TRAILER = 'Lambda-Runtime-Function-Error-Type';
const ERROR_BODY_TRAILER = 'Lambda-Runtime-Function-Error-Body';
// An HTTP integration response is a JSON prelude, eight NUL bytes, then the body.
const PRELUDE_DELIMITER_LENGTH = 8;

// What a handler may use of the stream: the Writable's methods and properties, and setContentType.
const METHODS = ['cork', 'destroy', 'end', 'uncork', 'write', 'addListener', 'emit', 'eventNames',
  'getMaxListeners', 'listenerCount', 'listeners', 'off', 'on', 'once', 'prependListener',
  'prependOnceListener', 'rawListeners', 'removeAllListeners', 'removeListener', 'setMaxListeners',
  'setContentType'];
const READ_WRITE = ['destroyed', 'writable', '_onBeforeFirstWrite'];
const READ_ONLY = ['writableFinished', 'writableObjectMode', 'writableBuffer', 'writableEnded',
  'writableNeedDrain', 'writableHighWaterMark', 'writableCorked', 'writableLength'];

function writableView(inner) {
  const view = Object.fromEntries(METHODS.map((name) => [name, inner[name].bind(inner)]));
  for (const name of READ_WRITE) {
    Object.defineProperty(view, name, { get: () => inner[name], set: (value) => (inner[name] = value) });
  }
  for (const name of READ_ONLY) Object.defineProperty(view, name, { get: () => inner[name] });
  return view;
}

/**
 * Opens the streamed response of invocation `requestId` on the client's connection. Returns {stream} for
 * the handler, fail(error) to end it with the error in the trailers, and done: settles once the Runtime
 * API has answered the POST (that is, once the stream has ended).
 */
export function openResponseStream(client, requestId, options = {}) {
  let firstWriteDone = false;
  let settle;
  const done = new Promise((resolve, reject) => (settle = { resolve, reject }));
  const request = http.request({
    ...client.requestOptions('POST', `/invocation/${encodeURIComponent(requestId)}/response`, {
      [RESPONSE_MODE]: 'streaming',
      // Chunked even when nothing is written, so that an error reaches the trailers.
      'Transfer-Encoding': 'chunked',
      Trailer: `${ERROR_TYPE_TRAILER}, ${ERROR_BODY_TRAILER}`,
      'Content-Type': 'application/octet-stream',
    }),
    highWaterMark: options.highWaterMark,
  }, (response) => {
    response.on('data', () => {});
    response.on('end', () => settle.resolve(response.statusCode));
    response.on('aborted', (error) => settle.reject(error));
  });
  request.on('error', (error) => settle.reject(error));

  request.setContentType = (type) => {
    if (firstWriteDone) throw new InvalidStreamingOperation('Cannot set content-type, too late.');
    request.setHeader('Content-Type', type);
  };
  const write = request.write.bind(request);
  request.write = (chunk, encoding, callback) => {
    const isBytes = typeof chunk === 'string' || Buffer.isBuffer(chunk) || chunk?.constructor === Uint8Array;
    if (!firstWriteDone) {
      firstWriteDone = true;
      if (typeof request._onBeforeFirstWrite === 'function') request._onBeforeFirstWrite((bytes) => write(bytes));
    }
    return write(isBytes ? chunk : JSON.stringify(chunk), encoding, callback);
  };

  const fail = (error) => {
    if (request.writableEnded) return;
    const body = toRapidResponse(error);
    request.addTrailers({
      [ERROR_TYPE_TRAILER]: body.errorType,
      [ERROR_BODY_TRAILER]: Buffer.from(JSON.stringify(body)).toString('base64'),
    });
    request.end();
  };
  return { stream: writableView(request), fail, done };
}

class HttpResponseStream {
  /** Marks the stream as an HTTP integration response: the prelude and its delimiter precede the body. */
  static from(underlyingStream, prelude) {
    underlyingStream.setContentType(HTTP_INTEGRATION_TYPE);
    // No NUL may occur in the prelude; JSON.stringify escapes it.
    const metadata = JSON.stringify(prelude);
    underlyingStream._onBeforeFirstWrite = (write) => {
      write(metadata);
      write(new Uint8Array(PRELUDE_DELIMITER_LENGTH));
    };
    return underlyingStream;
  }
}

/** Installs globalThis.awslambda unless AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA is 1 or true. */
export function installAwsLambdaGlobal() {
  const off = process.env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA;
  if (off === '1' || off === 'true') return;
  globalThis.awslambda = {
    streamifyResponse(handler, options) {
      handler[HANDLER_STREAMING] = STREAM_RESPONSE;
      if (typeof options?.highWaterMark === 'number') handler[HANDLER_HIGHWATERMARK] = parseInt(options.highWaterMark);
      return handler;
    },
    HttpResponseStream,
  };
}
