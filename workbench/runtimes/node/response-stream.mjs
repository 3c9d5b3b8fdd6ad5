// The awslambda global (streamifyResponse, HttpResponseStream) and a response stream for streaming handlers.
// The stream is buffered: the whole body is posted when the handler ends, which is what the Invoke API returns.

import { Writable } from 'node:stream';
import { HANDLER_HIGHWATERMARK, HANDLER_STREAMING, STREAM_RESPONSE } from './handler-loader.mjs';
import { InvalidStreamingOperation } from './errors.mjs';

const HTTP_INTEGRATION_TYPE = 'application/vnd.awslambda.http-integration-response';
// An HTTP integration response is a JSON prelude, eight NUL bytes, then the body.
const PRELUDE_DELIMITER = Buffer.alloc(8);

/** A Writable that collects what the handler writes; body() and contentType() once it has finished. */
export function createResponseStream(options = {}) {
  const chunks = [];
  let contentType = 'application/octet-stream';
  const stream = new Writable({
    highWaterMark: options.highWaterMark,
    write(chunk, encoding, callback) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding));
      callback();
    },
  });
  stream.setContentType = (type) => {
    if (chunks.length) throw new InvalidStreamingOperation('Cannot set content-type, too late.');
    contentType = type;
  };
  // end() finishes the stream on a later turn; the handler having called it is what counts.
  const finished = async () => {
    if (stream.writableEnded && !stream.writableFinished) await new Promise((resolve) => stream.once('finish', resolve));
    return stream.writableFinished;
  };
  return { stream, finished, body: () => Buffer.concat(chunks), contentType: () => contentType };
}

class HttpResponseStream {
  static from(underlyingStream, prelude) {
    underlyingStream.setContentType(HTTP_INTEGRATION_TYPE);
    underlyingStream.write(JSON.stringify(prelude));
    underlyingStream.write(PRELUDE_DELIMITER);
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
