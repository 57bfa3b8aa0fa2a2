-- after a file's paragraphs are stored: the rows that an older ingest of it left (it had more paragraphs then)
DELETE FROM rag_chunk
WHERE source = :#${header.CamelFileName} AND ingest_id <> :#${exchangeProperty.ingestId}
