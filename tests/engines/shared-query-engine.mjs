// One Comunica engine for all of shacl-engine's queries (loaded in place of
// @comunica/query-sparql-rdfjs-lite for shacl-engine only, by run-shacl-engine.mjs).
//
// shacl-engine makes a new QueryEngine for every query it runs, once per focus node and
// constraint; building one (its actors and SPARQL parser) costs far more than the query.
// A QueryEngine holds no state between queries (each call gets its own sources and
// bindings), so sharing one changes how long validation takes, not what it finds.
import { QueryEngine as ComunicaQueryEngine } from '@comunica/query-sparql-rdfjs-lite'

let shared = null

export class QueryEngine {
  constructor () {
    shared = shared || new ComunicaQueryEngine()
    return shared
  }
}
