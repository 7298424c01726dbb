package dev.pmulab.sim.sweep;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One point of a sweep, resolved: everything that determines its runs, as strings and numbers, so
 * it can be sent anywhere (a worker JVM, a Spark executor) and run there by a {@link PointRunner}.
 * The runs are a pure function of the scenario text, the seed and the policies it names.
 *
 * @param index the point's place in the plan, from 0
 * @param axes every axis's value at this point, by path, in the sweep's axis order
 *     ({@code scenario} and {@code seed} included)
 * @param scenario the scenario's name
 * @param scenarioFile what messages call the scenario file (a built-in's is {@code NAME.yaml})
 * @param scenarioText the scenario with the point's values set: what the runs load
 * @param policies the compared allocation policies' labels, in run order (for reading; the text decides)
 * @param seed the runs' seed
 * @param pluginPaths the plugin directories the policies were found in
 */
public record SweepPoint(
        int index,
        Map<String, String> axes,
        String scenario,
        String scenarioFile,
        String scenarioText,
        List<String> policies,
        long seed,
        List<String> pluginPaths)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public SweepPoint {
        if (index < 0) {
            throw new IllegalArgumentException("index is negative: " + index);
        }
        axes = Collections.unmodifiableMap(new LinkedHashMap<>(axes));
        requireNonNull(scenario, "scenario is null");
        requireNonNull(scenarioFile, "scenarioFile is null");
        requireNonNull(scenarioText, "scenarioText is null");
        policies = List.copyOf(policies);
        pluginPaths = List.copyOf(pluginPaths);
    }

    /** Whether this point belongs to shard {@code shard} of {@code shards}: index mod shards. */
    public boolean inShard(int shard, int shards) {
        return index % shards == shard;
    }
}
