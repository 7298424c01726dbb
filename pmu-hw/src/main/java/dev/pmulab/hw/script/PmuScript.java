package dev.pmulab.hw.script;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.CuChoice;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.PmuConfig;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.PmuVersion;
import dev.pmulab.hw.ReservedHpmnChoice;
import dev.pmulab.hw.catalog.CpuCatalog;
import dev.pmulab.hw.io.TextFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A parsed pmuscript (docs/pmuscript.md): the PE configuration and the statements to run. Parsing
 * is complete before anything runs, so a script with an error runs nothing.
 */
public record PmuScript(String name, PmuConfig config, List<Statement> statements) {

    /**
     * Config keys the pmuscript format defines, and the model's additions after them. {@code cpu=NAME}
     * takes n, pmuver, fgt, hpmn0, brbe, imp, idcode and events from the CPU catalog; keys after it
     * (on its line or a later config line) override single values, keys before it are replaced.
     */
    public static final List<String> CONFIG_KEYS = List.of(
            "n", "pmuver", "fgt", "hpmn0", "imp", "idcode", "events", "cu", "brbe", "pmmir", "reserved-hpmn", "cpu");

    public PmuScript {
        requireNonNull(name, "name is null");
        requireNonNull(config, "config is null");
        statements = List.copyOf(statements);
    }

    /** The largest pmuscript {@link #parse(Path)} reads: a hand-written one is a few kB (docs/pmuscript.md). */
    public static final long MAX_FILE_BYTES = 1L << 20;

    /**
     * Parses a pmuscript file.
     *
     * @throws dev.pmulab.hw.io.TextFileException for a missing file, one above {@link #MAX_FILE_BYTES},
     *     or one that is not UTF-8 text (naming the byte)
     */
    public static PmuScript parse(Path file) throws IOException, PmuScriptException {
        return parse(file.toString(), TextFiles.read(file, "pmuscript", MAX_FILE_BYTES));
    }

