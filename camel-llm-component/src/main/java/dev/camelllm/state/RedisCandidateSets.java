package dev.camelllm.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import io.lettuce.core.ScriptOutputType;

/**
 * {@link CandidateSets} in Redis: per set a sorted set of the entries' ids by when they were added (the
 * Redis clock) and a hash of their probes and payloads, under one hash tag (one cluster slot). A lookup is
 * one script (the newest ids younger than the age, and their probes); an add is one script that also drops
 * what expired or is over the bound, so a set never holds more than its bound for longer than one add.
 */
final class RedisCandidateSets implements CandidateSets {

    private final RedisStateStore store;
    private final RedisStateStore.Script newest = RedisStateStore.Script.load("candidates-newest.lua");
    private final RedisStateStore.Script add = RedisStateStore.Script.load("candidates-add.lua");

    RedisCandidateSets(RedisStateStore store) {
        this.store = store;
    }

    private static String[] keys(String set) {
        String base = RedisStateStore.PREFIX + "candidates:{" + set + "}:";
        return new String[] {base + "ids", base + "entries"};
    }

    @Override
    public List<Candidate> newest(String set, int max, Duration maxAge) {
        List<Object> flat = store.await(store.run(newest, ScriptOutputType.MULTI, keys(set), Integer.toString(max),
                Long.toString(Math.max(1, maxAge.toMillis()))), null);
        List<Candidate> out = new ArrayList<>(flat.size() / 2);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.add(new Candidate(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1))));
        }
        return out;
    }

    @Override
    public String payload(String set, String id) {
        return store.await(store.commands().hget(keys(set)[1], "p:" + id), null);
    }

    @Override
    public CompletionStage<Void> add(String set, String id, String probe, String payload, int keep, Duration ttl) {
        return store.sent(() -> store.run(add, ScriptOutputType.INTEGER, keys(set), id, probe, payload,
                Integer.toString(keep), Long.toString(Math.max(1, ttl.toMillis()))));
    }
}
