package dev.camelllm.constraint;

/**
 * One of a fixed set of JSON texts (enum and const members, {@code true}, {@code false}, {@code null}). The
 * members are sorted, so those that share the bytes written so far are a range {@code [lo, hi)}; a member
 * that ends here is the range's first. When one member is written whole and none extends it, the frame
 * pops at once; otherwise (say {@code 1} of {@code 1} and {@code 10}) it may end, and a byte that extends
 * no member goes to the frame below.
 */
final class LiteralFrame extends Frame {

    private final byte[][] members;
    private final int lo;
    private final int hi;
    private final int pos;

    private LiteralFrame(byte[][] members, int lo, int hi, int pos) {
        this.members = members;
        this.lo = lo;
        this.hi = hi;
        this.pos = pos;
    }

    static State start(Rule.Literals rule, int b, State rest) {
        return new LiteralFrame(rule.members(), 0, rule.members().length, 0).step(b, rest);
    }

    @Override
    boolean canEnd() {
        return members[lo].length == pos;
    }

    @Override
    State step(int b, State rest) {
        int from = -1;
        int to = -1;
        for (int i = lo; i < hi; i++) {
            byte[] m = members[i];
            if (m.length > pos && (m[pos] & 0xff) == b) {
                if (from < 0) {
                    from = i;
                }
                to = i + 1;
            } else if (from >= 0) {
                break;
            }
        }
        if (from < 0) {
            return canEnd() ? rest.step(b) : null;
        }
        if (to - from == 1 && members[from].length == pos + 1) {
            return rest;
        }
        return new State(new LiteralFrame(members, from, to, pos + 1), rest);
    }
}
