package dev.pmulab.sim.plugin;

/**
 * A plugin problem the user must fix before anything runs: a broken or empty plugin jar, a duplicate
 * policy name, an unknown policy or setting. The message names the plugin and lists what is known.
 */
public final class PluginException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
