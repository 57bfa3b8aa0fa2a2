package dev.camelllm.semantic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;

/**
 * Picks the {@code CamelLlmTask} of a prompt by meaning: the prompt is embedded (through an
 * {@code llm:…?operation=embed} endpoint, by default the built-in local model) and compared with example
 * utterances of each task; the task of the closest example wins when its cosine similarity reaches
 * {@code threshold}, else {@code defaultTask}. A task already set in the header is kept. The examples are
 * embedded once, on the first prompt or {@link #warmUp()}; after that a decision is one embedding of the
 * prompt plus a few hundred dot products (about a millisecond on a CPU, docs/benchmarks.md).
 *
 * <p>As a bean in a YAML route ({@code - process: {ref: taskRouter}}) with properties:
 * <pre>
 * camel.beans.taskRouter = #class:dev.camelllm.semantic.SemanticTaskRouter
 * camel.beans.taskRouter.examples[reasoning] = Why is the sky blue?|Explain step by step how …
 * camel.beans.taskRouter.examples[tool_use] = What is the weather in Paris?|…
 * camel.beans.taskRouter.threshold = 0.5
 * camel.beans.taskRouter.default-task = local
 * </pre>
 * Out: the {@code CamelLlmTask} header, and {@code CamelLlmTaskScore} (the best similarity, a Double; absent
 * when the header was set already).
 */
public class SemanticTaskRouter implements Processor, CamelContextAware {

    /** The header the component reads the task from (dev.camelllm.component.LlmConstants.TASK). */
    public static final String TASK = "CamelLlmTask";
    public static final String SCORE = "CamelLlmTaskScore";
    /** The exchange property of the request's id (LlmConstants.REQUEST_ID_PROPERTY), which the prompt's embedding carries too. */
    static final String REQUEST_ID = "CamelLlmRequestId";

    private CamelContext camelContext;
    private String embedUri = "llm:embed?operation=embed";
    /** Task to utterances as configured (a List, or a String of them): property binding puts into it. */
    private final Map<String, Object> examples = new LinkedHashMap<>();
    private double threshold = 0.5;
    private String defaultTask;
    private volatile Index index;
    private ProducerTemplate template;

    /** The embedded examples: one vector per utterance, with its task. */
    private record Index(List<String> tasks, List<float[]> vectors) {
    }

    /** What the router decided: the task, the best similarity and the task it belonged to. */
    public record Decision(String task, double score, String nearest) {
    }

    /** Picks the task for the prompt. */
    public Decision decide(String prompt) {
        return decide(prompt, null);
    }

    /** Picks the task for the prompt of the request {@code requestId} (null: none), whose id its embedding call carries. */
    private Decision decide(String prompt, String requestId) {
        if (prompt == null || prompt.isBlank()) {
            return new Decision(defaultTask, 0, null);
        }
        Index idx = index();
        float[] v = embed(List.of(prompt), requestId).get(0);
        double best = -2;
        String nearest = null;
        for (int i = 0; i < idx.vectors().size(); i++) {
            double s = Vectors.cosine(v, idx.vectors().get(i));
            if (s > best) {
                best = s;
                nearest = idx.tasks().get(i);
            }
        }
        return new Decision(best >= threshold ? nearest : defaultTask, best, nearest);
    }

    @Override
    public void process(Exchange exchange) {
        if (camelContext == null) {
            camelContext = exchange.getContext(); // a processor in a route is not given its context
        }
        String given = exchange.getMessage().getHeader(TASK, String.class);
        if (given != null && !given.isBlank()) {
            return;
        }
        String requestId = exchange.getProperty(REQUEST_ID, String.class);
        Decision d = decide(exchange.getMessage().getBody(String.class),
                requestId != null ? requestId : exchange.getExchangeId());
        if (d.task() != null) {
            exchange.getMessage().setHeader(TASK, d.task());
        } else {
            exchange.getMessage().removeHeader(TASK);
        }
        exchange.getMessage().setHeader(SCORE, d.score());
    }

    /** Embeds the examples now, so that the first prompt does not wait for them. */
    public void warmUp() {
        index();
        embed(List.of("warm-up"), null);
    }

