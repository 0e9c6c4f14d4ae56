// Accusations, criticism and condemnations: who blames whom, and how sure the text is.
// Newest first, undated ones last. The Cypher version of accusations.rq: a row for each of
// the event's evidence sentences, as there.
MATCH (e:Event)
WHERE e.category = 'ACCUSE'
OPTIONAL MATCH (e)-[:SOURCE]->(s:Actor)
OPTIONAL MATCH (e)-[:TARGET]->(t:Actor)
OPTIONAL MATCH (e)-[:EVIDENCED_BY]->(x:Evidence)
RETURN s.label AS source, t.label AS target, e.modality AS modality, e.negated AS negated,
       e.date AS date, x.text AS evidence
ORDER BY coalesce(date, '') DESC, source, target, evidence
LIMIT 100
