"""SPARQL: the query policy, typed results and their W3C formats, and the query catalogue."""
