// Who met whom: consultations (meetings, visits, summits, talks, calls), where and when; a
// side the text does not name is left blank (null). Newest first, undated ones last.
// The Cypher version of who-met-whom.rq, over `diplograph export --format neo4j|cypher`.
MATCH (e:Event)
WHERE e.category = 'CONSULT'
OPTIONAL MATCH (e)-[:SOURCE]->(s:Actor)
OPTIONAL MATCH (e)-[:TARGET]->(t:Actor)
OPTIONAL MATCH (e)-[:LOCATION]->(p:Actor)
RETURN e.date AS date, e.subtype AS type, s.label AS source, t.label AS target,
       p.label AS place, e.document AS doc
ORDER BY coalesce(date, '') DESC, source, target, type, place
LIMIT 100
