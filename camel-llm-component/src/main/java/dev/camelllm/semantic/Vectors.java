package dev.camelllm.semantic;

/** Cosine similarity of embedding vectors. */
public final class Vectors {

    private Vectors() {
    }

    /** Cosine similarity in [-1, 1]; 0 when either vector is all zeros; vectors of different lengths are refused. */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of different lengths: " + a.length + " and " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
