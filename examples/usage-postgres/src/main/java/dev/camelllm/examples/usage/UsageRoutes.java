package dev.camelllm.examples.usage;

import org.apache.camel.builder.RouteBuilder;

/**
 * The component sends one exchange per finished llm: call to {@code seda:usage} (usage-endpoint), its body
 * the record's fields as a Map (usage-body = map); this route writes each as a row with camel-sql, whose
 * {@code :#name} parameters read the Map. The table is created when the app starts, before any route runs.
 * Two routes of our own call the model, plainly and streamed; the gateway's routes serve HTTP clients.
 */
public class UsageRoutes extends RouteBuilder {

    @Override
    public void configure() throws Exception {
        // CREATE TABLE IF NOT EXISTS ...: runs once, before the routes start (records wait in seda until then)
        getContext().addStartupListener((context, alreadyStarted) -> {
            if (!alreadyStarted) {
                context.createProducerTemplate().sendBody("sql:classpath:usage-schema.sql?dataSource=#usageDb", null);
            }
        });

        from("seda:usage?size={{example.usage-queue:10000}}").routeId("usage-to-postgres")
                .to("sql:classpath:usage-insert.sql?dataSource=#usageDb");

        from("direct:ask").routeId("ask")
                .to("llm:local");

        from("direct:ask-stream").routeId("ask-stream")
                .to("llm:local?stream=true")
                .split(body()).streaming()
                    .to("log:tokens?level=DEBUG")
                .end();
    }
}
