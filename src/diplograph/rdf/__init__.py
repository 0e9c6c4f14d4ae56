"""RDF stage: stable IRIs, graphs with provenance, reading and writing graph files."""
