// Validate many cases with TopBraid SHACL in one JVM (a JVM start costs seconds).
//
//   java -cp 'LIB/*' TopBraidBatch.java MANIFEST
//
// MANIFEST has one case a line: ID <tab> DATA.nt <tab> SHAPES.nt.  Each case is validated
// as org.topbraid.shacl.tools.Validate -noImports does it (ValidationUtil.validateModel,
// shapes not validated), and one JSON line a case is printed, in order:
//   {"id": "...", "conforms": bool, "results": [{focus, shape, component, severity, value, path}],
//    "seconds": {"read": ..., "validate": ...}}
// or {"id": "...", "error": "..."} when the engine fails on that case.  "read" is the time
// spent parsing the files (the shapes only for the first case that names them), "validate"
// the time of the validation and of reading the results out of the report.
// Each term is {"type": "iri"|"bnode"|"literal", "value", "datatype"?, "language"?}.
// Blank node labels of the input files are kept as given, so that the caller can
// tell which shape or data node a blank node of the report is.

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.jena.rdf.model.Literal;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.Property;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.rdf.model.Statement;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.lang.LabelToNode;
import org.apache.jena.vocabulary.RDF;
import org.topbraid.shacl.validation.ValidationUtil;
import org.topbraid.shacl.vocabulary.SH;

public class TopBraidBatch {

    static Model read(String path) {
        Model model = ModelFactory.createDefaultModel();
        RDFParser.source(path).lang(Lang.NTRIPLES)
                .labelToNode(LabelToNode.createUseLabelAsGiven()).parse(model.getGraph());
        return model;
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }

    static String term(RDFNode node) {
        if (node == null) return "null";
        if (node.isURIResource()) {
            return "{\"type\": \"iri\", \"value\": " + quote(node.asResource().getURI()) + "}";
        }
        if (node.isAnon()) {
            return "{\"type\": \"bnode\", \"value\": " + quote(node.asResource().getId().getLabelString()) + "}";
        }
        Literal literal = node.asLiteral();
        String lang = literal.getLanguage();
        String tail = lang.isEmpty()
                ? ", \"datatype\": " + quote(literal.getDatatypeURI())
                : ", \"language\": " + quote(lang);
        return "{\"type\": \"literal\", \"value\": " + quote(literal.getLexicalForm()) + tail + "}";
    }

    static RDFNode one(Resource subject, Property property) {
        Statement statement = subject.getProperty(property);
        return statement == null ? null : statement.getObject();
    }

    static String results(Resource report) {
        List<String> out = new ArrayList<>();
        Model model = report.getModel();
        for (Resource r : model.listSubjectsWithProperty(RDF.type, SH.ValidationResult).toList()) {
            // Only the top-level results count (sh:detail holds nested ones).
            if (model.contains(null, SH.detail, r)) continue;
            RDFNode path = one(r, SH.resultPath);
            out.add("{\"focus\": " + term(one(r, SH.focusNode))
                    + ", \"shape\": " + term(one(r, SH.sourceShape))
                    + ", \"component\": " + term(one(r, SH.sourceConstraintComponent))
                    + ", \"severity\": " + term(one(r, SH.resultSeverity))
                    + ", \"value\": " + term(one(r, SH.value))
                    + ", \"path\": " + (path != null && path.isURIResource() ? term(path) : "null") + "}");
        }
        return "[" + String.join(", ", out) + "]";
    }

    public static void main(String[] args) throws Exception {
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Map<String, Model> shapes = new HashMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            String[] field = line.split("\t");
            String id = field[0];
            String json;
            try {
                long start = System.nanoTime();
                Model shapesModel = shapes.computeIfAbsent(field[2], TopBraidBatch::read);
                Model data = read(field[1]);
                long read = System.nanoTime();
                Resource report = ValidationUtil.validateModel(data, shapesModel, false);
                boolean conforms = report.hasLiteral(SH.conforms, true);
                String found = results(report);
                long end = System.nanoTime();
                json = "{\"id\": " + quote(id) + ", \"conforms\": " + conforms
                        + ", \"results\": " + found
                        + ", \"seconds\": {\"read\": " + (read - start) / 1e9
                        + ", \"validate\": " + (end - read) / 1e9 + "}}";
            } catch (Throwable error) {
                json = "{\"id\": " + quote(id) + ", \"error\": " + quote(error.toString()) + "}";
            }
            stdout.println(json);
        }
    }
}
