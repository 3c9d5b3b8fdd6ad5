// Error classes the Node.js runtime reports under Runtime.* names, and the two ways an error is written:
// the body posted to the Runtime API ({errorType, errorMessage, trace}) and the logged form (stack as an array).

import util from 'node:util';

function runtimeError(className, base = Error) {
  // A named class so JSON logs show the class name, while errorType shows "Runtime.<Name>".
  const cls = { [className]: class extends base {} }[className];
  cls.prototype.name = `Runtime.${className}`;
  return cls;
}

export const ImportModuleError = runtimeError('ImportModuleError');
export const HandlerNotFound = runtimeError('HandlerNotFound');
export const MalformedHandlerName = runtimeError('MalformedHandlerName');
export const UserCodeSyntaxError = runtimeError('UserCodeSyntaxError');
export const MalformedStreamingHandler = runtimeError('MalformedStreamingHandler');
export const InvalidStreamingOperation = runtimeError('InvalidStreamingOperation');
export const CallbackHandlerDeprecated = runtimeError('CallbackHandlerDeprecated');
export const JSONStringifyError = runtimeError('JSONStringifyError');

export class UnhandledPromiseRejection extends Error {
  constructor(reason, promise) {
    super(reason);
    this.reason = reason;
    this.promise = promise;
  }
}
UnhandledPromiseRejection.prototype.name = 'Runtime.UnhandledPromiseRejection';

export class NodeJsExit extends Error {
  constructor() {
    super(
      'The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by ' +
        'a Promise that was never settled. For more information, see ' +
        'https://nodejs.org/docs/latest/api/process.html#exit-codes',
    );
  }
}
NodeJsExit.prototype.name = 'Runtime.NodeJsExit';

function looksLikeError(value) {
  return Boolean(
    value && typeof value.name === 'string' && value.name && typeof value.message === 'string' &&
      value.message && typeof value.stack === 'string' && value.stack,
  );
}

export function intoError(value) {
  return value instanceof Error ? value : new Error(value);
}

/** The body posted to /error and /init/error; non-Error values keep their typeof as errorType. */
export function toRapidResponse(error) {
  try {
    if (util.types.isNativeError(error) || looksLikeError(error)) {
      return { errorType: error.name, errorMessage: error.message, trace: error.stack.split('\n') };
    }
    return { errorType: typeof error, errorMessage: error.toString(), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its ' +
        'message, name, and stack',
    };
  }
}

function withEnumerableProperties(value) {
  if (!(value instanceof Error)) return value;
  // name, message, code and stack live on the prototype chain and would not show in JSON otherwise.
  const shown = Object.assign({ errorType: value.name, errorMessage: value.message, code: value.code }, value);
  if (typeof value.stack === 'string') shown.stack = value.stack.split('\n');
  return shown;
}

/** The text-log form: a leading TAB, then the error as JSON with its stack as an array. */
export function toFormatted(error) {
  try {
    return '\t' + JSON.stringify(error, (_key, value) => withEnumerableProperties(value));
  } catch {
    return '\t' + JSON.stringify(toRapidResponse(error));
  }
}
