package dev.camelllm.execution;

import java.util.ArrayList;
import java.util.List;

import dev.camelllm.spi.CallContext;

/**
 * A one-shot cancel signal with actions to run when it fires. A gateway sets one on the exchange (property
 * {@code CamelLlmCancellation}) and fires it when its client goes away; the llm: producer links its call
 * to it, so that the upstream request is aborted and its connection freed.
 */
public class Cancellation {

    private final List<Runnable> actions = new ArrayList<>();
    private volatile String reason;

    /** Fires the signal; later calls do nothing. Actions run on the calling thread and must not block. */
    public void cancel(String why) {
        List<Runnable> toRun;
        synchronized (actions) {
            if (reason != null) {
                return;
            }
            reason = why == null ? "cancelled" : why;
            toRun = new ArrayList<>(actions);
            actions.clear();
        }
        for (Runnable r : toRun) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // one failing action must not keep the others from freeing their resources
            }
        }
    }

    public boolean isCancelled() {
        return reason != null;
    }

    /** Why it was cancelled, or null. */
    public String reason() {
        return reason;
    }

    /** Runs the action on cancel (at once when already cancelled); close the registration to remove it. */
    public CallContext.Registration onCancel(Runnable action) {
        synchronized (actions) {
            if (reason == null) {
                actions.add(action);
                return () -> {
                    synchronized (actions) {
                        actions.remove(action);
                    }
                };
            }
        }
        action.run();
        return () -> { };
    }
}
