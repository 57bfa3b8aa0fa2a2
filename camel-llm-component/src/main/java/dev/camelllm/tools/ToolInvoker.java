package dev.camelllm.tools;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelllm.api.ContentPart;
import dev.camelllm.api.ToolCall;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.spi.Redactor;

/**
 * Runs one declared tool call as a Camel exchange to {@code <prefix><name>} and turns the reply into the
 * tool result. A failing tool route gives the model a short generic error: its exception text may hold
 * hosts, SQL or keys, so the detail goes to the log (WARN, secrets removed), not to the model.
 */
final class ToolInvoker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ToolInvoker.class);

    private final String prefix;
    private final String secret;
    private final ProducerTemplate template;

    /** @param secret the endpoint's API key, removed from what is logged (null when it has none) */
    ToolInvoker(CamelContext context, String prefix, String secret) {
        this.prefix = prefix;
        this.secret = secret;
        this.template = context.createProducerTemplate();
    }

    /** The call's name must be declared and valid ({@link ToolNames#isValid}): the caller checked. */
    ContentPart.ToolResult invoke(ToolCall call, String id) {
        if (!ToolNames.isValid(call.name())) {
            // never reached: the loop rejects such names first; kept so that no caller can build such a URI
            throw new IllegalArgumentException("not a valid tool name: " + ToolNames.quoted(call.name()));
        }
        Exchange reply;
        try {
            reply = template.send(prefix + call.name(), e -> {
                e.getMessage().setBody(call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments());
                e.getMessage().setHeader(LlmConstants.TOOL_CALL_ID, id);
                e.getMessage().setHeader(LlmConstants.TOOL_NAME, call.name());
            });
        } catch (RuntimeException e) {
            return failed(call, id, e);
        }
        if (reply.getException() != null) {
            return failed(call, id, reply.getException());
        }
        String content = reply.getMessage().getBody(String.class);
        return new ContentPart.ToolResult(id, content == null ? "" : content, false);
    }

    private ContentPart.ToolResult failed(ToolCall call, String id, Throwable t) {
        Throwable cause = t.getCause() != null && t.getMessage() == null ? t.getCause() : t;
        LOG.warn("Tool '{}' (call {}) failed at {}{}: {}", call.name(), ToolNames.quoted(id), prefix, call.name(),
                Redactor.redact(cause.getClass().getName() + ": " + cause.getMessage(), secret));
        return new ContentPart.ToolResult(id, "The tool '" + call.name() + "' failed.", true);
    }

    @Override
    public void close() throws Exception {
        template.stop();
    }
}
