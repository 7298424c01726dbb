package dev.pmulab.sim.plugin;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

/**
 * The class loader of one external plugin (Trino's PluginClassLoader): it sees the SPI packages
 * from the application, so the descriptor and the Guice module it returns are the application's
 * types, and everything else only from the plugin's own jars, so a plugin can bundle its own
 * libraries without clashing with ours. Its parent is the platform loader: the JDK, nothing of
 * the application.
 */
final class PluginClassLoader extends URLClassLoader {
    /** Packages a plugin shares with the application: the SPI and the injection API it exposes. */
    static final List<String> SPI_PACKAGES = List.of("dev.pmulab.api.", "com.google.inject.", "jakarta.inject.");

    private final ClassLoader spiLoader;

    PluginClassLoader(String name, URL[] urls, ClassLoader spiLoader) {
        super(name, urls, ClassLoader.getPlatformClassLoader());
        this.spiLoader = spiLoader;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            for (String p : SPI_PACKAGES) {
                if (name.startsWith(p)) {
                    return spiLoader.loadClass(name);
                }
            }
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = findClass(name); // the plugin's own jars first
                } catch (ClassNotFoundException e) {
                    c = getParent().loadClass(name); // then the JDK
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        return own != null ? own : getParent().getResource(name);
    }
}
