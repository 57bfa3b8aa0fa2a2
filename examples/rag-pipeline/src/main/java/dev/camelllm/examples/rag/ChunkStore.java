package dev.camelllm.examples.rag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;

import dev.camelllm.semantic.Vectors;

/**
 * The example's vector store: chunks with their embedding and source file, in memory, searched by cosine
 * similarity over all of them (fine for a few thousand chunks; a database with a vector index is the next
 * step). Questions wait, bounded, until the documents of the first poll are stored.
 */
public class ChunkStore {

    /** The retrieved chunks' files, comma-separated, on the question's message. */
    public static final String SOURCES = "RagSources";

    record Chunk(String text, String source, float[] vector) {
    }

    private final List<Chunk> chunks = new ArrayList<>();
    private final CountDownLatch ingested = new CountDownLatch(1);
    private int topK = 2;
    private long waitSeconds = 120;

    public synchronized void add(String text, String source, float[] vector) {
        chunks.add(new Chunk(text.strip(), source, vector));
    }

    /** The last file of the first poll was stored: questions may be answered. */
    public void markIngested() {
        ingested.countDown();
    }

    public synchronized int size() {
        return chunks.size();
    }

    /**
     * The body (the question's vector) becomes the context: the {@code topK} closest chunks, each with its
     * source; their files go in the {@value #SOURCES} header.
     */
    public void retrieve(Exchange exchange) throws InterruptedException {
        if (!ingested.await(waitSeconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("No documents were stored within " + waitSeconds + " s: check rag.docs");
        }
        float[] query = exchange.getMessage().getBody(float[].class);
        if (query == null) {
            throw new IllegalArgumentException("retrieve needs the question's embedding (float[]) as the body");
        }
        List<Chunk> best;
        synchronized (this) {
            best = chunks.stream()
                    .sorted(Comparator.comparingDouble((Chunk c) -> Vectors.cosine(query, c.vector())).reversed())
                    .limit(topK).toList();
        }
        exchange.getMessage().setHeader(SOURCES, best.stream().map(Chunk::source).distinct().collect(Collectors.joining(",")));
        exchange.getMessage().setBody(best.stream().map(c -> "[" + c.source() + "] " + c.text())
                .collect(Collectors.joining("\n")));
    }

    public void setTopK(int topK) {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, was " + topK);
        }
        this.topK = topK;
    }

    public void setWaitSeconds(long waitSeconds) {
        this.waitSeconds = waitSeconds;
    }
}
