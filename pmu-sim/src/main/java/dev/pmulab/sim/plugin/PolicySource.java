package dev.pmulab.sim.plugin;

import static java.util.Objects.requireNonNull;

/**
 * Where a policy came from: a module on the application's classpath, or an external plugin jar
 * (or plugin directory) loaded in its own class loader.
 *
 * @param external true for a plugin jar or directory, false for the classpath
 * @param location the module's jar or classes directory name, or the plugin's path
 */
public record PolicySource(boolean external, String location) {
    public PolicySource {
        requireNonNull(location, "location is null");
    }

    @Override
    public String toString() {
        return (external ? "jar " : "module ") + location;
    }
}
