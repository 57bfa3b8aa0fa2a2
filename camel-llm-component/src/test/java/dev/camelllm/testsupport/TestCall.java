package dev.camelllm.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.camelllm.spi.CallContext;

/** A call a test cancels by hand, with a fixed time budget; it counts the cancel actions still registered. */
public final class TestCall implements CallContext {

    private final long end;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<Runnable> actions = new CopyOnWriteArrayList<>();

    public TestCall(Duration budget) {
        this.end = System.nanoTime() + budget.toNanos();
    }

    @Override
    public Duration timeLeft() {
        return Duration.ofNanos(Math.max(0, end - System.nanoTime()));
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }

    @Override
    public Registration onCancel(Runnable action) {
        if (cancelled.get()) {
            action.run();
            return () -> { };
        }
        actions.add(action);
        return () -> actions.remove(action);
    }

    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            for (Runnable a : actions) {
                a.run();
            }
            actions.clear();
        }
    }

    /** Cancel actions registered and not yet removed. */
    public int registered() {
        return actions.size();
    }
}
