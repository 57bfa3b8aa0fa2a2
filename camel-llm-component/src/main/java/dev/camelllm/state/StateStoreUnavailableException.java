package dev.camelllm.state;

/**
 * The shared state store did not answer in time, or could not be reached. With
 * {@code stateStoreFailureMode=fail-closed} the call is refused with this; with fail-open it never reaches a
 * caller (local limits decide meanwhile). Its message names the store without its password.
 */
public class StateStoreUnavailableException extends RuntimeException {

    private final boolean callDeadline;

    public StateStoreUnavailableException(String message) {
        this(message, null, false);
    }

    public StateStoreUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    StateStoreUnavailableException(String message, Throwable cause, boolean callDeadline) {
        super(message, cause);
        this.callDeadline = callDeadline;
    }

    /**
     * Whether the wait ended at the call's own deadline, before the store's timeout: the call ran out of time,
     * which says nothing about the store (it is not marked down for it).
     */
    public boolean callDeadline() {
        return callDeadline;
    }
}
