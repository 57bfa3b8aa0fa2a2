package dev.camelllm.observability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

/**
 * A Log4j 2 appender on the root logger that keeps every event, for the duration of a test. Public for the
 * gateway module's tests (through the test-jar).
 */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    /** One captured event, with everything an appender could write: message, context data, stack trace. */
    public record Line(String logger, Level level, String message, Map<String, String> context, String thrown) {
        public String all() {
            return logger + " " + level + " " + message + " " + context + " " + thrown;
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogCapture() {
        super("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
    }

    public static LogCapture attach() {
        LogCapture capture = new LogCapture();
        capture.start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        config.getRootLogger().addAppender(capture, Level.ALL, null);
        ctx.updateLoggers();
        return capture;
    }

    @Override
    public void append(LogEvent event) {
        String thrown = null;
        if (event.getThrown() != null) {
            StringWriter w = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(w));
            thrown = w.toString();
        }
        lines.add(new Line(event.getLoggerName(), event.getLevel(), event.getMessage().getFormattedMessage(),
                event.getContextData().toMap(), thrown));
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    public List<Line> of(String logger) {
        return lines.stream().filter(l -> l.logger().equals(logger)).toList();
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(getName());
        ctx.updateLoggers();
        stop();
    }
}
