// Timeline: the dated events, newest first, with their category and label.
// The Cypher version of timeline.rq, over `diplograph export --format neo4j|cypher`.
MATCH (e:Event)
WHERE e.date IS NOT NULL
RETURN e.date AS date, e.category AS category, e.label AS label, e.modality AS modality,
       e.negated AS negated, e.document AS doc
ORDER BY coalesce(date, '') DESC, category, label
LIMIT 100
