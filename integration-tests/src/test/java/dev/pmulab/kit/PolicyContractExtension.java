package dev.pmulab.kit;

import dev.pmulab.sim.plugin.LoadedPolicy;
import dev.pmulab.sim.plugin.PolicyRegistry;
import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * Runs each {@code @TestTemplate} method with a {@link PolicyUnderTest} parameter once per policy:
 * every policy on the test's classpath and in the plugin directories (or the registry a
 * {@link ContractRegistry} method returns), narrowed by {@link ContractPolicies}. Each invocation
 * is named after its policy, so a report reads {@code resultsAreDeterministic [static-hpmn]}.
 */
public final class PolicyContractExtension implements TestTemplateInvocationContextProvider {
    /** Plugin directories for the kit, separated by the platform's path separator. */
    public static final String PLUGIN_PATH_PROPERTY = "pmulab.kit.plugin-path";

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PolicyContractExtension.class);

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod()
                .map(m -> Arrays.stream(m.getParameterTypes()).anyMatch(PolicyUnderTest.class::equals))
                .orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        // One registry per test class: plugin class loaders are built once, not per rule.
        PolicyRegistry registry = context.getParent()
                .orElse(context)
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(testClass, PolicyContractExtension::registryFor, PolicyRegistry.class);
        List<LoadedPolicy> chosen = chosen(testClass, registry);
        if (chosen.isEmpty()) {
            throw new ExtensionConfigurationException("no policy to run the contract against in " + testClass.getName()
                    + "; discovered: " + registry.asMap().keySet());
        }
        return chosen.stream().map(p -> invocation(new PolicyUnderTest(p, registry)));
    }

    static PolicyRegistry registryFor(Class<?> testClass) {
        List<Method> suppliers = AnnotationSupport.findAnnotatedMethods(
                testClass, ContractRegistry.class, HierarchyTraversalMode.BOTTOM_UP);
        if (suppliers.size() > 1) {
            throw new ExtensionConfigurationException(
                    testClass.getName() + " has more than one @ContractRegistry method");
        }
        if (suppliers.size() == 1) {
            Method m = suppliers.get(0);
            if (!Modifier.isStatic(m.getModifiers())
                    || m.getParameterCount() != 0
                    || !PolicyRegistry.class.equals(m.getReturnType())) {
                throw new ExtensionConfigurationException("@ContractRegistry method " + m
                        + " must be static, take no parameter and return PolicyRegistry");
            }
            try {
                m.setAccessible(true);
                return (PolicyRegistry) m.invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new ExtensionConfigurationException(
                        "@ContractRegistry method " + m + " failed: " + (e.getCause() == null ? e : e.getCause()), e);
            }
        }
        String pluginPath = System.getProperty(PLUGIN_PATH_PROPERTY, "");
        List<Path> dirs = pluginPath.isBlank()
                ? List.of()
                : Arrays.stream(pluginPath.split(File.pathSeparator))
                        .filter(s -> !s.isBlank())
                        .map(Path::of)
                        .toList();
        return PolicyRegistry.discover(testClass.getClassLoader(), dirs);
    }

    static List<LoadedPolicy> chosen(Class<?> testClass, PolicyRegistry registry) {
        ContractPolicies which = AnnotationSupport.findAnnotation(testClass, ContractPolicies.class)
                .orElse(null);
        List<LoadedPolicy> all = registry.all();
        if (which == null) {
            return all;
        }
        List<String> include = List.of(which.include());
        for (String name : include) {
            if (!registry.asMap().containsKey(name)) {
                throw new ExtensionConfigurationException(
                        "@ContractPolicies includes '" + name + "', which was not discovered; discovered: "
                                + registry.asMap().keySet());
            }
        }
        return all.stream()
                .filter(p -> include.isEmpty() || include.contains(p.name()))
                .filter(p -> Arrays.stream(which.exclude()).noneMatch(x -> matches(x, p.name())))
                .toList();
    }

    private static boolean matches(String pattern, String name) {
        return pattern.endsWith("*")
                ? name.startsWith(pattern.substring(0, pattern.length() - 1))
                : pattern.equals(name);
    }

    private static TestTemplateInvocationContext invocation(PolicyUnderTest policy) {
        return new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return "[" + policy.name() + "]";
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new ParameterResolver() {
                    @Override
                    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
                        return parameter.getParameter().getType().equals(PolicyUnderTest.class);
                    }

                    @Override
                    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
                        return policy;
                    }
                });
            }
        };
    }
}
