// Module resolution hook (node:module register): shacl-engine's import of the Comunica
// engine resolves to shared-query-engine.mjs; every other import resolves as usual.
const SHIM = new URL('./shared-query-engine.mjs', import.meta.url).href

export async function resolve (specifier, context, nextResolve) {
  if (specifier === '@comunica/query-sparql-rdfjs-lite' && /\/node_modules\/shacl-engine\//.test(context.parentURL || '')) {
    return { url: SHIM, shortCircuit: true }
  }
  return nextResolve(specifier, context)
}
