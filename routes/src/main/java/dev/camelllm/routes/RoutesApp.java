package dev.camelllm.routes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.main.Main;

/**
 * The routes app: Camel Main running the YAML routes shipped in this module ({@code classpath:routes/*.yaml})
 * plus those of a directory given with {@code --routes DIR}. Every other argument goes to Camel Main.
 */
public final class RoutesApp {

    private RoutesApp() {
    }

    public static void main(String[] args) throws Exception {
        List<String> camelArgs = new ArrayList<>();
        String routesDir = System.getenv("LLM_ROUTES_DIR");
        for (int i = 0; i < args.length; i++) {
            if (("--routes".equals(args[i]) || "-r".equals(args[i])) && i + 1 < args.length) {
                routesDir = args[++i];
            } else {
                camelArgs.add(args[i]);
            }
        }
        RoutesTracing.installIfEnabled(System.getenv());
        Main main = new Main(RoutesApp.class);
        main.configure().withRoutesIncludePattern(routesIncludePattern(routesDir));
        main.run(camelArgs.toArray(String[]::new));
    }

    /** The shipped routes, plus every *.yaml of the given directory (which must exist). */
    static String routesIncludePattern(String routesDir) {
        String pattern = "classpath:routes/*.yaml";
        if (routesDir == null || routesDir.isBlank()) {
            return pattern;
        }
        Path dir = Path.of(routesDir).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--routes " + routesDir + ": no such directory");
        }
        return pattern + ",file:" + dir + "/*.yaml";
    }
}
