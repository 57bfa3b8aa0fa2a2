package dev.camelllm.execution;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads calls run on. On JDK 21+ a virtual thread per call: a call that waits (for the network, a
 * rate limit, a backoff, a local generation slot) parks its virtual thread and holds no platform thread.
 * On Java 17, which has no virtual threads, a bounded pool of platform threads: when every thread is busy
 * the next call is refused at once ({@link #execute} throws), never queued.
 *
 * <p>The library is compiled for Java 17, so the virtual-thread API is reached through method handles.
 */
public final class CallThreads implements AutoCloseable {

    /** How calls get their threads (option {@code executionMode}). */
    public enum Mode {
        /** Virtual threads when the JVM has them (21+), else the bounded pool. */
        AUTO,
        /** Virtual threads; a configuration error on a JVM without them. */
        VIRTUAL,
        /** The bounded pool of platform threads, also on JDK 21+. */
        PLATFORM
    }

    private static final MethodHandle OF_VIRTUAL;
    private static final MethodHandle NAME;
    private static final MethodHandle FACTORY;
    private static final MethodHandle PER_TASK;
    private static final MethodHandle IS_VIRTUAL;

    static {
        MethodHandle ofVirtual = null;
        MethodHandle name = null;
        MethodHandle factory = null;
        MethodHandle perTask = null;
        MethodHandle isVirtual = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtualType = Class.forName("java.lang.Thread$Builder$OfVirtual");
            ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtualType));
            name = lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class, long.class));
            factory = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
            perTask = lookup.findStatic(java.util.concurrent.Executors.class, "newThreadPerTaskExecutor",
                    MethodType.methodType(ExecutorService.class, ThreadFactory.class));
            isVirtual = lookup.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException | LinkageError e) {
            // Java 17: no virtual threads
            ofVirtual = null;
        }
        OF_VIRTUAL = ofVirtual;
        NAME = name;
        FACTORY = factory;
        PER_TASK = perTask;
        IS_VIRTUAL = isVirtual;
    }

    private final ExecutorService executor;
    private final boolean virtual;
    private final int platformThreads;
    private final AtomicInteger running = new AtomicInteger();

    private CallThreads(ExecutorService executor, boolean virtual, int platformThreads) {
        this.executor = executor;
        this.virtual = virtual;
        this.platformThreads = platformThreads;
    }

    /** Whether this JVM has virtual threads (JDK 21+). */
    public static boolean virtualThreadsAvailable() {
        return OF_VIRTUAL != null;
    }

    /** Whether the current thread is a virtual thread (false on Java 17). */
    public static boolean onVirtualThread() {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invoke(Thread.currentThread());
        } catch (Throwable t) {
            return false;
        }
    }

    /** Whether a mode runs on virtual threads on this JVM; VIRTUAL on a JVM without them is refused. */
    public static boolean usesVirtualThreads(Mode mode) {
        return switch (mode) {
            case AUTO -> virtualThreadsAvailable();
            case VIRTUAL -> {
                if (!virtualThreadsAvailable()) {
                    throw new IllegalStateException("executionMode=virtual needs virtual threads (JDK 21 or later); this JVM is "
                            + Runtime.version() + ": run on JDK 21+ or set executionMode=auto or platform");
                }
                yield true;
            }
            case PLATFORM -> false;
        };
    }

    /** A factory of virtual threads named {@code prefix0, prefix1, …}; null on Java 17. */
    public static ThreadFactory virtualThreadFactory(String prefix) {
        if (OF_VIRTUAL == null) {
            return null;
        }
        try {
            Object builder = OF_VIRTUAL.invoke();
            builder = NAME.invoke(builder, prefix, 0L);
            return (ThreadFactory) FACTORY.invoke(builder);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot create virtual threads", t);
        }
    }

    /** An executor that starts a virtual thread per task; null on Java 17. */
    public static ExecutorService newVirtualThreadPerTaskExecutor(String prefix) {
        ThreadFactory factory = virtualThreadFactory(prefix);
        if (factory == null) {
            return null;
        }
        try {
            return (ExecutorService) PER_TASK.invoke(factory);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot create a virtual-thread executor", t);
        }
    }

    /**
     * The call threads of a mode: virtual threads, or a pool of at most {@code platformThreads} platform
     * threads (daemon, named {@code prefix-N}) that refuses work when all are busy.
     */
    public static CallThreads create(Mode mode, int platformThreads, String prefix) {
        if (usesVirtualThreads(mode)) {
            return new CallThreads(newVirtualThreadPerTaskExecutor(prefix + "-"), true, 0);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(platformThreads, platformThreads, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), factory, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        return new CallThreads(pool, false, platformThreads);
    }

    public boolean virtual() {
        return virtual;
    }

    /** The pool's size in platform mode; 0 with virtual threads. */
    public int platformThreads() {
        return platformThreads;
    }

    /** Calls running on these threads now. */
    public int running() {
        return running.get();
    }

    /**
     * Runs a task on a call thread.
     *
     * @throws RejectedExecutionException at once when the bounded pool is full or the threads are closed
     */
    public void execute(Runnable task) {
        running.incrementAndGet();
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } finally {
                    running.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            running.decrementAndGet();
            throw e;
        }
    }

    /** Interrupts what still runs (each call has been cancelled before) and waits briefly for the threads to end. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
