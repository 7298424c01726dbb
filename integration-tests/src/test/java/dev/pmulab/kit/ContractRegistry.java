package dev.pmulab.kit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static, parameterless method of a {@link PolicyContract} test that returns the
 * {@code PolicyRegistry} to test, for a test that builds its plugin directory itself. Without one,
 * the kit discovers the test's classpath plus the directories in the system property
 * {@value PolicyContractExtension#PLUGIN_PATH_PROPERTY}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ContractRegistry {}
