package dev.camelllm.examples.javadsl;

import org.apache.camel.main.Main;

/** Camel Main with the Java DSL routes of {@link AskRoutes} (found by package scan); options come from application.properties. */
public final class JavaDslApp {

    private JavaDslApp() {
    }

    public static void main(String[] args) throws Exception {
        // Camel Main finds the RouteBuilder classes of this package by itself
        new Main(JavaDslApp.class).run(args);
    }
}
