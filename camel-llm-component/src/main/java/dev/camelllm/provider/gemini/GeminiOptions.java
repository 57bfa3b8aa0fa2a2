package dev.camelllm.provider.gemini;

/**
 * The endpoint's Gemini settings that shape requests.
 *
 * @param thinkingBudget  {@code thinkingConfig.thinkingBudget} when the request sets none (null: the model's default)
 * @param thinkingLevel   {@code thinkingConfig.thinkingLevel} (Gemini 3: {@code low}, {@code high}), or null
 * @param includeThoughts {@code thinkingConfig.includeThoughts}; null: on whenever thinking is asked for
 */
record GeminiOptions(Integer thinkingBudget, String thinkingLevel, Boolean includeThoughts) {
}
