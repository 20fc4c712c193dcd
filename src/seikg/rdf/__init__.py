"""RDF in and out: strict offline parsing, term conversion, stable blank nodes, deterministic
serialization and the one file writer."""
