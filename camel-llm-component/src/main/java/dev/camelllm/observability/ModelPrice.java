package dev.camelllm.observability;

import java.math.BigDecimal;
import java.math.MathContext;

import dev.camelllm.api.Usage;

/**
 * What a model costs, in USD per million tokens: input, output, prompt-cache reads and writes. Bound from
 * properties such as {@code camel.component.llm.prices[gpt-4o-mini].input=0.15}. Cache prices left unset
 * are charged at the input price.
 */
public class ModelPrice {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private Double input;
    private Double output;
    private Double cacheRead;
    private Double cacheWrite;

    public ModelPrice() {
    }

    public ModelPrice(double input, double output, Double cacheRead, Double cacheWrite) {
        this.input = input;
        this.output = output;
        this.cacheRead = cacheRead;
        this.cacheWrite = cacheWrite;
    }

    /**
     * The cost of one call in USD. {@code cacheReadInInput}: the provider counts cache reads as part of
     * the input tokens (OpenAI format), so they are taken out of the input before it is priced; Anthropic
     * reports them apart.
     */
    public BigDecimal cost(Usage usage, boolean cacheReadInInput) {
        long cached = usage.cacheReadTokens();
        long input = cacheReadInInput ? Math.max(0, usage.inputTokens() - cached) : usage.inputTokens();
        BigDecimal in = price(this.input);
        BigDecimal total = in.multiply(BigDecimal.valueOf(input))
                .add(price(output).multiply(BigDecimal.valueOf(usage.outputTokens())))
                .add((cacheRead == null ? in : price(cacheRead)).multiply(BigDecimal.valueOf(cached)))
                .add((cacheWrite == null ? in : price(cacheWrite)).multiply(BigDecimal.valueOf(usage.cacheWriteTokens())));
        return total.divide(MILLION, MathContext.DECIMAL64);
    }

    private static BigDecimal price(Double perMillion) {
        // BigDecimal.valueOf keeps the decimal a user wrote (0.15 stays 0.15, not its binary neighbour)
        return perMillion == null ? BigDecimal.ZERO : BigDecimal.valueOf(perMillion);
    }

    public Double getInput() {
        return input;
    }

    /** USD per million input tokens. */
    public void setInput(Double input) {
        this.input = input;
    }

    public Double getOutput() {
        return output;
    }

    /** USD per million output tokens. */
    public void setOutput(Double output) {
        this.output = output;
    }

    public Double getCacheRead() {
        return cacheRead;
    }

    /** USD per million tokens read from the prompt cache (unset: the input price). */
    public void setCacheRead(Double cacheRead) {
        this.cacheRead = cacheRead;
    }

    public Double getCacheWrite() {
        return cacheWrite;
    }

    /** USD per million tokens written to the prompt cache (unset: the input price). */
    public void setCacheWrite(Double cacheWrite) {
        this.cacheWrite = cacheWrite;
    }

    @Override
    public String toString() {
        return "ModelPrice[input=" + input + ", output=" + output + ", cacheRead=" + cacheRead + ", cacheWrite=" + cacheWrite + "]";
    }
}
