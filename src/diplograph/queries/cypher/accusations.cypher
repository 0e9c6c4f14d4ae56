// Accusations, criticism and condemnations: who blames whom, and how sure the text is.
// Newest first, undated ones last. The Cypher version of accusations.rq; the evidence is the
// event's first sentence (accusations.rq gives a row for each of its sentences).
MATCH (e:Event)
WHERE e.category = 'ACCUSE'
OPTIONAL MATCH (e)-[:SOURCE]->(s:Actor)
OPTIONAL MATCH (e)-[:TARGET]->(t:Actor)
RETURN s.label AS source, t.label AS target, e.modality AS modality, e.negated AS negated,
       e.date AS date, e.evidence AS evidence
ORDER BY coalesce(date, '') DESC, source, target, evidence
LIMIT 100
