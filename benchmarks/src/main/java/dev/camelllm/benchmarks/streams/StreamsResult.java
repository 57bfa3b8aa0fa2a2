package dev.camelllm.benchmarks.streams;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/** One run's outcome: the streams as the client saw them and the app process's peaks. */
record StreamsResult(StreamsOptions options, String jdk, List<StreamOutcome> streams, long peakRssKb, long hwmKb,
                     int peakThreads, int peakFds, long cpuNanos, long jitCpuNanos, boolean appAliveAtEnd, String appFdLimit, String loadBefore,
                     String loadAfter) {

    long whole() {
        return streams.stream().filter(StreamOutcome::whole).count();
    }

    /** Failures by kind, in name order. */
    Map<String, Integer> failures() {
        Map<String, Integer> byKind = new TreeMap<>();
        streams.stream().filter(s -> !s.whole()).forEach(s -> byKind.merge(s.kind(), 1, Integer::sum));
        return byKind;
    }

    /** From the first request to the last stream's end (whole or not), in seconds. */
    double wallSeconds() {
        long first = streams.stream().mapToLong(StreamOutcome::started).min().orElse(0);
        long last = streams.stream().mapToLong(StreamOutcome::ended).max().orElse(first);
        return (last - first) / 1e9;
    }

    /** True when some stream was still open at the hard limit: the wall time is then a lower bound. */
    boolean hitHardLimit() {
        return streams.stream().anyMatch(s -> "timeout".equals(s.kind()));
    }

    /** Time to the first body byte of every stream that got one, in nanoseconds. */
    Histogram firstByte() {
        Histogram h = new Histogram(TimeUnit.HOURS.toNanos(1), 3);
        streams.stream().filter(s -> s.firstByte() >= 0)
                .forEach(s -> h.recordValue(Math.min(h.getHighestTrackableValue(), s.firstByte() - s.started())));
        return h;
    }

    /**
     * From the moment the client had its connection and began to write the request to the first body byte:
     * the server's part of the time to first byte, without the time the request waited in the load client
     * itself (its event loops, its connects) before it went out.
     */
    Histogram sentToFirstByte() {
        Histogram h = new Histogram(TimeUnit.HOURS.toNanos(1), 3);
        streams.stream().filter(s -> s.firstByte() >= 0 && s.sent() >= 0)
                .forEach(s -> h.recordValue(Math.min(h.getHighestTrackableValue(), Math.max(0, s.firstByte() - s.sent()))));
        return h;
    }

    /** Median time from request to the answer of the streams that failed with an HTTP status (how fast a shed is). */
    double rejectedP50Millis() {
        Histogram h = new Histogram(TimeUnit.HOURS.toNanos(1), 3);
        streams.stream().filter(s -> s.kind().startsWith("http-"))
                .forEach(s -> h.recordValue(Math.min(h.getHighestTrackableValue(), s.ended() - s.started())));
        return h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(50) / 1e6;
    }
}
