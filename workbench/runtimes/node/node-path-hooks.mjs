// Module resolution hooks: an ES-module `import 'pkg'` that Node's own resolution cannot satisfy is looked up in
// NODE_PATH's folders (the layers' /opt/nodejs/node_modules, the runtime's SDK), as Lambda's Node.js runtime
// resolves them; plain node searches NODE_PATH for require() only. Runs in Node's loader thread.

import path from 'node:path';
import { pathToFileURL } from 'node:url';

const folders = (process.env.NODE_PATH ?? '').split(path.delimiter).filter(Boolean);

function isBare(specifier) {
  return !/^(\.{0,2}\/|[a-zA-Z][a-zA-Z+.-]*:)/.test(specifier);
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !isBare(specifier)) throw error;
    for (const folder of folders) {
      // A parent inside the folder's parent makes Node search exactly `folder` as its node_modules.
      const base = path.basename(folder) === 'node_modules' ? path.dirname(folder) : folder;
      try {
        return await nextResolve(specifier, { ...context, parentURL: pathToFileURL(path.join(base, 'index.mjs')).href });
      } catch (inner) {
        if (inner?.code !== 'ERR_MODULE_NOT_FOUND') throw inner;
      }
    }
    throw error;
  }
}
