package dev.pmulab.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A type policies may rely on: it changes only by adding default methods, so a policy jar built
 * against an older pmu-api keeps working (the rule of Trino's SPI and Druid's ExtensionPoint). The
 * views and controls the core implements and policies only call ({@link HostView}, {@link CpuView},
 * {@link VcpuView}, {@link VmView}, {@link AllocationControl}, {@link VmmPmuControl},
 * {@link PolicyContext}) may also gain abstract methods, as Druid's PublicApi types do: that breaks
 * no caller, only a policy's own test fakes, which {@code dev.pmulab.api.testing} keeps current.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Stable {
    /** The pmu-api version that introduced it. */
    String since();
}
