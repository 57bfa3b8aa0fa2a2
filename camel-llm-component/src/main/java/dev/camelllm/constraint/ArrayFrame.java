package dev.camelllm.constraint;

/**
 * Inside an array, after its {@code [}: items of the item schema, separated by commas, between
 * {@code minItems} and {@code maxItems} of them (a comma only while another item fits, the closing bracket
 * only once enough are there), with bounded whitespace around them.
 */
final class ArrayFrame extends Frame {

    private static final int OPEN = 0;
    private static final int BEFORE_ITEM = 1;
    private static final int AFTER_ITEM = 2;

    private final Rule.Arr rule;
    private final int depth;
    private final int phase;
    private final int count;
    private final int ws;

    private ArrayFrame(Rule.Arr rule, int depth, int phase, int count, int ws) {
        this.rule = rule;
        this.depth = depth;
        this.phase = phase;
        this.count = count;
        this.ws = ws;
    }

    static ArrayFrame open(Rule.Arr rule, int depth) {
        return new ArrayFrame(rule, depth, OPEN, 0, 0);
    }

    @Override
    State step(int b, State rest) {
        if (Whitespace.is(b)) {
            int run = Whitespace.next(ws, b, depth);
            return run < 0 ? null : new State(new ArrayFrame(rule, depth, phase, count, run), rest);
        }
        switch (phase) {
            case OPEN:
                if (b == ']') {
                    return rule.minItems() == 0 ? rest : null;
                }
                return rule.maxItems() > 0 ? item(b, rest) : null;
            case BEFORE_ITEM:
                return item(b, rest);
            default:
                if (b == ',') {
                    return count < rule.maxItems() ? new State(new ArrayFrame(rule, depth, BEFORE_ITEM, count, 0), rest) : null;
                }
                return b == ']' && count >= rule.minItems() ? rest : null;
        }
    }

    private State item(int b, State rest) {
        ArrayFrame after = new ArrayFrame(rule, depth, AFTER_ITEM, count + 1, 0);
        return Values.start(rule.items(), b, new State(after, rest), depth);
    }
}
