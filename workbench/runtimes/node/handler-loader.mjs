// Finds and loads the function's handler from _HANDLER ("path/module.export"), trying the files and module
// systems in the order Lambda's Node.js runtime does, and turns loading failures into Runtime.* errors.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  HandlerNotFound,
  ImportModuleError,
  MalformedHandlerName,
  MalformedStreamingHandler,
  UserCodeSyntaxError,
} from './errors.mjs';

// Resolution failures name the runtime's entry point in their require stack, as /var/runtime/index.mjs on Lambda.
const require = createRequire(new URL('./bootstrap.mjs', import.meta.url));
export const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
export const HANDLER_HIGHWATERMARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
export const STREAM_RESPONSE = 'response';

function requireIfExists(file) {
  return fs.existsSync(file) ? require(file) : undefined;
}

async function importIfExists(file) {
  return fs.existsSync(file) ? import(pathToFileURL(file).href) : undefined;
}

/** Whether the nearest package.json above folder says "type": "module" (a node_modules folder ends the search). */
function nearestPackageIsModule(folder) {
  if (folder.endsWith('/node_modules')) return false;
  const manifest = path.join(folder, 'package.json');
  if (fs.existsSync(manifest)) {
    try {
      const parsed = JSON.parse(fs.readFileSync(manifest));
      if (parsed) return parsed.type === 'module';
    } catch (error) {
      console.warn(`${manifest} cannot be read, it will be ignored for ES module detection purposes.`, error);
      return false;
    }
  }
  if (folder === '/') return false;
  return nearestPackageIsModule(path.resolve(folder, '..'));
}

async function loadModule(appRoot, moduleRoot, moduleName) {
  const file = path.resolve(appRoot, moduleRoot, moduleName);
  // An extensionless file is CommonJS; .js is CommonJS unless the nearest package.json says module.
  const extensionless = requireIfExists(file);
  if (extensionless) return extensionless;
  const isModule = nearestPackageIsModule(path.dirname(file));
  if (!isModule) {
    const loaded = requireIfExists(file + '.js');
    if (loaded) return loaded;
  }
  const loaded =
    (isModule && (await importIfExists(file + '.js'))) ||
    (await importIfExists(file + '.mjs')) ||
    requireIfExists(file + '.cjs');
  if (loaded) return loaded;
  // Last, Node's own resolution from the task root (a package folder, node_modules).
  return require(require.resolve(moduleName, { paths: [appRoot, moduleRoot] }));
}

function resolveExport(app, exportPath) {
  return exportPath.split('.').reduce((value, key) => value && value[key], app);
}

/**
 * The handler function for fullHandler, or a Runtime.* error: MalformedHandlerName, ImportModuleError,
 * UserCodeSyntaxError, HandlerNotFound. Node 24 also looks under the module's default export.
 */
export async function loadHandler(appRoot, fullHandler, { node24 = false } = {}) {
  if (fullHandler.includes('..')) {
    throw new MalformedHandlerName(
      `'${fullHandler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const handlerString = path.basename(fullHandler);
  const moduleRoot = fullHandler.substring(0, fullHandler.indexOf(handlerString));
  const match = handlerString.match(/^([^.]*)\.(.*)$/);
  if (!match) throw new MalformedHandlerName('Bad handler');
  const [, moduleName, exportPath] = match;

  let app;
  try {
    app = await loadModule(appRoot, moduleRoot, moduleName);
  } catch (error) {
    if (error instanceof SyntaxError) {
      const wrapped = new UserCodeSyntaxError(error);
      if (node24) wrapped.stack = error.stack;
      throw wrapped;
    }
    if (error?.code === 'MODULE_NOT_FOUND') throw new ImportModuleError(error);
    throw error;
  }
  let handler = resolveExport(app, exportPath);
  if (!handler && node24 && app?.default) handler = resolveExport(app.default, exportPath);
  if (!handler) throw new HandlerNotFound(`${fullHandler} is undefined or not exported`);
  if (typeof handler !== 'function') throw new HandlerNotFound(`${fullHandler} is not a function`);
  return handler;
}

function streamingMode(handler) {
  const mark = handler[HANDLER_STREAMING];
  if (mark === undefined || mark === null || mark === false) return false;
  if (mark === STREAM_RESPONSE) return STREAM_RESPONSE;
  throw new MalformedStreamingHandler('Only response streaming is supported.');
}

export function handlerMetadata(handler) {
  const highWaterMark = parseInt(handler[HANDLER_HIGHWATERMARK]);
  return {
    streaming: streamingMode(handler),
    highWaterMark: isNaN(highWaterMark) ? undefined : highWaterMark,
    isAsync: handler.constructor?.name === 'AsyncFunction',
    argsNum: handler.length,
  };
}
