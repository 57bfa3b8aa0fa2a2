package dev.camelllm.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SseReaderTest {

    private static List<SseEvent> readAll(InputStream in) throws IOException {
        SseReader reader = new SseReader(in);
        List<SseEvent> events = new ArrayList<>();
        SseEvent e;
        while ((e = reader.next()) != null) {
            events.add(e);
        }
        return events;
    }

    private static List<SseEvent> readAll(String text) throws IOException {
        return readAll(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "\n", "\r\n", "\r" })
    void everyLineEndingWorks(String eol) throws IOException {
        String text = "event: message_start" + eol + "data: {\"a\":1}" + eol + eol
                + "data: second" + eol + eol;
        List<SseEvent> events = readAll(text);
        assertThat(events).containsExactly(
                new SseEvent("message_start", "{\"a\":1}", null),
                new SseEvent("message", "second", null));
    }

    @Test
    void multiLineDataIsJoinedWithNewlines() throws IOException {
        assertThat(readAll("data: one\ndata: two\ndata:three\n\n"))
                .containsExactly(new SseEvent("message", "one\ntwo\nthree", null));
    }

    @Test
    void commentsAndUnknownFieldsAreIgnoredAndIdIsKept() throws IOException {
        String text = ": keep-alive\nretry: 1000\nfoo: bar\nid: 7\nevent: ping\ndata: {}\n\n";
        assertThat(readAll(text)).containsExactly(new SseEvent("ping", "{}", "7"));
    }

    @Test
    void blankLinesWithoutDataDispatchNothingAndResetTheEventName() throws IOException {
        String text = "\n\nevent: lost\n\ndata: x\n\n";
        assertThat(readAll(text)).containsExactly(new SseEvent("message", "x", null));
    }

    @Test
    void anUnfinishedLastEventIsDropped() throws IOException {
        assertThat(readAll("data: complete\n\ndata: cut off")).containsExactly(new SseEvent("message", "complete", null));
    }

    @Test
    void aLeadingBomIsSkipped() throws IOException {
        assertThat(readAll("\uFEFFdata: x\n\n")).containsExactly(new SseEvent("message", "x", null));
    }

    @Test
    void aCharacterSplitAcrossReadsStaysWhole() throws IOException {
        byte[] bytes = "data: caf\u00e9 \u2615\n\n".getBytes(StandardCharsets.UTF_8);
        // hands out one byte per read, as a slow network might
        InputStream trickle = new InputStream() {
            int pos;

            @Override
            public int read() {
                return pos < bytes.length ? bytes[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= bytes.length) {
                    return -1;
                }
                b[off] = bytes[pos++];
                return 1;
            }
        };
        assertThat(readAll(trickle)).containsExactly(new SseEvent("message", "caf\u00e9 \u2615", null));
    }

    @Test
    void dataWithoutSpaceAfterColonAndEmptyData() throws IOException {
        assertThat(readAll("data:[DONE]\n\ndata\n\n"))
                .containsExactly(new SseEvent("message", "[DONE]", null), new SseEvent("message", "", null));
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedOnceItPassesIt() {
        // no line end at all: the reader must stop at the limit, not wait for the end of the data
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }
        };
        SseReader reader = new SseReader(endless, 1024);

        assertThatThrownBy(reader::next).isInstanceOf(SseLimitException.class)
                .hasMessage("a line of the event stream is larger than 1024 bytes")
                .satisfies(e -> assertThat(((SseLimitException) e).limitBytes()).isEqualTo(1024));
    }

    @Test
    void anEventWhoseDataLinesTogetherPassTheLimitIsRefused() {
        String line = "data: " + "y".repeat(94) + "\n"; // 100 bytes with its line end
        SseReader reader = new SseReader(new ByteArrayInputStream((line.repeat(11) + "\n").getBytes(StandardCharsets.UTF_8)), 1024);

        assertThatThrownBy(reader::next).isInstanceOf(SseLimitException.class)
                .hasMessage("an event of the event stream is larger than 1024 bytes");
    }

    @Test
    void aLineAndAnEventUpToTheLimitAreRead() throws IOException {
        String data = "z".repeat(1024 - "data: ".length());
        SseReader reader = new SseReader(new ByteArrayInputStream(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8)),
                1024 + 1);

        assertThat(reader.next()).isEqualTo(new SseEvent("message", data, null));
        assertThat(reader.next()).isNull();
    }
}
