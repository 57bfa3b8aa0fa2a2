package dev.camelllm.examples.tickets;

import org.apache.camel.main.Main;

/** Runs routes/tickets.yaml with application.properties in Camel Main. */
public final class TicketPipeline {

    private TicketPipeline() {
    }

    public static void main(String[] args) throws Exception {
        new Main(TicketPipeline.class).run(args);
    }
}
