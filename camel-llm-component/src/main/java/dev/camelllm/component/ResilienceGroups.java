package dev.camelllm.component;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.resilience.GroupSettings;
import dev.camelllm.resilience.ResilienceGroup;
import dev.camelllm.state.StateStore;

/**
 * The resilience groups of one component. The first endpoint of a group creates it; a later one with the
 * same settings shares it, one with other settings fails at start, since which limits apply would
 * otherwise depend on which endpoint happened to start first. Groups live as long as the component, so
 * that limits and breaker state survive a route restart.
 */
final class ResilienceGroups {

    /** An endpoint as a message may name it: its name, and its URI with the secrets masked. */
    record Member(String name, String sanitizedUri) {
    }

    private record Entry(ResilienceGroup group, Member createdBy) {
    }

    private final Map<String, Entry> groups = new HashMap<>();

    /**
     * The group {@code id} for an endpoint, created with {@code settings} (and passed through {@code bind},
     * once) if it is new.
     *
     * @throws LlmConfigurationException when the group exists with other settings
     */
    synchronized ResilienceGroup join(String id, GroupSettings settings, Member endpoint,
                                      UnaryOperator<ResilienceGroup> bind, StateStore store) {
        Entry entry = groups.get(id);
        if (entry == null) {
            entry = new Entry(bind.apply(new ResilienceGroup(id, settings, store)), endpoint);
            groups.put(id, entry);
            return entry.group();
        }
        if (!entry.group().settings().equals(settings)) {
            throw conflict(id, entry.createdBy(), endpoint,
                    ResilienceOptions.differences(entry.group().settings(), settings));
        }
        return entry.group();
    }

    private static LlmConfigurationException conflict(String id, Member first, Member second, List<String> differences) {
        // names say it shortest; two endpoints of one name differ in their options, so then the URIs
        boolean sameName = first.name().equals(second.name());
        String a = sameName ? first.sanitizedUri() : "llm:" + first.name();
        String b = sameName ? second.sanitizedUri() : "llm:" + second.name();
        return new LlmConfigurationException("Endpoints " + a + " and " + b + " are in one resilience group, '" + id
                + "', but set different limits: " + String.join(", ", differences) + " (" + (sameName ? "the first" : a)
                + "'s value first). The endpoints of a group share its rate limits, concurrency cap and circuit breaker: "
                + "give both the same values, or give one of them its own resilienceGroup.");
    }

    synchronized void clear() {
        groups.clear();
    }
}
