package dev.camelllm.api;

import java.util.List;

/**
 * The model's answer did not follow the requested JSON schema, also after the re-asks that sent it the
 * validation errors. Carries the last output (untrusted model text, kept whole here but only its start in
 * the message) and the errors of its validation, so that a route can log, store or hand it to a person.
 */
public class LlmStructuredOutputException extends LlmException {

    private static final int MESSAGE_OUTPUT_CHARS = 200;

    private final String lastOutput;
    private final List<String> errors;
    private final int attempts;

    public LlmStructuredOutputException(String provider, String model, String lastOutput, List<String> errors,
                                        int attempts) {
        super(ErrorKind.INVALID_OUTPUT, provider, model, describe(lastOutput, errors, attempts));
        this.lastOutput = lastOutput;
        this.errors = List.copyOf(errors);
        this.attempts = attempts;
    }

    private static String describe(String output, List<String> errors, int attempts) {
        String start = output == null ? "" : output.length() > MESSAGE_OUTPUT_CHARS
                ? output.substring(0, MESSAGE_OUTPUT_CHARS) + "…" : output;
        return "the answer does not follow the response schema after " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + ": " + String.join("; ", errors)
                + " (last output: " + start.replace('\n', ' ') + ")";
    }

    /** The model's last answer, as it came (untrusted text). */
    public String lastOutput() {
        return lastOutput;
    }

    /** What the validation of the last answer found, one line per error. */
    public List<String> errors() {
        return errors;
    }

    /** How many answers were asked for: the first and every re-ask. */
    public int attempts() {
        return attempts;
    }
}
