package dev.camelllm.tools;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;

/**
 * The tool loop stopped: the model called a tool that was not declared (with unknownToolStrategy=fail),
 * a declared tool has a name that cannot be an endpoint's, or the loop ran out of rounds or tokens. Kind
 * INVALID_REQUEST: asking again would do the same, so it is neither retried nor sent to a fallback.
 */
public class LlmToolLoopException extends LlmException {

    /** Why the loop stopped. */
    public enum Reason {
        /** The model called a tool the request did not declare. */
        UNKNOWN_TOOL,
        /** A declared tool's name is not 1 to 64 of A-Z a-z 0-9 _ -. */
        INVALID_TOOL_NAME,
        /** The model still called tools after maxToolRounds rounds. */
        MAX_ROUNDS,
        /** The loop used up toolLoopMaxTokens. */
        TOKEN_BUDGET
    }

    private final Reason reason;

    public LlmToolLoopException(Reason reason, String provider, String model, String message) {
        super(ErrorKind.INVALID_REQUEST, provider, model, message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
