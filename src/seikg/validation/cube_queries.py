"""The SPARQL texts of the W3C RDF Data Cube Recommendation: normalization (section 10)
and the 21 integrity constraints (section 11), run by :mod:`seikg.validation.cube`.

Each constraint is an ASK query whose ``true`` answer is a violation.  IC-20
and IC-21 are templates: ``$p`` stands for one ``qb:parentChildProperty``, and
the ``*_INSTANCES`` queries find the properties to put in its place.
"""

from __future__ import annotations

PREFIXES = """
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX qb:   <http://purl.org/linked-data/cube#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
PREFIX owl:  <http://www.w3.org/2002/07/owl#>
"""

NORMALIZATION = [
    # Phase 1: type and property closure
    "INSERT { ?o rdf:type qb:Observation } WHERE { [] qb:observation ?o }",
    "INSERT { ?o rdf:type qb:Observation } WHERE { ?o qb:dataSet [] }",
    "INSERT { ?s rdf:type qb:Slice } WHERE { [] qb:slice ?s }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:DimensionProperty } "
    "WHERE { ?cs qb:dimension ?p }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:MeasureProperty } "
    "WHERE { ?cs qb:measure ?p }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:AttributeProperty } "
    "WHERE { ?cs qb:attribute ?p }",
    # Phase 2: push down attachment levels
    """INSERT { ?obs ?comp ?value } WHERE {
        ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:DataSet .
        ?dataset qb:structure [ qb:component ?spec ] ; ?comp ?value .
        ?obs qb:dataSet ?dataset . }""",
    """INSERT { ?obs ?comp ?value } WHERE {
        ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:Slice .
        ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
        ?slice ?comp ?value ; qb:observation ?obs . }""",
    """INSERT { ?obs ?comp ?value } WHERE {
        ?spec qb:componentProperty ?comp .
        ?comp a qb:DimensionProperty .
        ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
        ?slice ?comp ?value ; qb:observation ?obs . }""",
]

