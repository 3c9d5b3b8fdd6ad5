// The invoke loops: Node 18-22 semantics (callbacks, callbackWaitsForEmptyEventLoop, succeed/fail/done, the
// empty-event-loop rules) and Node 24 semantics (the handler's awaited return value is the response).

import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  attachInvokeData,
  beforeExit,
  buildCallbackContext,
  buildInvokeContext,
  requestIdOf,
  tenantIdOf,
} from './context.mjs';
import { NodeJsExit } from './errors.mjs';
import { logError, runInInvoke, setCurrentRequest } from './log-patch.mjs';
import { openResponseStream } from './response-stream.mjs';

const isPromise = (value) => Boolean(value && typeof value.then === 'function');

/** The state the process-level error listeners need: which invoke an uncaught error belongs to. */
export const current = { requestId: undefined };

/** A Runtime API request that fails means the environment is gone: nothing is left to report to. */
export function exitOnClientFailure(error) {
  process.stderr.write(`Runtime API request failed: ${error}\n`);
  process.exit(1);
}

export class Runtime {
  constructor(client, handler, metadata, onTopLevelError) {
    this.client = client;
    this.handler = handler;
    this.metadata = metadata;
    this.onTopLevelError = onTopLevelError;
  }

  scheduleIteration() {
    setImmediate(() => {
      const once = this.metadata.streaming ? this.handleOnceStreaming() : this.handleOnceNonStreaming();
      once.catch((error) => {
        console.log(`Unexpected Top Level Error: ${error.toString()}`);
        this.onTopLevelError(error);
      });
    });
  }

  afterPost(posted) {
    posted.then(() => this.scheduleIteration(), exitOnClientFailure);
  }

  async next() {
    const { body, headers } = await this.client.nextInvocation();
    const requestId = requestIdOf(headers);
    current.requestId = requestId;
    setCurrentRequest(requestId, tenantIdOf(headers));
    return { body, headers, requestId };
  }

  async handleOnceNonStreaming() {
    const { body, headers, requestId } = await this.next();
    const [callback, callbackContext, markCompleted] = buildCallbackContext(this.client, requestId, (posted) =>
      this.afterPost(posted),
    );
    try {
      this.setDefaultExitListener(requestId, markCompleted);
      const result = this.handler(JSON.parse(body), attachInvokeData(callbackContext, headers), callback);
      // A promise settles the invoke at once: an async handler does not wait for the event loop.
      if (isPromise(result)) result.then(callbackContext.succeed, callbackContext.fail).catch(callbackContext.fail);
    } catch (error) {
      callback(error);
    }
  }

  /** Neither callback nor promise settled and the loop is empty: an async handler failed, a sync one returns null. */
  setDefaultExitListener(requestId, markCompleted) {
    beforeExit.set(() => {
      markCompleted();
      if (this.metadata.isAsync) {
        const error = new NodeJsExit();
        logError('Invoke Error', error);
        this.afterPost(this.client.postInvocationError(error, requestId));
      } else {
        this.afterPost(this.client.postInvocationResponse(null, requestId));
      }
    });
  }

  /** As the runtime client's handleOnceStreaming: the stream is posted as the handler writes it; an error
   * (thrown, rejected, or the stream left open) ends it with the error in the trailers. */
  async handleOnceStreaming() {
    const { body, headers, requestId } = await this.next();
    const response = openResponseStream(this.client, requestId, { highWaterMark: this.metadata.highWaterMark });
    const context = streamingContext(headers);
    const next = () => {
      beforeExit.reset();
      if (context.callbackWaitsForEmptyEventLoop) beforeExit.set(() => setImmediate(() => this.scheduleIteration()));
      else this.scheduleIteration();
    };
    const fail = (error) => {
      logError('Invoke Error', error);
      response.fail(error);
      response.done.then(next, exitOnClientFailure);
    };
    beforeExit.set(() => this.scheduleIteration());
    try {
      const pending = this.handler(JSON.parse(body), response.stream, context);
      if (!isPromise(pending)) return fail('Streaming does not support non-async handlers.');
      if ((await pending) !== undefined) console.warn('Streaming handlers ignore return values.');
      // The Runtime API answers once the stream has ended: a handler that never ends it runs to its timeout.
      await response.done;
      if (!response.stream.writableFinished) return fail('Response stream is not finished.');
      next();
    } catch (error) {
      fail(error);
    }
  }
}

/** The context a streaming handler gets: the invoke's data and callbackWaitsForEmptyEventLoop (default true). */
function streamingContext(headers) {
  return attachInvokeData({ callbackWaitsForEmptyEventLoop: true }, headers);
}

/** Node 24: await the handler, post its value; errors (thrown, rejected, unserialisable) post as errors. */
export async function modernLoop(client, handler, metadata) {
  for (;;) {
    const { body, headers } = await client.nextInvocation();
    const requestId = requestIdOf(headers);
    current.requestId = requestId;
    await runInInvoke(requestId, tenantIdOf(headers), async () => {
      let posted;
      try {
        const context = buildInvokeContext(headers);
        const event = JSON.parse(body);
        if (metadata.streaming) {
          const response = openResponseStream(client, requestId, { highWaterMark: metadata.highWaterMark });
          try {
            if ((await handler(event, response.stream, context)) !== undefined) {
              console.warn('Streaming handlers ignore return values.');
            }
          } catch (error) {
            logError('Invoke Error', error);
            response.fail(error);
          }
          posted = () => response.done;
        } else {
          const result = await handler(event, context);
          await nextTurn();
          const serialized = client.serialize(result);
          posted = () => client.postRawResponse(requestId, Buffer.from(serialized), 'application/json');
        }
      } catch (error) {
        await nextTurn();
        logError('Invoke Error', error);
        posted = () => client.postInvocationError(error, requestId);
      }
      await posted().catch(exitOnClientFailure);
    });
  }
}
