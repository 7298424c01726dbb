package dev.pmulab.hw.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The random source of one case of a randomized test: a {@link SplittableRandom} that remembers
 * the seed it started from, so a failing case can be run again alone.
 *
 * <p>Use it as the argument of a {@code @ParameterizedTest} fed by {@link #cases(int)}, and register
 * {@link ReportSeed} on the test class so a failure names the seed and the command that replays it:
 *
 * <pre>{@code
 * @ExtendWith(ReportSeed.class)
 * final class FooProperties {
 *     static Stream<SeededRandom> cases() { return SeededRandom.cases(1000); }
 *
 *     @ParameterizedTest(name = "{0}")
 *     @MethodSource("cases")
 *     void holds(SeededRandom random) { ... random.intBetween(1, 31) ... }
 * }
 * }</pre>
 *
 * <p>Each run starts from a fresh base seed, so repeated builds explore new cases (as jqwik did).
 * {@code -Dpmulab.seed=0x...} runs exactly the one case with that seed instead;
 * {@code -Dpmulab.cases=N} changes how many cases every such test runs (a longer soak, or a quick
 * look).
 *
 * <p>The generators lean towards the edges of a range (its ends, zero, the values beside the ends)
 * one time in eight, since that is where arithmetic goes wrong; there is no shrinking, so a test
 * should describe its inputs in its assertion messages.
 */
public final class SeededRandom {
    /** Replays one case: the seed a failure printed ({@code 0x}-prefixed hex, or decimal). */
    public static final String SEED_PROPERTY = "pmulab.seed";
    /** Overrides the number of cases of every seeded test in the run. */
    public static final String CASES_PROPERTY = "pmulab.cases";

    private final long seed;
    private final SplittableRandom random;

    public SeededRandom(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /**
     * The cases of one test: {@code count} of them from a fresh base seed, or (with
     * {@code -Dpmulab.seed}) just the one to replay.
     */
    public static Stream<SeededRandom> cases(int count) {
        String replay = System.getProperty(SEED_PROPERTY);
        if (replay != null && !replay.isBlank()) {
            return Stream.of(new SeededRandom(parseSeed(replay.strip())));
        }
        int n = count;
        String override = System.getProperty(CASES_PROPERTY);
        if (override != null && !override.isBlank()) {
            try {
                n = Integer.parseInt(override.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + CASES_PROPERTY + "=" + override + ": not a whole number", e);
            }
            if (n < 1) {
                throw new IllegalArgumentException("-D" + CASES_PROPERTY + "=" + override + ": must be at least 1");
            }
        }
        SplittableRandom base = new SplittableRandom();
        return Stream.generate(() -> new SeededRandom(base.nextLong())).limit(n);
    }

    static long parseSeed(String text) {
        try {
            if (text.startsWith("0x") || text.startsWith("0X")) {
                return Long.parseUnsignedLong(text.substring(2), 16);
            }
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "-D" + SEED_PROPERTY + "=" + text
                            + ": not a seed (0x followed by up to 16 hex digits, or a decimal long)",
                    e);
        }
    }

    /** The seed this case started from. */
    public long seed() {
        return seed;
    }

    /** The seed as {@code -Dpmulab.seed} takes it. */
    public String seedText() {
        return String.format(Locale.ROOT, "0x%016x", seed);
    }

    public boolean bool() {
        return random.nextBoolean();
    }

    /** True with probability {@code numerator / denominator}. */
    public boolean chance(int numerator, int denominator) {
        return random.nextInt(denominator) < numerator;
    }

    /** Any long, the edges (0, ±1, the 32- and 64-bit limits) one time in eight. */
    public long anyLong() {
        if (edge()) {
            long[] edges = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0xffff_ffffL, 0x8000_0000L, 0x7fff_ffffL};
            return edges[random.nextInt(edges.length)];
        }
        return random.nextLong();
    }

    /** A long in [min, max], both included; an edge of the range one time in eight. */
    public long longBetween(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("empty range [" + min + ", " + max + "]");
        }
        if (edge()) {
            long[] edges = {
                min, max, min == max ? min : min + 1, min == max ? max : max - 1, min <= 0 && 0 <= max ? 0 : min
            };
            return edges[random.nextInt(edges.length)];
        }
        if (max == Long.MAX_VALUE && min == Long.MIN_VALUE) {
            return random.nextLong();
        }
        if (max == Long.MAX_VALUE) {
            // nextLong(origin, bound) excludes the bound; shift the range down by one to include max.
            return random.nextLong(min - 1, max) + 1;
        }
        return random.nextLong(min, max + 1);
    }

    /** An int in [min, max], both included; an edge of the range one time in eight. */
    public int intBetween(int min, int max) {
        return (int) longBetween(min, max);
    }

    /** One of the given values, each as likely. */
    @SafeVarargs
    public final <T> T oneOf(T... values) {
        return values[random.nextInt(values.length)];
    }

    /** One of an enum's constants, each as likely. */
    public <E extends Enum<E>> E oneOf(Class<E> type) {
        return oneOf(type.getEnumConstants());
    }

    /** A list of 0 to {@code maxSize} elements (an edge size one time in eight), each from {@code element}. */
    public <T> List<T> listOf(int maxSize, Supplier<T> element) {
        int size = intBetween(0, maxSize);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.get());
        }
        return list;
    }

    private boolean edge() {
        return random.nextInt(8) == 0;
    }

    /** Shown as the case's name in the test report. */
    @Override
    public String toString() {
        return "seed " + seedText();
    }
}
