-- Run once when the example starts (route create-schema). PostgreSQL 15 as Debian 12 ships it has no pgvector:
-- a chunk's embedding is a real[], and the similarity is a function of our own (rag_cosine), computed over
-- every chunk by the retrieve query. With pgvector, the column would be vector(384) and rag_cosine its <=>.
CREATE TABLE IF NOT EXISTS rag_chunk (
    source      text    NOT NULL,  -- the file's name
    chunk_index integer NOT NULL,  -- the paragraph's place in the file
    ingest_id   text    NOT NULL,  -- the ingest that wrote the row: the file's rows of older ingests are deleted after it
    content     text    NOT NULL,
    embedding   real[]  NOT NULL,
    PRIMARY KEY (source, chunk_index)
);
-- cosine similarity of two vectors of the same length; vectors of different lengths (chunks embedded with
-- another model) are an error that says so, not a silently wrong score
CREATE OR REPLACE FUNCTION rag_cosine(a real[], b real[]) RETURNS double precision
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    IF cardinality(a) <> cardinality(b) THEN
        RAISE EXCEPTION 'rag_cosine: a vector of % dimensions compared with one of % (were the chunks embedded with another model? re-index them)',
            cardinality(a), cardinality(b);
    END IF;
    RETURN (SELECT sum(x::float8 * y) / nullif(sqrt(sum(x::float8 * x)) * sqrt(sum(y::float8 * y)), 0)
            FROM unnest(a, b) AS v(x, y));
END
$$
