package dev.flywheel.bench;

import java.util.Random;

/**
 * A fixed sequence of key indexes in {@code [0, items)} drawn from a Zipf distribution (exponent
 * 0.99, YCSB's default), so that benchmarks read and write a skewed key set as applications do: a
 * few hot keys and a long tail. Ranks are shuffled over the key space (a seeded permutation), so the
 * hot keys are scattered rather than adjacent in storage order.
 *
 * <p>Drawn once in a benchmark's setup and then walked with {@link #next()}: generating Zipf numbers
 * inside the measured method would measure the generator (caffeine's {@code GetPutBenchmark} does the
 * same). The generator is Gray et al., "Quickly generating billion-record synthetic databases"
 * (SIGMOD 1994), as in YCSB's {@code ZipfianGenerator}. Not thread-safe: one per benchmark thread.
 */
final class ZipfKeys {
    private static final double THETA = 0.99;
    private static final int SEQUENCE_LENGTH = 1 << 16;

    private final int[] sequence = new int[SEQUENCE_LENGTH];
    private int position;

    ZipfKeys(int items, long seed) {
        Random random = new Random(seed);
        int[] rankToKey = permutation(items, random);
        double zetaN = zeta(items);
        double alpha = 1 / (1 - THETA);
        double eta = (1 - Math.pow(2.0 / items, 1 - THETA)) / (1 - zeta(2) / zetaN);
        for (int i = 0; i < SEQUENCE_LENGTH; i++) {
            double u = random.nextDouble();
            double uz = u * zetaN;
            int rank;
            if (uz < 1) rank = 0;
            else if (uz < 1 + Math.pow(0.5, THETA)) rank = 1;
            else rank = Math.min(items - 1, (int) (items * Math.pow(eta * u - eta + 1, alpha)));
            sequence[i] = rankToKey[rank];
        }
    }

    /** The next key index of the sequence, wrapping around at its end. */
    int next() {
        int key = sequence[position];
        position = (position + 1) & (SEQUENCE_LENGTH - 1);
        return key;
    }

    private static double zeta(int n) {
        double sum = 0;
        for (int i = 1; i <= n; i++) sum += 1 / Math.pow(i, THETA);
        return sum;
    }

    private static int[] permutation(int n, Random random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
