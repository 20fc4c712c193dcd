// Validate many cases with a JavaScript SHACL engine, in one process.
//
//   node run-shacl-engine.mjs ENGINE MANIFEST
//
// ENGINE is "shacl-engine" (with its SHACL-SPARQL plugin) or "rdf-validate-shacl".
// MANIFEST is a JSON file: [{"id": "...", "data": "data.nt", "shapes": "shapes.nt"}, ...].
// Prints one JSON line per case, in order:
//   {"id": "...", "conforms": bool, "results": [{focus, shape, component, severity, value, path}],
//    "seconds": {"read": ..., "validate": ...}}
// or {"id": "...", "error": "..."} when the engine fails on that case.  "read" is the time
// spent parsing the files (streamed: files of any size), "validate" the time of making
// the validator (the first case of a shapes file), validating and reading the report.
// Each term is {"type": "iri"|"bnode"|"literal", "value", "datatype"?, "language"?}.
// Blank node labels of the input files are kept as given, so that the caller can
// tell which shape or data node a blank node of the report is.

import { createReadStream, readFileSync } from 'node:fs'
import { register } from 'node:module'
import { performance } from 'node:perf_hooks'
import DataFactory from '@rdfjs/data-model/Factory.js'
import DatasetFactory from '@rdfjs/dataset/Factory.js'
import Environment from '@rdfjs/environment'
import { StreamParser } from 'n3'

const rdf = new Environment([DataFactory, DatasetFactory])

const SH = 'http://www.w3.org/ns/shacl#'
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type'

function load (path) {
  const parser = new StreamParser({ factory: rdf, blankNodePrefix: '' })
  const dataset = rdf.dataset()
  return new Promise((resolve, reject) => {
    const input = createReadStream(path, { encoding: 'utf8' })
    input.on('error', reject)
    parser.on('error', reject)
    parser.on('data', quad => dataset.add(quad))
    parser.on('end', () => resolve(dataset))
    input.pipe(parser)
  })
}

function term (t) {
  if (!t) return null
  if (t.termType === 'NamedNode') return { type: 'iri', value: t.value }
  if (t.termType === 'BlankNode') return { type: 'bnode', value: t.value }
  if (t.termType === 'Literal') {
    const out = { type: 'literal', value: t.value }
    if (t.language) out.language = t.language
    else out.datatype = t.datatype.value
    return out
  }
  return { type: t.termType, value: t.value }
}

// The results, read from the report graph the engine writes (not from its objects).
function results (report) {
  const ds = report.dataset
  const one = (s, p) => {
    const objects = [...ds.match(s, rdf.namedNode(SH + p))].map(q => q.object)
    return objects.length ? objects[0] : null
  }
  const out = []
  for (const q of ds.match(null, rdf.namedNode(RDF_TYPE), rdf.namedNode(SH + 'ValidationResult'))) {
    const r = q.subject
    // rdf-validate-shacl writes nested results (sh:detail); only the top-level ones count.
    if ([...ds.match(null, rdf.namedNode(SH + 'detail'), r)].length) continue
    const path = one(r, 'resultPath')
    out.push({
      focus: term(one(r, 'focusNode')),
      shape: term(one(r, 'sourceShape')),
      component: term(one(r, 'sourceConstraintComponent')),
      severity: term(one(r, 'resultSeverity')),
      value: term(one(r, 'value')),
      path: path && path.termType === 'NamedNode' ? term(path) : null
    })
  }
  return out
}

async function engine (name) {
  if (name === 'shacl-engine') {
    register('./share-query-engine-hooks.mjs', import.meta.url)
    const { Validator } = await import('shacl-engine')
    const { targetResolvers, validations } = await import('shacl-engine/sparql.js')
    return shapes => {
      const validator = new Validator(shapes, { factory: rdf, targetResolvers, validations })
      return data => validator.validate({ dataset: data })
    }
  }
  if (name === 'rdf-validate-shacl') {
    const { default: SHACLValidator } = await import('rdf-validate-shacl')
    return shapes => {
      const validator = new SHACLValidator(shapes) // with its own default RDF/JS environment
      return data => validator.validate(data)
    }
  }
  throw new Error(`unknown engine ${name}`)
}

async function main () {
  const [name, manifestPath] = process.argv.slice(2)
  const make = await engine(name)
  const validators = new Map()
  for (const c of JSON.parse(readFileSync(manifestPath, 'utf8'))) {
    let line
    try {
      const start = performance.now()
      const shapes = validators.has(c.shapes) ? null : await load(c.shapes)
      const data = await load(c.data)
      const read = performance.now()
      if (shapes) validators.set(c.shapes, make(shapes))
      const report = await validators.get(c.shapes)(data)
      const found = results(report)
      const seconds = { read: (read - start) / 1000, validate: (performance.now() - read) / 1000 }
      line = { id: c.id, conforms: report.conforms, results: found, seconds }
    } catch (error) {
      line = { id: c.id, error: String((error && error.stack) || error) }
    }
    process.stdout.write(JSON.stringify(line) + '\n')
  }
}

main().catch(error => {
  process.stderr.write(String((error && error.stack) || error) + '\n')
  process.exit(2)
})
