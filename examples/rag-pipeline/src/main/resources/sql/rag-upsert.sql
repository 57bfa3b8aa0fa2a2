-- one paragraph of a file: a file indexed again replaces its rows (the key is the file's name and the
-- paragraph's place), it does not add to them
INSERT INTO rag_chunk (source, chunk_index, ingest_id, content, embedding)
VALUES (:#${header.CamelFileName}, :#${exchangeProperty.CamelSplitIndex}, :#${exchangeProperty.ingestId},
        :#${exchangeProperty.chunk}, :#${body})
ON CONFLICT (source, chunk_index) DO UPDATE
    SET ingest_id = excluded.ingest_id, content = excluded.content, embedding = excluded.embedding
