package dev.pmulab.sim.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The JSON writing both reports share ({@link JsonRenderer} for compare, {@link ReproductionJsonRenderer}
 * for reproduce): Jackson's streaming generator, so the key order is the renderer's code and Jackson
 * does the escaping; two-space indent, LF line ends, a final newline; numbers as plain decimals from
 * the exact double ({@link Text#machine}), {@code null} when missing; and the cost assumptions.
 */
final class ReportJson {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    /** What a renderer writes into the generator: one top-level value. */
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private ReportJson() {}

    /** The document {@code body} writes, pretty-printed, with a final newline. */
    static String render(int initialCapacity, Body body) {
        StringWriter w = new StringWriter(initialCapacity);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.setPrettyPrinter(prettyPrinter());
            body.write(g);
        } catch (IOException e) {
            // A StringWriter does not fail; this is Jackson's checked signature.
            throw new UncheckedIOException(e);
        }
        return w.append('\n').toString();
    }

    /** {@code field}: {@code v} as a plain decimal, or {@code null} when it is NaN (missing) or infinite. */
    static void number(JsonGenerator g, String field, double v) throws IOException {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            g.writeNullField(field);
        } else {
            g.writeFieldName(field);
            g.writeNumber(Text.machine(v));
        }
    }

    /**
     * The fields of a cost assumption both reports print: {@code id}, {@code name}, {@code value_ns},
     * {@code flag}, {@code source}, {@code overridden}. The caller opens and closes the object.
     */
    static void costFields(JsonGenerator g, CostAssumption c) throws IOException {
        g.writeStringField("id", c.id());
        g.writeStringField("name", c.name());
        g.writeNumberField("value_ns", c.valueNs());
        g.writeStringField("flag", c.flag());
        g.writeStringField("source", c.source());
        g.writeBooleanField("overridden", c.overridden());
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        // Jackson's default indenter uses the platform line separator; fix it to LF for identical bytes.
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter p = new DefaultPrettyPrinter(
                Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        p.indentObjectsWith(indenter);
        p.indentArraysWith(indenter);
        return p;
    }
}
