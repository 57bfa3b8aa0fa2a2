package dev.camelllm.semantic;

/**
 * The search of a semantic cache lookup: the candidate most similar to the prompt's vector, by
 * {@link Vectors#cosine}. A candidate of another length (another embedding model's) is not comparable and
 * skipped.
 */
public final class Closest<K> {

    private final float[] vector;
    private K key;
    private double similarity = Double.NaN;

    public Closest(float[] vector) {
        this.vector = vector;
    }

    public void offer(K candidate, float[] candidateVector) {
        if (candidateVector.length != vector.length) {
            return;
        }
        double s = Vectors.cosine(vector, candidateVector);
        if (Double.isNaN(similarity) || s > similarity) {
            similarity = s;
            key = candidate;
        }
    }

    /** The closest candidate when its similarity reaches the threshold, else null. */
    public K reaching(double threshold) {
        return key != null && similarity >= threshold ? key : null;
    }

    /** The best similarity seen; NaN when nothing was compared. */
    public double similarity() {
        return similarity;
    }
}
