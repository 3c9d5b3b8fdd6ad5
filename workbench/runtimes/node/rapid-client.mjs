// Client for Lambda's Runtime API (2018-06-01) over one keep-alive HTTP connection: wait for the next event,
// post a response, an invocation error or an init error.

import http from 'node:http';
import { toRapidResponse } from './errors.mjs';

const PREFIX = '/2018-06-01/runtime';
const ERROR_TYPE_HEADER = 'Lambda-Runtime-Function-Error-Type';

export class RapidClient {
  constructor(address, { stringifyError } = {}) {
    const [hostname, port] = address.split(':');
    this.hostname = hostname;
    this.port = parseInt(port, 10);
    // A free keep-alive socket is unref'd by the agent, so it never keeps the event loop alive on its own:
    // callbackWaitsForEmptyEventLoop depends on that.
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    this.stringifyError = stringifyError ?? (() => new Error('Unable to stringify response body'));
  }

  /** The next event: resolves with {body, headers}. No timeout: the wait may be as long as Lambda likes. */
  nextInvocation() {
    return new Promise((resolve, reject) => {
      const request = http.request(this.requestOptions('GET', '/invocation/next'), (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode !== 200) {
            reject(new Error(`Runtime API /next answered ${response.statusCode}`));
            return;
          }
          resolve({ body: Buffer.concat(chunks).toString('utf8'), headers: response.headers });
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end();
    });
  }

  /** Serialises at once (throwing if it cannot), then posts; resolves when Lambda has answered. */
  postInvocationResponse(result, requestId) {
    return this._post(`/invocation/${encodeURIComponent(requestId)}/response`, this.serialize(result));
  }

  /** Posts raw bytes as the response. */
  postRawResponse(requestId, body, contentType) {
    return this._post(`/invocation/${encodeURIComponent(requestId)}/response`, body, { 'Content-Type': contentType });
  }

  postInvocationError(error, requestId) {
    return this._post(`/invocation/${encodeURIComponent(requestId)}/error`, this.serialize(toRapidResponse(error)));
  }

  postInitError(error) {
    const body = toRapidResponse(error);
    return this._post('/init/error', this.serialize(body), { [ERROR_TYPE_HEADER]: body.errorType });
  }

  serialize(value) {
    let text;
    try {
      text = JSON.stringify(value === undefined ? null : value);
    } catch {
      throw this.stringifyError();
    }
    // Functions and symbols have no JSON form; the caller sees null, as with undefined.
    return text === undefined ? 'null' : text;
  }

  requestOptions(method, path, headers = {}) {
    return { hostname: this.hostname, port: this.port, path: PREFIX + path, method, headers, agent: this.agent };
  }

  _post(path, body, headers = {}) {
    const data = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    const allHeaders = { 'Content-Type': 'application/json', 'Content-Length': data.length, ...headers };
    return new Promise((resolve, reject) => {
      const request = http.request(this.requestOptions('POST', path, allHeaders), (response) => {
        response.on('data', () => {});
        response.on('end', () => resolve(response.statusCode));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(data);
    });
  }
}
