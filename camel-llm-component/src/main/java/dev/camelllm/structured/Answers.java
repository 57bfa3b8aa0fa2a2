package dev.camelllm.structured;

/**
 * The one leniency towards model output: an answer that is, as a whole, a single Markdown code block
 * ({@code ```json}, {@code ```JSON} or a bare {@code ```} fence) is read without the fence, since models
 * asked for JSON in a prompt often wrap it so. Text before or after the block is not cut away: such an
 * answer is invalid and re-asked.
 */
final class Answers {

    private Answers() {
    }

    static String unfence(String answer) {
        if (answer == null) {
            return null;
        }
        String t = answer.strip();
        if (!t.startsWith("```") || !t.endsWith("```") || t.length() < 6) {
            return t;
        }
        int firstLine = t.indexOf('\n');
        if (firstLine < 0) {
            return t;
        }
        String info = t.substring(3, firstLine).strip();
        if (!info.isEmpty() && !info.equalsIgnoreCase("json")) {
            return t;
        }
        String inner = t.substring(firstLine + 1, t.length() - 3);
        // a second fence inside means several blocks, not one: leave it to fail
        return inner.contains("```") ? t : inner.strip();
    }
}
