package keyquota.api.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

/**
 * Client threads repeating one unit of work (a request, a create+delete cycle, an allocate+release pair) through
 * a warm-up and then a measured time. A unit counts, with its latency, when it ends inside the measured time, so
 * the rate is units per measured second at a steady state. Any thread's failure stops them all and fails the run.
 */
final class Steady {

    /** One thread's work, made before the clock starts and closed after it stops. */
    interface Work extends AutoCloseable {

        /** One unit; a wrong answer throws. */
        void once() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    @FunctionalInterface
    interface Workers {
        Work forThread(int thread) throws Exception;
    }

    /** @param nanos each counted unit's latency, sorted */
    record Result(long units, double seconds, long[] nanos) {

        double perSecond() {
            return units / seconds;
        }

        double percentileMillis(double percentile) {
            if (nanos.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(percentile / 100 * nanos.length) - 1;
            return nanos[Math.max(0, Math.min(nanos.length - 1, index))] / 1e6;
        }

        double meanMillis() {
            return Arrays.stream(nanos).average().orElse(Double.NaN) / 1e6;
        }
    }

    private Steady() {
    }

    static Result run(int threads, Duration warmUp, Duration measured, Workers workers) throws Exception {
        List<Work> works = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                works.add(workers.forThread(t));
            }
            long from = System.nanoTime() + warmUp.toNanos();
            long until = from + measured.toNanos();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Samples[] samples = new Samples[threads];
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Work work = works.get(t);
                Samples mine = samples[t] = new Samples();
                Thread thread = new Thread(() -> {
                    try {
                        for (long begin = System.nanoTime(); begin < until && failure.get() == null;
                             begin = System.nanoTime()) {
                            work.once();
                            long end = System.nanoTime();
                            if (end >= from && end < until) {
                                mine.add(end - begin);
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "bench-" + t);
                thread.setDaemon(true);
                running.add(thread);
            }
            running.forEach(Thread::start);
            for (Thread thread : running) {
                // a unit still waiting for its answer long after the end is a hang, not a slow unit
                thread.join(Math.max(1, (until - System.nanoTime()) / 1_000_000) + 60_000);
                if (thread.isAlive()) {
                    failure.compareAndSet(null, new AssertionError(thread.getName() + " hangs"));
                }
            }
            if (failure.get() != null) {
                throw new AssertionError("a client thread failed: " + failure.get(), failure.get());
            }
            long[] all = Arrays.stream(samples).flatMapToLong(Samples::stream).sorted().toArray();
            return new Result(all.length, measured.toNanos() / 1e9, all);
        } finally {
            for (Work work : works) {
                work.close();
            }
        }
    }

    /** A growing array of longs: a thread's latencies, without boxing on the hot loop. */
    static final class Samples {

        private long[] values = new long[4096];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        LongStream stream() {
            return Arrays.stream(values, 0, size);
        }
    }
}
