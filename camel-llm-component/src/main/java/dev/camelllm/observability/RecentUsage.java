package dev.camelllm.observability;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** The last requests and per-profile totals since start, for the dev console. */
public final class RecentUsage {

    static final int KEEP = 20;

    private final ArrayDeque<RequestRecord> last = new ArrayDeque<>(KEEP);
    private final Map<String, Totals> totals = new ConcurrentHashMap<>();

    /** Totals of one profile since the component started. */
    public static final class Totals {
        final LongAdder requests = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder inputTokens = new LongAdder();
        final LongAdder outputTokens = new LongAdder();
        final DoubleAdder costUsd = new DoubleAdder();

        public Map<String, Object> asMap() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("requests", requests.sum());
            m.put("errors", errors.sum());
            m.put("inputTokens", inputTokens.sum());
            m.put("outputTokens", outputTokens.sum());
            m.put("costUsd", costUsd.sum());
            return m;
        }
    }

    void add(RequestRecord r) {
        synchronized (last) {
            if (last.size() == KEEP) {
                last.removeFirst();
            }
            last.addLast(r);
        }
        Totals t = totals.computeIfAbsent(r.profile() == null ? LlmMetrics.UNKNOWN : r.profile(), p -> new Totals());
        t.requests.increment();
        if (!r.ok()) {
            t.errors.increment();
        }
        if (r.usage() != null) {
            t.inputTokens.add(r.usage().inputTokens());
            t.outputTokens.add(r.usage().outputTokens());
        }
        if (r.costUsd() != null) {
            t.costUsd.add(r.costUsd());
        }
    }

    /** The last requests, newest first. */
    public List<RequestRecord> last() {
        synchronized (last) {
            List<RequestRecord> out = new ArrayList<>(last);
            java.util.Collections.reverse(out);
            return out;
        }
    }

    public Map<String, Totals> totals() {
        return new TreeMap<>(totals);
    }
}
