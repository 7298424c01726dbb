package dev.pmulab.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The fenced code blocks of README.md and docs/, with where each starts, for the docs tests. */
final class DocBlocks {
    /** A fence at the start of a line, or indented in a list item (the block is then dedented by as much). */
    private static final Pattern FENCE =
            Pattern.compile("^([ \\t]*)```(\\w*)\\n(.*?)^\\1```", Pattern.MULTILINE | Pattern.DOTALL);

    /** One block: its file (relative to the checkout), the line of its opening fence, language and text. */
    record Block(String file, int line, String lang, String text) {
        @Override
        public String toString() {
            return file + ":" + line + " (" + lang + ")";
        }
    }

    private DocBlocks() {}

    /** The checkout: the parent of the module directory the tests run in. */
    static Path root() {
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
        if (!Files.isRegularFile(root.resolve("README.md"))) {
            throw new IllegalStateException("no README.md in " + root);
        }
        return root;
    }

    /** README.md and every .md under docs/, in path order. */
    static List<Path> files() {
        Path root = root();
        List<Path> out = new ArrayList<>();
        out.add(root.resolve("README.md"));
        try (Stream<Path> s = Files.walk(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Every block of every file. */
    static List<Block> all() {
        List<Block> out = new ArrayList<>();
        for (Path f : files()) {
            out.addAll(of(f));
        }
        return out;
    }

    static List<Block> of(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String rel = root().relativize(file).toString();
        List<Block> out = new ArrayList<>();
        Matcher m = FENCE.matcher(text);
        while (m.find()) {
            int line = 1
                    + (int) text.substring(0, m.start())
                            .chars()
                            .filter(c -> c == '\n')
                            .count();
            String indent = m.group(1);
            String body = indent.isEmpty() ? m.group(3) : m.group(3).replaceAll("(?m)^" + indent, "");
            out.add(new Block(rel, line, m.group(2), body));
        }
        return out;
    }
}
