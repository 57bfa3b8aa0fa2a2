package dev.camelllm.constraint;

/**
 * Inside an object, after its {@code {}. With declared properties, each key is one of the properties not yet
 * written (matched byte by byte against their escaped names), and the object closes once every required
 * property is there; a comma is allowed only while a property is left. A free object takes any key (a
 * string) and values of its value schema. Whitespace is allowed around every token, bounded by
 * {@link Whitespace}; the frame's {@code depth} (1 for the root object) sets the indent it allows.
 */
final class ObjectFrame extends Frame {

    private static final int OPEN = 0;
    private static final int BEFORE_KEY = 1;
    private static final int IN_KEY = 2;
    private static final int AFTER_KEY = 3;
    private static final int BEFORE_VALUE = 4;
    private static final int AFTER_VALUE = 5;

    private final Rule.Obj rule;
    private final int depth;
    private final int phase;
    /** Properties written (bits of declared properties). */
    private final long used;
    /** In a key: the properties whose names match what is written; after it, the property's index (-1: free). */
    private final long candidates;
    private final int property;
    private final int keyPos;
    private final int ws;

    private ObjectFrame(Rule.Obj rule, int depth, int phase, long used, long candidates, int property, int keyPos, int ws) {
        this.rule = rule;
        this.depth = depth;
        this.phase = phase;
        this.used = used;
        this.candidates = candidates;
        this.property = property;
        this.keyPos = keyPos;
        this.ws = ws;
    }

    static ObjectFrame open(Rule.Obj rule, int depth) {
        return new ObjectFrame(rule, depth, OPEN, 0, 0, -1, 0, 0);
    }

    private ObjectFrame phase(int phase) {
        return new ObjectFrame(rule, depth, phase, used, 0, property, 0, 0);
    }

    @Override
    State step(int b, State rest) {
        if (phase != IN_KEY && Whitespace.is(b)) {
            int run = Whitespace.next(ws, b, depth);
            return run < 0 ? null : new State(new ObjectFrame(rule, depth, phase, used, candidates, property, keyPos, run), rest);
        }
        switch (phase) {
            case OPEN:
                if (b == '}') {
                    return requiredWritten() ? rest : null;
                }
                return b == '"' ? beginKey(rest) : null;
            case BEFORE_KEY:
                return b == '"' ? beginKey(rest) : null;
            case IN_KEY:
                return inKey(b, rest);
            case AFTER_KEY:
                return b == ':' ? new State(phase(BEFORE_VALUE), rest) : null;
            case BEFORE_VALUE:
                return value(b, rest);
            default:
                if (b == ',') {
                    return morePropertiesLeft() ? new State(phase(BEFORE_KEY), rest) : null;
                }
                return b == '}' && requiredWritten() ? rest : null;
        }
    }

    private State beginKey(State rest) {
        if (!rule.declared()) {
            ObjectFrame afterKey = new ObjectFrame(rule, depth, AFTER_KEY, used, 0, -1, 0, 0);
            return new State(new StringFrame(Rule.Str.FREE, 0, 0, 0), new State(afterKey, rest));
        }
        long left = rule.all() & ~used;
        return left == 0 ? null : new State(new ObjectFrame(rule, depth, IN_KEY, used, left, -1, 0, 0), rest);
    }

    private State inKey(int b, State rest) {
        byte[][] keys = rule.keys();
        if (b == '"') {
            for (long c = candidates; c != 0; c &= c - 1) {
                int i = Long.numberOfTrailingZeros(c);
                if (keys[i].length == keyPos) {
                    return new State(new ObjectFrame(rule, depth, AFTER_KEY, used, 0, i, 0, 0), rest);
                }
            }
        }
        long next = 0;
        for (long c = candidates; c != 0; c &= c - 1) {
            int i = Long.numberOfTrailingZeros(c);
            if (keys[i].length > keyPos && (keys[i][keyPos] & 0xff) == b) {
                next |= 1L << i;
            }
        }
        return next == 0 ? null : new State(new ObjectFrame(rule, depth, IN_KEY, used, next, -1, keyPos + 1, 0), rest);
    }

    private State value(int b, State rest) {
        SchemaNode schema = property >= 0 ? rule.properties()[property] : rule.values();
        long written = property >= 0 ? used | 1L << property : used;
        ObjectFrame after = new ObjectFrame(rule, depth, AFTER_VALUE, written, 0, -1, 0, 0);
        return Values.start(schema, b, new State(after, rest), depth);
    }

    private boolean requiredWritten() {
        return (rule.required() & ~used) == 0;
    }

    private boolean morePropertiesLeft() {
        return !rule.declared() || (rule.all() & ~used) != 0;
    }
}
