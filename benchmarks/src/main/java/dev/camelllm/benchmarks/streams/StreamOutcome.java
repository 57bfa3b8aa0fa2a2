package dev.camelllm.benchmarks.streams;

/**
 * How one stream ended, as the load client saw it. Times are {@link System#nanoTime()} values: {@code
 * started} when the harness issued the request, {@code sent} when the client had its connection and began to
 * write the request (-1 if it never did), {@code firstByte} when the first body byte arrived (-1 if none).
 *
 * @param kind {@code "whole"}, or the failure: {@code "http-<status>"}, {@code "connect"}, {@code "cut"}
 *             (the response or connection ended before the stream's end), {@code "incomplete"} (it ended but
 *             chunks were missing), {@code "error-event"} (an error event in the stream), {@code "timeout"}
 *             (still open at the harness's hard limit)
 */
record StreamOutcome(String kind, long started, long sent, long firstByte, long ended) {

    static final String WHOLE = "whole";

    boolean whole() {
        return WHOLE.equals(kind);
    }
}
