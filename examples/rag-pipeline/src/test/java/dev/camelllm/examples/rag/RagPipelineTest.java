package dev.camelllm.examples.rag;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.camelllm.examples.testsupport.LocalPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example as shipped (its YAML routes, properties, documents and questions), offline, on a real
 * PostgreSQL 15 started for the test: the built-in embedding model indexes the paragraphs into the table,
 * the query in PostgreSQL retrieves, for each question, the file that answers it, and the tiny local model
 * answers with that context. A file indexed again (changed, or at the next start on the same database)
 * replaces its rows rather than adding to them.
 */
@Timeout(300)
class RagPipelineTest extends CamelMainTestSupport {

    static final Path ROOT = Path.of(System.getProperty("camel.llm.repoRoot", "../..")).toAbsolutePath().normalize();
    static final Path DOCS = ROOT.resolve("examples/rag-pipeline/docs");
    /** The paragraphs of docs/: three per file. */
    static final int CHUNKS = 9;

    static LocalPostgres postgres;

    @TempDir
    static Path runs;
    static final AtomicInteger RUN = new AtomicInteger();

    /**
     * This test's folder under {@link #runs}: set by useOverridePropertiesWithPropertiesComponent, which the
     * superclass's constructor calls (hence no initializer here, which would run after it and clear it).
     */
    Path tmp;

    @BeforeAll
    static void startPostgres() throws Exception {
        Assumptions.assumeTrue(LocalPostgres.installed(),
                "PostgreSQL 15 is not installed (" + LocalPostgres.BIN + "/initdb): the rag-pipeline example's test is skipped");
        postgres = LocalPostgres.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected Class<?> getMainClass() {
        return RagPipeline.class;
    }

    /** Each test runs the app on a copy of docs/ that it may change; both tests share the database. */
    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        tmp = runs.resolve("run-" + RUN.incrementAndGet());
        try {
            Path docs = Files.createDirectories(tmp.resolve("docs"));
            try (var files = Files.list(DOCS)) {
                for (Path f : files.toList()) {
                    Files.copy(f, docs.resolve(f.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not copy " + DOCS, e);
        }
        Properties p = new Properties();
        p.put("rag.docs", tmp.resolve("docs").toString());
        p.put("rag.questions", ROOT.resolve("examples/rag-pipeline/questions").toString());
        p.put("rag.out", tmp.resolve("answers").toString());
        p.put("camel.beans.ragDb.url", postgres.jdbcUrl());
        p.put("camel.component.llm.model-path", ROOT.resolve("models/tiny-chat").toString());
        p.put("camel.main.duration-max-idle-seconds", "0");
        return p;
    }

    @Test
    void eachQuestionIsAnsweredFromTheFileThatHoldsItsAnswer() throws Exception {
        String[][] expected = {{"q1-integration.txt", "camel.txt"}, {"q2-caffeine.txt", "coffee.txt"},
            {"q3-planes.txt", "volcanoes.txt"}};
        Path out = tmp.resolve("answers");
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (String[] e : expected) {
                if (!Files.isRegularFile(out.resolve(e[0] + ".sources"))) {
                    return false;
                }
            }
            return true;
        });
        for (String[] e : expected) {
            String sources = Files.readString(out.resolve(e[0] + ".sources"), StandardCharsets.UTF_8);
            // the closest paragraph comes first
            assertThat(sources.split(",")[0]).as("sources of %s", e[0]).isEqualTo(e[1]);
            assertThat(out.resolve(e[0])).isRegularFile();
        }
        // whichever test ran first, the files were indexed once or twice into the same table: one row a paragraph
        assertThat(count(null)).isEqualTo(CHUNKS);
        assertThat(scalar("SELECT cardinality(embedding) FROM rag_chunk WHERE source = 'coffee.txt' AND chunk_index = 0"))
                .isEqualTo(384L);
    }

    @Test
    void aFileIndexedAgainReplacesItsRows() throws Exception {
        Path coffee = tmp.resolve("docs/coffee.txt");
        String original = Files.readString(coffee, StandardCharsets.UTF_8);
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200))
                .until(() -> count(null) == CHUNKS && tmp.resolve("answers/q1-integration.txt.sources").toFile().isFile());
        Set<String> firstIngest = ingestIds("coffee.txt");
        assertThat(firstIngest).hasSize(1);

        // one paragraph left: the two after it are deleted
        replace(coffee, original.substring(0, original.indexOf("\n\n")), 1);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> count("coffee.txt") == 1);
        assertThat(count(null)).isEqualTo(CHUNKS - 2);

        // the same text again, as a changed file: three rows again, of a new ingest, none doubled
        replace(coffee, original, 2);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> count("coffee.txt") == 3);
        Set<String> lastIngest = ingestIds("coffee.txt");
        assertThat(lastIngest).hasSize(1).doesNotContainAnyElementsOf(firstIngest);
        assertThat(count(null)).isEqualTo(CHUNKS);
        assertThat(scalar("SELECT count(DISTINCT chunk_index) FROM rag_chunk WHERE source = 'coffee.txt'")).isEqualTo(3L);
    }

    /**
     * The file's new text, written beside it and moved over it (the consumer never reads half a file), with a
     * modification time {@code secondsLater} after the original's, so that it counts as changed.
     */
    private static void replace(Path file, String text, int secondsLater) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, text, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(next, FileTime.from(Instant.now().plusSeconds(secondsLater)));
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Connection db() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
    }

    /** The rows of one file, or of all with {@code null}; 0 before the table exists. */
    private static long count(String source) throws SQLException {
        try (Connection c = db()) {
            if (scalar(c, "SELECT count(*) FROM pg_tables WHERE tablename = 'rag_chunk'") == 0) {
                return 0;
            }
            if (source == null) {
                return scalar(c, "SELECT count(*) FROM rag_chunk");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM rag_chunk WHERE source = ?")) {
                ps.setString(1, source);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }
    }

    private static long scalar(String sql) throws SQLException {
        try (Connection c = db()) {
            return scalar(c, sql);
        }
    }

    private static long scalar(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getLong(1);
        }
    }

    private static Set<String> ingestIds(String source) throws SQLException {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("SELECT ingest_id FROM rag_chunk WHERE source = ?")) {
            ps.setString(1, source);
            Set<String> ids = new TreeSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }
}