CONSTRAINTS: dict[str, tuple[str, str]] = {
    "IC-1": (
        "Unique DataSet",
        """ASK {
      { ?obs a qb:Observation . FILTER NOT EXISTS { ?obs qb:dataSet ?dataset1 . } }
      UNION
      { ?obs a qb:Observation ; qb:dataSet ?dataset1, ?dataset2 . FILTER (?dataset1 != ?dataset2) }
    }""",
    ),
    "IC-2": (
        "Unique DSD",
        """ASK {
      { ?dataset a qb:DataSet . FILTER NOT EXISTS { ?dataset qb:structure ?dsd . } }
      UNION
      { ?dataset a qb:DataSet ; qb:structure ?dsd1, ?dsd2 . FILTER (?dsd1 != ?dsd2) }
    }""",
    ),
    "IC-3": (
        "DSD includes measure",
        """ASK {
      ?dsd a qb:DataStructureDefinition .
      FILTER NOT EXISTS { ?dsd qb:component [ qb:componentProperty [ a qb:MeasureProperty ] ] }
    }""",
    ),
    "IC-4": (
        "Dimensions have range",
        """ASK {
      ?dim a qb:DimensionProperty .
      FILTER NOT EXISTS { ?dim rdfs:range [] }
    }""",
    ),
    "IC-5": (
        "Concept dimensions have code lists",
        """ASK {
      ?dim a qb:DimensionProperty ; rdfs:range skos:Concept .
      FILTER NOT EXISTS { ?dim qb:codeList [] }
    }""",
    ),
    "IC-6": (
        "Only attributes may be optional",
        """ASK {
      ?dsd qb:component ?componentSpec .
      ?componentSpec qb:componentRequired "false"^^xsd:boolean ;
                     qb:componentProperty ?component .
      FILTER NOT EXISTS { ?component a qb:AttributeProperty }
    }""",
    ),
    "IC-7": (
        "Slice Keys must be declared",
        """ASK {
      ?sliceKey a qb:SliceKey .
      FILTER NOT EXISTS { [ a qb:DataStructureDefinition ] qb:sliceKey ?sliceKey }
    }""",
    ),
    "IC-8": (
        "Slice Keys consistent with DSD",
        """ASK {
      ?slicekey a qb:SliceKey ; qb:componentProperty ?prop .
      ?dsd qb:sliceKey ?slicekey .
      FILTER NOT EXISTS { ?dsd qb:component [ qb:componentProperty ?prop ] }
    }""",
    ),
    "IC-9": (
        "Unique slice structure",
        """ASK {
      { ?slice a qb:Slice . FILTER NOT EXISTS { ?slice qb:sliceStructure ?key } }
      UNION
      { ?slice a qb:Slice ; qb:sliceStructure ?key1, ?key2 . FILTER (?key1 != ?key2) }
    }""",
    ),
    "IC-10": (
        "Slice dimensions complete",
        """ASK {
      ?slice qb:sliceStructure [ qb:componentProperty ?dim ] .
      FILTER NOT EXISTS { ?slice ?dim [] }
    }""",
    ),
    "IC-11": (
        "All dimensions required",
        """ASK {
      ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
      ?dim a qb:DimensionProperty .
      FILTER NOT EXISTS { ?obs ?dim [] }
    }""",
    ),
    "IC-12": (
        "No duplicate observations",
        """ASK {
      FILTER( ?allEqual )
      {
        SELECT (MIN(?equal) AS ?allEqual) WHERE {
          ?obs1 qb:dataSet ?dataset .
          ?obs2 qb:dataSet ?dataset .
          FILTER (?obs1 != ?obs2)
          ?dataset qb:structure/qb:component/qb:componentProperty ?dim .
          ?dim a qb:DimensionProperty .
          ?obs1 ?dim ?value1 .
          ?obs2 ?dim ?value2 .
          BIND( ?value1 = ?value2 AS ?equal)
        } GROUP BY ?obs1 ?obs2
      }
    }""",
    ),
    "IC-13": (
        "Required attributes",
        """ASK {
      ?obs qb:dataSet/qb:structure/qb:component ?component .
      ?component qb:componentRequired "true"^^xsd:boolean ;
                 qb:componentProperty ?attr .
      FILTER NOT EXISTS { ?obs ?attr [] }
    }""",
    ),
    "IC-14": (
        "All measures present",
        """ASK {
      ?obs qb:dataSet/qb:structure ?dsd .
      FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }
      ?dsd qb:component/qb:componentProperty ?measure .
      ?measure a qb:MeasureProperty .
      FILTER NOT EXISTS { ?obs ?measure [] }
    }""",
    ),
    "IC-15": (
        "Measure dimension consistent",
        """ASK {
      ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure .
      ?dsd qb:component/qb:componentProperty qb:measureType .
      FILTER NOT EXISTS { ?obs ?measure [] }
    }""",
    ),
    "IC-16": (
        "Single measure on measure dimension observation",
        """ASK {
      ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure ; ?omeasure [] .
      ?dsd qb:component/qb:componentProperty qb:measureType ;
           qb:component/qb:componentProperty ?omeasure .
      ?omeasure a qb:MeasureProperty .
      FILTER (?omeasure != ?measure)
    }""",
    ),
    "IC-17": (
        "All measures present in measures dimension cube",
        """ASK {
      {
        SELECT ?numMeasures (COUNT(?obs2) AS ?count) WHERE {
          {
            SELECT ?dsd (COUNT(?m) AS ?numMeasures) WHERE {
              ?dsd qb:component/qb:componentProperty ?m .
              ?m a qb:MeasureProperty .
            } GROUP BY ?dsd
          }
          ?obs1 qb:dataSet/qb:structure ?dsd ; qb:dataSet ?dataset ; qb:measureType ?m1 .
          ?obs2 qb:dataSet ?dataset ; qb:measureType ?m2 .
          FILTER NOT EXISTS {
            ?dsd qb:component/qb:componentProperty ?dim .
            FILTER (?dim != qb:measureType)
            ?dim a qb:DimensionProperty .
            ?obs1 ?dim ?v1 .
            ?obs2 ?dim ?v2 .
            FILTER (?v1 != ?v2)
          }
        } GROUP BY ?obs1 ?numMeasures
        HAVING (?count != ?numMeasures)
      }
    }""",
    ),
    "IC-18": (
        "Consistent data set links",
        """ASK {
      ?dataset qb:slice ?slice .
      ?slice qb:observation ?obs .
      FILTER NOT EXISTS { ?obs qb:dataSet ?dataset . }
    }""",
    ),
    "IC-19": (
        "Codes from code list",
        """ASK {
      {
        ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
        ?dim a qb:DimensionProperty ; qb:codeList ?list .
        ?list a skos:ConceptScheme .
        ?obs ?dim ?v .
        FILTER NOT EXISTS { ?v a skos:Concept ; skos:inScheme ?list }
      } UNION {
        ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
        ?dim a qb:DimensionProperty ; qb:codeList ?list .
        ?list a skos:Collection .
        ?obs ?dim ?v .
        FILTER NOT EXISTS { ?v a skos:Concept . ?list skos:member+ ?v }
      }
    }""",
    ),
}

IC20 = """ASK {
  ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty ; qb:codeList ?list .
  ?list a qb:HierarchicalCodeList ; qb:parentChildProperty <$p> .
  ?obs ?dim ?v .
  FILTER NOT EXISTS { ?list qb:hierarchyRoot/<$p>* ?v }
}"""

IC21 = """ASK {
  ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty ; qb:codeList ?list .
  ?list a qb:HierarchicalCodeList ; qb:parentChildProperty [ owl:inverseOf <$p> ] .
  ?obs ?dim ?v .
  FILTER NOT EXISTS { ?list qb:hierarchyRoot/(^<$p>)* ?v }
}"""

IC20_INSTANCES = """SELECT DISTINCT ?p WHERE {
  ?hierarchy a qb:HierarchicalCodeList ; qb:parentChildProperty ?p . FILTER (isIRI(?p)) }"""
IC21_INSTANCES = """SELECT DISTINCT ?p WHERE {
  ?hierarchy a qb:HierarchicalCodeList ; qb:parentChildProperty ?pcp .
  FILTER (isBlank(?pcp)) ?pcp owl:inverseOf ?p . FILTER (isIRI(?p)) }"""

TITLES = {
    **{k: v[0] for k, v in CONSTRAINTS.items()},
    "IC-20": "Codes from hierarchy",
    "IC-21": "Codes from hierarchy (inverse)",
}
