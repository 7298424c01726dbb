package dev.pmulab.policy.dynamichpmn;

import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.Settings;
import dev.pmulab.api.SettingsSchema;
import java.util.Map;

/** The PolicyContext the core binds, for tests that build a policy themselves. */
record TestContext(String policyName, long seed) implements PolicyContext {
    /** The typed settings the core would bind for these values, for tests that build a policy themselves. */
    static <S> S typed(SettingsSchema<S> schema, Map<String, ?> given) {
        return schema.read(Settings.of(schema.specs(), given));
    }
}
