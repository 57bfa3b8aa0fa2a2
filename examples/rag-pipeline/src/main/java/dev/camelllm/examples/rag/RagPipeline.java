package dev.camelllm.examples.rag;

import org.apache.camel.main.Main;

/** Runs routes/rag.yaml with application.properties in Camel Main. */
public final class RagPipeline {

    private RagPipeline() {
    }

    public static void main(String[] args) throws Exception {
        new Main(RagPipeline.class).run(args);
    }
}
