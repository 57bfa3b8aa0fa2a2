package dev.camelllm.examples.usage;

import org.apache.camel.main.Main;

/**
 * Camel Main with {@link UsageRoutes} (found by package scan) and the gateway's routes
 * (camel.main.routes-builder-classes); options come from application.properties.
 */
public final class UsageApp {

    private UsageApp() {
    }

    public static void main(String[] args) throws Exception {
        new Main(UsageApp.class).run(args);
    }
}
