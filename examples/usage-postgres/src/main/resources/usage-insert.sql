INSERT INTO llm_usage (request_id, finished_at, profile, provider, model, response_model, gateway_key, stream,
                       outcome, error_type, input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost_usd,
                       ttft_ms, duration_ms, attempts, fallback, cache_hit)
VALUES (:#request_id, :#finished_at, :#profile, :#provider, :#model, :#response_model, :#gateway_key, :#stream,
        :#outcome, :#error_type, :#input_tokens, :#output_tokens, :#cached_tokens, :#reasoning_tokens, :#cost_usd,
        :#ttft_ms, :#duration_ms, :#attempts, :#fallback, :#cache_hit)
