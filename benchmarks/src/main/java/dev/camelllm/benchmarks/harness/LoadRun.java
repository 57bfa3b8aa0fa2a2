package dev.camelllm.benchmarks.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.Histogram;

/**
 * Runs one kind of request from a number of threads for a fixed time and records every latency: the
 * method every load harness here shares, so that their figures compare.
 */
public final class LoadRun {

    /** One request of one client. */
    @FunctionalInterface
    public interface Call {
        void call() throws Exception;
    }

    /** What one client did at one concurrency: latencies in nanoseconds and requests per second. */
    public record Point(Histogram latency, double rps, long errors) {

        /** The better of two rounds: the machine is shared, so the slower one says more about the others. */
        public static Point best(Point a, Point b) {
            return a.rps() >= b.rps() ? a : b;
        }
    }

    private LoadRun() {
    }

    /** {@code concurrency} platform threads each call in a loop until {@code seconds} have passed. */
    public static Point measure(Call call, int concurrency, double seconds) throws InterruptedException {
        return measure(call, concurrency, seconds, null);
    }

    /**
     * The same on threads of a factory (e.g. virtual threads, as a Camel app with
     * {@code camel.threads.virtual.enabled} runs its routes); null for platform threads.
     */
    public static Point measure(Call call, int concurrency, double seconds, ThreadFactory factory)
            throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            Histogram h = newHistogram();
            histograms.add(h);
            Runnable loop = () -> {
                try {
                    while (System.nanoTime() < deadline && failure.get() == null) {
                        long s = System.nanoTime();
                        try {
                            call.call();
                            h.recordValue(System.nanoTime() - s);
                        } catch (Exception e) {
                            // the JDK's HttpServer now and then closes a pooled connection that a java.net.http
                            // client then reuses: counted and reported, and fatal only when it is not rare
                            if (errors.incrementAndGet() > 100 + h.getTotalCount() / 100) {
                                failure.compareAndSet(null, e);
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            };
            Thread t = factory == null ? new Thread(loop, "bench-" + i) : factory.newThread(loop);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("a request failed", failure.get());
        }
        Histogram all = newHistogram();
        histograms.forEach(all::add);
        return new Point(all, all.getTotalCount() / elapsed, errors.get());
    }

    /** Nanoseconds up to a minute, three significant digits. */
    public static Histogram newHistogram() {
        return new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    }
}
