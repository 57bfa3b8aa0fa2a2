package dev.camelllm.routes;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How an application picks the GPU build of ONNX Runtime: by dependencies it declares itself (a profile of the
 * component's POM would not reach it). The snippet of docs/local-models.md, the component's POM and the routes
 * app's gpu profile (an application like any other) must say the same thing, with the version the build uses.
 */
class GpuBuildDocsTest {

    private static final String ORT = "com.microsoft.onnxruntime";

    private static Path root() {
        return Path.of(System.getProperty("camel.llm.repoRoot", "..")).toAbsolutePath().normalize();
    }

    @Test
    void theDocumentedSnippetSwapsTheCpuBuildForTheGpuBuildOfTheSameVersion() throws Exception {
        String docs = Files.readString(root().resolve("docs/local-models.md"));
        Matcher snippet = Pattern.compile("## Run it on a GPU.*?```xml\n(.*?)```", Pattern.DOTALL).matcher(docs);
        assertThat(snippet.find()).as("an xml snippet under 'Run it on a GPU'").isTrue();
        Element dependencies = parse("<dependencies>" + snippet.group(1) + "</dependencies>");

        assertSwapsTheBuilds(children(dependencies, "dependency"), true);
    }

    @Test
    void theComponentDependsOnTheCpuBuildWithoutProfiles() throws Exception {
        Element pom = parse(Files.readString(root().resolve("camel-llm-component/pom.xml")));

        assertThat(children(pom, "profiles")).isEmpty();
        assertThat(children(child(pom, "dependencies"), "dependency"))
                .anySatisfy(d -> assertThat(coordinates(d)).isEqualTo(ORT + ":onnxruntime"))
                .noneSatisfy(d -> assertThat(coordinates(d)).isEqualTo(ORT + ":onnxruntime_gpu"));
    }

    @Test
    void theRoutesAppsGpuProfileDoesWhatTheDocsSay() throws Exception {
        Element pom = parse(Files.readString(root().resolve("routes/pom.xml")));
        Element gpu = children(child(pom, "profiles"), "profile").stream()
                .filter(p -> text(p, "id").equals("gpu")).findFirst().orElseThrow();

        assertSwapsTheBuilds(children(child(gpu, "dependencies"), "dependency"), false);
    }

    /** The component without the CPU build, and the GPU build (of the build's version, when one is written). */
    private static void assertSwapsTheBuilds(List<Element> dependencies, boolean versioned) throws Exception {
        Element component = dependencies.stream().filter(d -> coordinates(d).equals("dev.camelllm:camel-llm-component"))
                .findFirst().orElseThrow();
        assertThat(children(child(component, "exclusions"), "exclusion")).extracting(GpuBuildDocsTest::coordinates)
                .contains(ORT + ":onnxruntime");
        Element gpu = dependencies.stream().filter(d -> coordinates(d).equals(ORT + ":onnxruntime_gpu")).findFirst()
                .orElseThrow();
        if (versioned) {
            assertThat(text(gpu, "version")).isEqualTo(onnxRuntimeVersion());
            assertThat(text(component, "version")).isEqualTo(text(parse(Files.readString(root().resolve("pom.xml"))), "version"));
        }
    }

    private static String onnxRuntimeVersion() throws Exception {
        Element parent = parse(Files.readString(root().resolve("pom.xml")));
        return text(child(parent, "properties"), "onnxruntime.version");
    }

    private static Element parse(String xml) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        return doc.getDocumentElement();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? "" : e.getTextContent().trim();
    }

    private static String coordinates(Element dependency) {
        return text(dependency, "groupId") + ":" + text(dependency, "artifactId");
    }
}
