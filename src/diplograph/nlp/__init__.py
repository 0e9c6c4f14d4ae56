"""Language stage: load the spaCy pipeline, find actors and events in each article."""