    public static PmuScript parse(String name, String text) throws PmuScriptException {
        PmuConfig.Builder config = PmuConfig.defaults().toBuilder();
        List<Statement> statements = new ArrayList<>();
        boolean accessSeen = false;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] words = line.split("\\s+");
            switch (words[0]) {
                case "config" -> {
                    if (accessSeen) {
                        throw new PmuScriptException(name, lineNo, "config must come before the first read or write");
                    }
                    if (words.length < 2) {
                        throw new PmuScriptException(name, lineNo, "config needs at least one KEY=VALUE");
                    }
                    for (int w = 1; w < words.length; w++) {
                        applyConfig(config, words[w], name, lineNo);
                    }
                }
                case "el" -> {
                    expectWords(words, 2, "el 0|1|2", name, lineNo);
                    ExceptionLevel level = switch (words[1]) {
                        case "0" -> ExceptionLevel.EL0;
                        case "1" -> ExceptionLevel.EL1;
                        case "2" -> ExceptionLevel.EL2;
                        default ->
                            throw new PmuScriptException(
                                    name, lineNo, "bad exception level '" + words[1] + "' (expected 0, 1 or 2)");
                    };
                    statements.add(new Statement.ChangeLevel(lineNo, level));
                }
                case "read" -> {
                    expectWords(words, 2, "read REG", name, lineNo);
                    accessSeen = true;
                    if (words[1].equals("PMUIRQ")) {
                        statements.add(new Statement.ReadIrq(lineNo));
                    } else {
                        statements.add(new Statement.Read(lineNo, register(words[1], name, lineNo)));
                    }
                }
                case "write" -> {
                    expectWords(words, 3, "write REG VALUE", name, lineNo);
                    accessSeen = true;
                    if (words[1].equals("PMUIRQ")) {
                        throw new PmuScriptException(name, lineNo, "PMUIRQ is a read-only pseudo-register");
                    }
                    PmuRegister.Named reg = register(words[1], name, lineNo);
                    statements.add(new Statement.Write(lineNo, reg, number(words[2], 64, name, lineNo)));
                }
                default ->
                    throw new PmuScriptException(
                            name, lineNo, "unknown statement '" + words[0] + "' (expected config, el, read or write)");
            }
        }
        PmuConfig built;
        try {
            built = config.build();
        } catch (IllegalArgumentException e) {
            throw new PmuScriptException(name, 1, "bad config: " + e.getMessage());
        }
        return new PmuScript(name, built, statements);
    }

    private static void expectWords(String[] words, int count, String form, String name, int line)
            throws PmuScriptException {
        if (words.length != count) {
            throw new PmuScriptException(
                    name, line, "expected '" + form + "', found '" + String.join(" ", words) + "'");
        }
    }

    private static PmuRegister.Named register(String word, String name, int line) throws PmuScriptException {
        try {
            return PmuRegister.parse(word);
        } catch (IllegalArgumentException e) {
            throw new PmuScriptException(name, line, e.getMessage());
        }
    }

    /** Parses a decimal or 0x-hex number of at most {@code bits} bits (unsigned). */
    static long number(String word, int bits, String name, int line) throws PmuScriptException {
        try {
            long v;
            if (word.startsWith("0x") || word.startsWith("0X")) {
                String digits = word.substring(2);
                if (!digits.matches("[0-9a-fA-F]+")
                        || digits.replaceFirst("^0+(?=.)", "").length() > 16) {
                    throw new NumberFormatException();
                }
                v = Long.parseUnsignedLong(digits, 16);
            } else {
                if (!word.matches("[0-9]+")) {
                    throw new NumberFormatException();
                }
                v = Long.parseUnsignedLong(word, 10);
            }
            if (bits < 64 && Long.compareUnsigned(v, (1L << bits) - 1) > 0) {
                throw new PmuScriptException(name, line, "value " + word + " does not fit in " + bits + " bits");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new PmuScriptException(name, line, "bad number '" + word + "' (decimal or 0x hex, at most 64 bits)");
        }
    }

    private static void applyConfig(PmuConfig.Builder b, String pair, String name, int line) throws PmuScriptException {
        int eq = pair.indexOf('=');
        if (eq <= 0 || eq == pair.length() - 1) {
            throw new PmuScriptException(name, line, "config expects KEY=VALUE, found '" + pair + "'");
        }
        String key = pair.substring(0, eq);
        String value = pair.substring(eq + 1);
        switch (key) {
            case "n" -> b.n((int) range(value, 0, 31, key, name, line));
            case "pmuver" -> {
                List<String> known = Arrays.stream(PmuVersion.values())
                        .map(PmuVersion::shortName)
                        .toList();
                if (!known.contains(value)) {
                    throw new PmuScriptException(
                            name,
                            line,
                            "bad config value pmuver=" + value + " (expected one of " + String.join(", ", known) + ")");
                }
                b.version(PmuVersion.fromShortName(value));
            }
            case "fgt" -> b.fgt(flag(value, key, name, line));
            case "hpmn0" -> b.hpmn0(flag(value, key, name, line));
            case "brbe" -> b.brbe(flag(value, key, name, line));
            case "imp" -> b.imp((int) range(value, 0, 0xff, key, name, line));
            case "idcode" -> b.idcode((int) range(value, 0, 0xff, key, name, line));
            case "pmmir" -> b.pmmir(number(value, 64, name, line));
            case "events" -> {
                String[] parts = value.split(",", -1);
                int[] events = new int[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    long e = number(parts[i], 16, name, line);
                    if (!(e <= 0xbf || (e >= 0x4000 && e <= 0x40bf))) {
                        throw new PmuScriptException(
                                name,
                                line,
                                "bad config value events: 0x" + Long.toHexString(e)
                                        + " is not a common event number (0x0-0xbf, 0x4000-0x40bf)");
                    }
                    events[i] = (int) e;
                }
                b.events(events);
            }
            case "cu" -> {
                try {
                    b.cu(CuChoice.fromConfigName(value));
                } catch (IllegalArgumentException e) {
                    throw new PmuScriptException(
                            name, line, "bad config value cu=" + value + " (expected trap, undef, razwi or nop)");
                }
            }
            case "cpu" -> {
                PmuConfig cpu;
                try {
                    cpu = CpuCatalog.byName(value).pmuConfig();
                } catch (IllegalArgumentException e) {
                    throw new PmuScriptException(name, line, "bad config value cpu=" + value + ": " + e.getMessage());
                }
                b.n(cpu.n())
                        .version(cpu.version())
                        .fgt(cpu.fgt())
                        .hpmn0(cpu.hpmn0())
                        .brbe(cpu.brbe())
                        .imp(cpu.imp())
                        .idcode(cpu.idcode())
                        .events(cpu.events());
            }
            case "reserved-hpmn" -> {
                switch (value) {
                    case "as-n" -> b.reservedHpmn(ReservedHpmnChoice.AS_N);
                    case "all-r2" -> b.reservedHpmn(ReservedHpmnChoice.ALL_SECOND_RANGE);
                    default ->
                        throw new PmuScriptException(
                                name, line, "bad config value reserved-hpmn=" + value + " (expected as-n or all-r2)");
                }
            }
            default ->
                throw new PmuScriptException(
                        name,
                        line,
                        "unknown config key '" + key + "' (known: "
                                + CONFIG_KEYS.stream().collect(Collectors.joining(", ")) + ")");
        }
    }

    private static long range(String value, long min, long max, String key, String name, int line)
            throws PmuScriptException {
        long v;
        try {
            v = number(value, 64, name, line);
        } catch (PmuScriptException e) {
            throw new PmuScriptException(name, line, "bad config value " + key + "=" + value);
        }
        if (v < min || v > max) {
            throw new PmuScriptException(
                    name,
                    line,
                    "bad config value " + key + "=" + value + " (expected " + min + ".."
                            + (max > 9 ? "0x" + Long.toHexString(max).toLowerCase(Locale.ROOT) : max) + ")");
        }
        return v;
    }

    private static boolean flag(String value, String key, String name, int line) throws PmuScriptException {
        return switch (value) {
            case "0" -> false;
            case "1" -> true;
            default ->
                throw new PmuScriptException(
                        name, line, "bad config value " + key + "=" + value + " (expected 0 or 1)");
        };
    }
}
