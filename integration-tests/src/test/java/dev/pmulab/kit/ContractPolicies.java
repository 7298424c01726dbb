package dev.pmulab.kit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Which of the discovered policies a {@link PolicyContract} test runs against. Without it, every
 * policy on the classpath and in the plugin directories.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ContractPolicies {
    /** Policy names to run; empty for all. */
    String[] include() default {};

    /** Names to leave out; a trailing {@code *} matches a prefix ({@code test-*}). */
    String[] exclude() default {};
}
