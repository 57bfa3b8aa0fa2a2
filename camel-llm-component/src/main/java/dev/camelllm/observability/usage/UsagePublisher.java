package dev.camelllm.observability.usage;

import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends usage records to the usageEndpoint, off the call's path: {@link #publish} only offers the record to
 * a bounded queue and never waits, and one sender thread ({@code llm-usage}) takes records from it and sends
 * each as an exchange (InOnly). A full queue (the endpoint is slow or blocked) or a failed send (the
 * endpoint is down, a seda queue is full) drops the record and counts it on {@value #RECORDS}; the first
 * failed send of an outage is logged at WARN, the next success at INFO.
 */
public final class UsagePublisher implements AutoCloseable {

    public static final String RECORDS = "llm.usage.records";
    public static final String QUEUE = "llm.usage.queue";
    /** Header on each usage exchange: the record's outcome (ok, error, cancelled), for a route's filter or choice. */
    public static final String OUTCOME_HEADER = "CamelLlmUsageOutcome";

    private static final Logger LOG = LoggerFactory.getLogger(UsagePublisher.class);
    /** How long the component's stop waits for the records still queued to be sent. */
    private static final long DRAIN_MILLIS = 2000;

    /** The body of a usage exchange. */
    public enum Body {
        /** the {@link UsageRecord} */
        RECORD,
        /** {@link UsageRecord#toMap()}: what camel-sql's named parameters read */
        MAP,
        /** {@link UsageRecord#toJson()} */
        JSON;

        static Body of(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("usageBody must be record, map or json, was '" + value + "'");
            }
        }
    }

    private final CamelContext context;
    private final Endpoint endpoint;
    private final String safeUri;
    private final Body body;
    private final BlockingQueue<UsageRecord> queue;
    private final MeterRegistry registry;
    private final Counter sent;
    private final Counter droppedFull;
    private final Counter droppedFailed;
    private final Counter droppedStopped;
    private final Meter queueGauge;
    private final Thread sender;
    private final ProducerTemplate template;
    private volatile boolean running = true;
    private boolean failing;

    /**
     * @throws IllegalArgumentException when the endpoint URI cannot be resolved or the body form is unknown
     */
    public UsagePublisher(CamelContext context, String uri, int capacity, String body, MeterRegistry registry) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("usageQueueSize must be at least 1, was " + capacity);
        }
        this.context = context;
        this.safeUri = URISupport.sanitizeUri(uri);
        this.body = Body.of(body == null ? "record" : body);
        try {
            this.endpoint = context.getEndpoint(uri);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("usageEndpoint '" + safeUri + "' cannot be resolved: "
                    + URISupport.sanitizeUri(String.valueOf(e.getMessage())), e);
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.registry = registry;
        this.sent = counter("sent", "none");
        this.droppedFull = counter("dropped", "queue_full");
        this.droppedFailed = counter("dropped", "send_failed");
        this.droppedStopped = counter("dropped", "stopped");
        this.queueGauge = Gauge.builder(QUEUE, queue, BlockingQueue::size)
                .description("Usage records waiting to be sent to the usage endpoint").register(registry);
        this.template = context.createProducerTemplate();
        this.sender = new Thread(this::run, "llm-usage");
        sender.setDaemon(true);
        sender.start();
    }

    private Counter counter(String outcome, String reason) {
        return Counter.builder(RECORDS).description("Usage records sent to the usage endpoint, or dropped")
                .tags("outcome", outcome, "reason", reason).register(registry);
    }

    /** Queues a record to be sent; never waits: a full queue drops it (counted). */
    public void publish(UsageRecord record) {
        if (!running) {
            droppedStopped.increment();
        } else if (!queue.offer(record)) {
            droppedFull.increment();
        }
    }

    private void run() {
        try {
            while (running || !queue.isEmpty()) {
                UsageRecord r = queue.poll(200, TimeUnit.MILLISECONDS);
                if (r != null) {
                    send(r);
                }
            }
        } catch (InterruptedException e) {
            // the stop's drain time is over: what is left is counted by close()
            Thread.currentThread().interrupt();
        }
    }

    private void send(UsageRecord r) {
        Exchange exchange = new DefaultExchange(context, ExchangePattern.InOnly);
        exchange.getMessage().setBody(switch (body) {
            case RECORD -> r;
            case MAP -> r.toMap();
            case JSON -> r.toJson();
        });
        exchange.getMessage().setHeader(OUTCOME_HEADER, r.outcome());
        Throwable error;
        try {
            error = template.send(endpoint, exchange).getException();
        } catch (RuntimeException e) {
            error = e;
        }
        if (error == null) {
            sent.increment();
            if (failing) {
                failing = false;
                LOG.info("Usage records reach {} again", safeUri);
            }
        } else {
            droppedFailed.increment();
            if (!failing) {
                failing = true;
                LOG.warn("Usage records cannot be sent to {} and are dropped (counted on {}) until it takes them again: {}",
                        safeUri, RECORDS, URISupport.sanitizeUri(error.toString()));
            }
        }
    }

    /** Records waiting to be sent. */
    public int queued() {
        return queue.size();
    }

    /** Stops taking records, sends what is queued within a bounded time, and counts the rest as dropped. */
    @Override
    public void close() {
        running = false;
        try {
            sender.join(DRAIN_MILLIS);
            if (sender.isAlive()) {
                sender.interrupt();
                sender.join(DRAIN_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = queue.size();
        queue.clear();
        if (left > 0) {
            droppedStopped.increment(left);
        }
        registry.remove(queueGauge);
        try {
            template.stop();
        } catch (RuntimeException e) {
            LOG.debug("Could not stop the usage records' producer template: {}", e.toString());
        }
    }
}
