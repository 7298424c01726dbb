package dev.pmulab.sim.plugin;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.SettingSpec;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every policy the application can run: those on its classpath (registered with
 * {@code @AutoService(PolicyDescriptor.class)}) and those in plugin directories, one class loader
 * per plugin. A plugin is a {@code .jar} file in a plugin directory, or a subdirectory whose jars
 * are its classpath. Loading fails loudly, naming the plugin: a jar that cannot be read, a jar with
 * no provider, a provider that cannot be instantiated, a malformed descriptor, or two policies
 * with the same name.
 */
public final class PolicyRegistry {
    private static final Logger LOG = Logger.getLogger(PolicyRegistry.class.getName());
    private static final String SERVICE_FILE = "META-INF/services/" + PolicyDescriptor.class.getName();

    private final Map<String, LoadedPolicy> byName;

    private PolicyRegistry(Map<String, LoadedPolicy> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** The classpath policies plus those in each of {@code pluginDirectories} (missing directories are errors). */
    public static PolicyRegistry discover(ClassLoader applicationLoader, List<Path> pluginDirectories) {
        requireNonNull(applicationLoader, "applicationLoader is null");
        requireNonNull(pluginDirectories, "pluginDirectories is null");
        List<LoadedPolicy> found = new ArrayList<>(loadFrom(applicationLoader, null));
        for (Path dir : pluginDirectories) {
            if (!Files.isDirectory(dir)) {
                throw new PluginException("plugin directory " + dir + " does not exist");
            }
            List<Path> plugins;
            try (Stream<Path> s = Files.list(dir)) {
                plugins = s.filter(p -> Files.isDirectory(p) || p.toString().endsWith(".jar"))
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new PluginException("cannot list plugin directory " + dir + ": " + e.getMessage(), e);
            }
            for (Path plugin : plugins) {
                found.addAll(loadPlugin(plugin, applicationLoader));
            }
        }
        Map<String, LoadedPolicy> byName = new TreeMap<>();
        for (LoadedPolicy p : found) {
            LoadedPolicy other = byName.putIfAbsent(p.name(), p);
            if (other != null) {
                throw new PluginException("two policies are named '" + p.name() + "': one from " + other.source()
                        + ", one from " + p.source());
            }
            LOG.fine(() -> "registered " + p.kind().configName() + " policy " + p.name() + " from " + p.source());
        }
        return new PolicyRegistry(byName);
    }

    /** Only the classpath. */
    public static PolicyRegistry discover(ClassLoader applicationLoader) {
        return discover(applicationLoader, List.of());
    }

    private static List<LoadedPolicy> loadPlugin(Path plugin, ClassLoader applicationLoader) {
        List<Path> jars;
        if (Files.isDirectory(plugin)) {
            try (Stream<Path> s = Files.list(plugin)) {
                jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            } catch (IOException e) {
                throw new PluginException("plugin " + plugin + ": cannot list: " + e.getMessage(), e);
            }
            if (jars.isEmpty()) {
                throw new PluginException("plugin " + plugin + ": the directory holds no jar");
            }
        } else {
            jars = List.of(plugin);
        }
        boolean hasServiceFile = false;
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < jars.size(); i++) {
            Path jar = jars.get(i);
            try (JarFile jf = new JarFile(jar.toFile())) {
                hasServiceFile |= jf.getEntry(SERVICE_FILE) != null;
            } catch (IOException e) {
                throw new PluginException(
                        "plugin " + plugin + ": " + jar.getFileName() + " is not a readable jar (" + e.getMessage()
                                + ")",
                        e);
            }
            try {
                urls[i] = jar.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new PluginException("plugin " + plugin + ": bad path " + jar, e);
            }
        }
        if (!hasServiceFile) {
            throw new PluginException("plugin " + plugin + " provides no policy: no " + SERVICE_FILE
                    + " (register the descriptor with @AutoService(PolicyDescriptor.class))");
        }
        PluginClassLoader loader =
                new PluginClassLoader("pmulab-plugin " + plugin.getFileName(), urls, applicationLoader);
        List<LoadedPolicy> loaded = loadFrom(loader, plugin);
        if (loaded.isEmpty()) {
            throw new PluginException("plugin " + plugin + " provides no policy: " + SERVICE_FILE + " lists none");
        }
        return loaded;
    }