    private Index index() {
        Index idx = index;
        if (idx == null) {
            synchronized (this) {
                idx = index;
                if (idx == null) {
                    if (examples.isEmpty()) {
                        throw new IllegalStateException("SemanticTaskRouter has no examples: set examples[TASK] = "
                                + "utterance|utterance|… for each task");
                    }
                    List<String> tasks = new ArrayList<>();
                    List<String> texts = new ArrayList<>();
                    examples.forEach((task, configured) -> utterances(task, configured).forEach(u -> {
                        tasks.add(task.strip());
                        texts.add(u);
                    }));
                    idx = new Index(List.copyOf(tasks), embed(texts, null));
                    index = idx;
                }
            }
        }
        return idx;
    }

    @SuppressWarnings("unchecked")
    private List<float[]> embed(List<String> texts, String requestId) {
        if (template == null) {
            if (camelContext == null) {
                throw new IllegalStateException("SemanticTaskRouter needs its CamelContext (bind it as a bean, or call "
                        + "setCamelContext)");
            }
            template = camelContext.createProducerTemplate();
        }
        Exchange done = template.request(embedUri, e -> {
            e.getMessage().setBody(texts);
            if (requestId != null) {
                e.setProperty(REQUEST_ID, requestId);
            }
        });
        if (done.getException() != null) {
            throw CamelExecutionException.wrapCamelExecutionException(done, done.getException());
        }
        Object out = done.getMessage().getBody();
        if (!(out instanceof List<?> list) || list.size() != texts.size()
                || !list.stream().allMatch(float[].class::isInstance)) {
            throw new IllegalStateException("The endpoint " + embedUri + " did not answer one vector per text: "
                    + "use an llm: endpoint with operation=embed");
        }
        return (List<float[]>) list;
    }

    /**
     * The examples of one task: a List of utterances, or one String of utterances separated by {@code |} or new
     * lines (as a properties file writes them).
     */
    public void setExamples(Map<String, Object> byTask) {
        examples.clear();
        byTask.forEach(this::addExamples);
        index = null;
    }

    /** The examples as configured; camel.beans.NAME.examples[TASK] = … puts into this map. */
    public Map<String, Object> getExamples() {
        return examples;
    }

    /** Adds utterances for one task. */
    public SemanticTaskRouter addExamples(String task, Object utterances) {
        if (task == null || task.isBlank()) {
            throw new IllegalArgumentException("a task name must not be blank");
        }
        List<String> list = new ArrayList<>();
        if (examples.containsKey(task)) {
            list.addAll(utterances(task, examples.get(task)));
        }
        list.addAll(utterances(task, utterances));
        examples.put(task, list);
        index = null;
        return this;
    }

    private static List<String> utterances(String task, Object configured) {
        List<String> list = new ArrayList<>();
        if (configured instanceof Collection<?> c) {
            c.forEach(u -> list.add(String.valueOf(u)));
        } else if (configured != null) {
            for (String u : configured.toString().split("[|\\n]")) {
                list.add(u);
            }
        }
        list.replaceAll(String::strip);
        list.removeIf(String::isEmpty);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("task '" + task + "' has no example utterances");
        }
        return list;
    }

    public String getEmbedUri() {
        return embedUri;
    }

    /** The llm: endpoint that embeds (operation=embed); default {@code llm:embed?operation=embed}. */
    public void setEmbedUri(String embedUri) {
        this.embedUri = embedUri;
        index = null;
    }

    public double getThreshold() {
        return threshold;
    }

    /** The least cosine similarity to an example for its task to be chosen (default 0.5); below it, defaultTask. */
    public void setThreshold(double threshold) {
        if (Double.isNaN(threshold) || threshold < -1 || threshold > 1) {
            throw new IllegalArgumentException("threshold is a cosine similarity, -1 to 1, was " + threshold);
        }
        this.threshold = threshold;
    }

    public String getDefaultTask() {
        return defaultTask;
    }

    /** The task when no example is close enough; null leaves the header unset (the endpoint's own profile). */
    public void setDefaultTask(String defaultTask) {
        this.defaultTask = defaultTask == null || defaultTask.isBlank() ? null : defaultTask.strip();
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
