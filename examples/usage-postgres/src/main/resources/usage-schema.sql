CREATE TABLE IF NOT EXISTS llm_usage (
    id               bigserial PRIMARY KEY,
    request_id       text        NOT NULL,
    finished_at      timestamptz NOT NULL,
    profile          text        NOT NULL,
    provider         text,
    model            text,
    response_model   text,
    gateway_key      text,
    stream           boolean     NOT NULL,
    outcome          text        NOT NULL,
    error_type       text,
    input_tokens     bigint      NOT NULL,
    output_tokens    bigint      NOT NULL,
    cached_tokens    bigint      NOT NULL,
    reasoning_tokens bigint,
    cost_usd         double precision,
    ttft_ms          bigint,
    duration_ms      bigint      NOT NULL,
    attempts         integer     NOT NULL,
    fallback         text,
    cache_hit        boolean     NOT NULL
);
CREATE INDEX IF NOT EXISTS llm_usage_key_day ON llm_usage (gateway_key, finished_at)
