package dev.camelllm.provider.onnx;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A download progress bar on standard error. On a terminal it redraws one line at most every 250 ms; in
 * a log (no console) it writes a line at most every 5 seconds. The final state is always written.
 */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final String label;
    private final long total;
    private final long startBytes;
    private final long startNanos = System.nanoTime();
    private final boolean console = System.console() != null;
    private final long intervalNanos = console ? 250_000_000L : 5_000_000_000L;
    private long lastDraw;
    private long done;

    /**
     * @param total bytes in all, or -1 when unknown
     * @param already bytes already there (a resumed download)
     */
    ProgressBar(String label, long total, long already) {
        this.label = label;
        this.total = total;
        this.startBytes = already;
        this.done = already;
        draw(false);
    }

    void advance(long bytes) {
        done += bytes;
        long now = System.nanoTime();
        if (now - lastDraw >= intervalNanos) {
            draw(false);
        }
    }

    void finish() {
        draw(true);
    }

    private void draw(boolean last) {
        lastDraw = System.nanoTime();
        PrintStream err = System.err;
        StringBuilder sb = new StringBuilder(label).append(' ');
        if (total > 0) {
            int filled = (int) (WIDTH * Math.min(1.0, done / (double) total));
            sb.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%% ", (int) (100 * Math.min(1.0, done / (double) total))))
                    .append(size(done)).append('/').append(size(total));
        } else {
            sb.append(size(done));
        }
        double seconds = (lastDraw - startNanos) / 1e9;
        if (seconds > 0.05) {
            sb.append("  ").append(size((long) ((done - startBytes) / seconds))).append("/s");
        }
        if (console) {
            err.print("\r" + sb + "   ");
            if (last) {
                err.println();
            }
        } else {
            err.println(sb);
        }
        err.flush();
    }

    private static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / (1024.0 * 1024 * 1024));
    }
}
