package dev.camelllm.observability;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

import dev.camelllm.api.Usage;

/**
 * Finds a model's price in the component's table: by the model that answered, then by the model that was
 * asked for; a dated snapshot such as {@code gpt-4o-mini-2024-07-18} takes the price of the longest
 * entry it starts with followed by a dash ({@code gpt-4o-mini}).
 */
public final class PriceTable {

    private final Map<String, ModelPrice> prices;

    /** A live view: prices added to the map later are found too. */
    public PriceTable(Map<String, ModelPrice> prices) {
        this.prices = prices;
    }

    public Optional<ModelPrice> find(String responseModel, String requestModel) {
        for (String model : new String[] { responseModel, requestModel }) {
            if (model != null && prices.get(model) != null) {
                return Optional.of(prices.get(model));
            }
        }
        for (String model : new String[] { responseModel, requestModel }) {
            ModelPrice p = byPrefix(model);
            if (p != null) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The cost in USD of a call, when the model has a price. {@code cacheReadsInInput}: the provider's
     * usage counts cache reads within the input tokens ({@code ChatProvider.usageCountsCacheReadsInInput}).
     */
    public Optional<BigDecimal> cost(boolean cacheReadsInInput, String responseModel, String requestModel, Usage usage) {
        if (usage == null) {
            return Optional.empty();
        }
        return find(responseModel, requestModel).map(p -> p.cost(usage, cacheReadsInInput));
    }

    private ModelPrice byPrefix(String model) {
        if (model == null) {
            return null;
        }
        String best = null;
        for (String key : prices.keySet()) {
            if (model.startsWith(key + "-") && (best == null || key.length() > best.length())) {
                best = key;
            }
        }
        return best == null ? null : prices.get(best);
    }
}
