package dev.camelllm.provider.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * What a loaded chat model is fixed with, for every endpoint that shares it: the generation limiter's
 * {@code maxConcurrentGenerations} and {@code maxQueuedGenerations}, and the session's
 * {@code intraOpThreads} and {@code interOpThreads}. A chat model is loaded once (a second copy would double
 * its memory), so an endpoint that asks for other values is a configuration error, not a silent downgrade.
 *
 * @param intraOpThreads null when unset (ONNX Runtime's default)
 * @param interOpThreads null when unset (ONNX Runtime's default)
 */
record LoadSettings(int maxConcurrentGenerations, int maxQueuedGenerations, Integer intraOpThreads,
                    Integer interOpThreads) {

    /** One option the endpoint asks another value of than the model was loaded with. */
    record Conflict(String option, Object loaded, Object asked) {

        /** A thread count of the session, which an endpoint may leave unset to share the model's. */
        boolean threads() {
            return option.equals("intraOpThreads") || option.equals("interOpThreads");
        }

        @Override
        public String toString() {
            return option + " is " + loaded + " where the model was loaded, " + asked + " on this endpoint";
        }
    }

    static LoadSettings of(OnnxOptions options) {
        return new LoadSettings(options.maxConcurrentGenerations(), options.maxQueuedGenerations(),
                options.intraOpThreads(), options.interOpThreads());
    }

    /**
     * What {@code asked} wants that this load does not give, one option each; empty when the endpoint can share the model. The two generation limits are options with a default, so
     * an endpoint cannot tell them unset from set to the default: their effective values are compared. A
     * thread option left unset asks for nothing and shares whatever the model was loaded with.
     */
    List<Conflict> conflicts(LoadSettings asked) {
        List<Conflict> conflicts = new ArrayList<>(4);
        if (asked.maxConcurrentGenerations != maxConcurrentGenerations) {
            conflicts.add(new Conflict("maxConcurrentGenerations", maxConcurrentGenerations, asked.maxConcurrentGenerations));
        }
        if (asked.maxQueuedGenerations != maxQueuedGenerations) {
            conflicts.add(new Conflict("maxQueuedGenerations", maxQueuedGenerations, asked.maxQueuedGenerations));
        }
        threads(conflicts, "intraOpThreads", intraOpThreads, asked.intraOpThreads);
        threads(conflicts, "interOpThreads", interOpThreads, asked.interOpThreads);
        return conflicts;
    }

    private static void threads(List<Conflict> conflicts, String option, Integer loaded, Integer asked) {
        if (asked != null && !asked.equals(loaded)) {
            conflicts.add(new Conflict(option, loaded == null ? "unset (ONNX Runtime's default)" : loaded, asked));
        }
    }
}
