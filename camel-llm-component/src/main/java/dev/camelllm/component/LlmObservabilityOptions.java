package dev.camelllm.component;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Spending, logging and tracing: the budget of an endpoint's profile, the prompt log, content on spans.
 * Part of {@link LlmConfiguration}; see there why the options are split this way.
 */
@UriParams
public abstract class LlmObservabilityOptions extends LlmResilienceOptions {

    @UriParam(label = "observability",
              description = "Most this endpoint's profile may spend in USD per budgetPeriod, priced from the component's prices table; then its calls fail with LlmBudgetExceededException (its fallbacks still apply). Each call reserves its estimated cost first and settles the real one after, so concurrent calls overspend by one estimate at most; kept in the stateStore. Unset means no budget.")
    private Double budget;
    @UriParam(label = "observability", defaultValue = "day", enums = "day,month,total",
              description = "The period of budget: day (resets at midnight UTC), month (resets on the first, UTC) or total (since the application started; with a shared stateStore: since the store first saw it).")
    private String budgetPeriod = "day";
    @UriParam(label = "observability", defaultValue = "false",
              description = "Log each prompt and completion at DEBUG on the dev.camelllm.requests logger. Off by default: prompts may hold personal data.")
    private boolean logPrompts = false;
    @UriParam(label = "observability", defaultValue = "false",
              description = "Put the prompt and the completion on the call's trace span (gen_ai.input.messages, gen_ai.output.messages, gen_ai.system_instructions as JSON, each cut at 16 KiB). Off by default: prompts may hold personal data.")
    private boolean traceContent = false;

    public Double getBudget() {
        return budget;
    }

    /** Most this endpoint's profile may spend in USD per budgetPeriod; then its calls fail with LlmBudgetExceededException. */
    public void setBudget(Double budget) {
        this.budget = budget;
    }

    public String getBudgetPeriod() {
        return budgetPeriod;
    }

    /** The period of budget: day (resets at midnight UTC) or total (since the application started). */
    public void setBudgetPeriod(String budgetPeriod) {
        this.budgetPeriod = budgetPeriod;
    }

    public boolean isTraceContent() {
        return traceContent;
    }

    /** Put the prompt and the completion on the call's trace span (bounded JSON). */
    public void setTraceContent(boolean traceContent) {
        this.traceContent = traceContent;
    }

    public boolean isLogPrompts() {
        return logPrompts;
    }

    /** Log each prompt and completion at DEBUG on the dev.camelllm.requests logger. */
    public void setLogPrompts(boolean logPrompts) {
        this.logPrompts = logPrompts;
    }
}
