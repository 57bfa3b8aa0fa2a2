package dev.camelllm.state;

/**
 * The shared state store did not answer in time, or could not be reached. With
 * {@code stateStoreFailureMode=fail-closed} the call is refused with this; with fail-open it never reaches a
 * caller (local limits decide meanwhile). Its message names the store without its password.
 */
public class StateStoreUnavailableException extends RuntimeException {

    public StateStoreUnavailableException(String message) {
        super(message);
    }

    public StateStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
