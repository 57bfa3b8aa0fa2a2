-- the question's embedding (the body) against every chunk, in PostgreSQL; one row comes back:
-- context (the closest chunks, each after its file's name, closest first) and sources (their files, closest first)
WITH closest AS (
    SELECT source, content, rag_cosine(embedding, :#${body}) AS score
    FROM rag_chunk
    ORDER BY score DESC
    LIMIT CAST(:#${properties:rag.top-k} AS integer)
)
SELECT (SELECT string_agg('[' || source || '] ' || content, E'\n' ORDER BY score DESC) FROM closest) AS context,
       (SELECT string_agg(source, ',' ORDER BY best DESC)
        FROM (SELECT source, max(score) AS best FROM closest GROUP BY source) AS files) AS sources