    private static List<LoadedPolicy> loadFrom(ClassLoader loader, Path plugin) {
        List<LoadedPolicy> out = new ArrayList<>();
        String where = plugin == null ? "the classpath" : "plugin " + plugin;
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            ServiceLoader<PolicyDescriptor> sl = ServiceLoader.load(PolicyDescriptor.class, loader);
            for (ServiceLoader.Provider<PolicyDescriptor> provider : iterate(sl, where)) {
                if (plugin != null && provider.type().getClassLoader() != loader) {
                    continue; // the application's own descriptors seen through the plugin loader's parent chain
                }
                PolicyDescriptor d;
                try {
                    d = provider.get();
                } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                    throw new PluginException(
                            where + ": cannot create policy descriptor "
                                    + provider.type().getName() + ": " + rootMessage(e),
                            e);
                }
                PolicySource source = plugin == null
                        ? new PolicySource(false, classpathLocation(provider.type()))
                        : new PolicySource(true, plugin.toString());
                checkDescriptor(d, source);
                out.add(new LoadedPolicy(d, source, loader));
            }
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        return out;
    }

    private static List<ServiceLoader.Provider<PolicyDescriptor>> iterate(
            ServiceLoader<PolicyDescriptor> sl, String where) {
        try {
            return sl.stream().toList();
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new PluginException(where + ": broken policy registration: " + rootMessage(e), e);
        }
    }

    private static void checkDescriptor(PolicyDescriptor d, PolicySource source) {
        String what = "policy descriptor " + d.getClass().getName() + " from " + source;
        String name;
        try {
            name = d.name();
            if (name == null || !name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
                throw new PluginException(what + ": name '" + name + "' is not lower-case and hyphenated");
            }
            if (d.kind() == null) {
                throw new PluginException(what + " (" + name + "): kind is null");
            }
            if (d.description() == null || d.description().isBlank()) {
                throw new PluginException(what + " (" + name + "): description is empty");
            }
            Set<String> seen = new HashSet<>();
            for (SettingSpec s : d.settings()) {
                if (!seen.add(s.name())) {
                    throw new PluginException(what + " (" + name + "): setting " + s.name() + " declared twice");
                }
            }
        } catch (PluginException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new PluginException(what + ": broken descriptor: " + rootMessage(e), e);
        }
    }

    private static String classpathLocation(Class<?> type) {
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return "classpath";
        }
        String path = cs.getLocation().getPath();
        if (path.endsWith("/target/classes/") || path.endsWith("/target/test-classes/")) {
            // A module built in the reactor: name it by its directory.
            String trimmed = path.substring(0, path.indexOf("/target/"));
            return trimmed.substring(trimmed.lastIndexOf('/') + 1);
        }
        String file = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return file.substring(file.lastIndexOf('/') + 1);
    }

    static String rootMessage(Throwable t) {
        RuntimeException guice = GuiceErrors.find(t);
        if (guice != null) {
            return GuiceErrors.condense(guice); // one line, not Guice's page
        }
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + c + ")";
    }

    /** Every policy, by name. */
    public List<LoadedPolicy> all() {
        return List.copyOf(byName.values());
    }

    /** The policies of one kind, by name. */
    public List<LoadedPolicy> ofKind(PolicyKind kind) {
        return byName.values().stream().filter(p -> p.kind() == kind).toList();
    }

    /** The names of the policies of one kind, sorted. */
    public List<String> namesOf(PolicyKind kind) {
        return ofKind(kind).stream().map(LoadedPolicy::name).toList();
    }

    /**
     * The policy of {@code kind} called {@code name}.
     *
     * @throws PluginException naming the known policies of that kind when there is none
     */
    public LoadedPolicy get(PolicyKind kind, String name) {
        LoadedPolicy p = byName.get(name);
        if (p == null || p.kind() != kind) {
            String known = namesOf(kind).stream().collect(Collectors.joining(", "));
            String hint = p == null ? "" : " ('" + name + "' is a " + p.kind().configName() + " policy)";
            throw new PluginException("unknown " + kind.configName() + " policy '" + name + "'" + hint + "; known: "
                    + (known.isEmpty() ? "(none)" : known));
        }
        return p;
    }

    /** Names to policies, in name order, for listings. */
    public Map<String, LoadedPolicy> asMap() {
        return new LinkedHashMap<>(byName);
    }
}
