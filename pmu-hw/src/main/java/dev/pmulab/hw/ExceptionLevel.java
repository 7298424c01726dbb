package dev.pmulab.hw;

/**
 * The Exception level a PE runs at. The model is Non-secure AArch64 at every level with EL2
 * implemented and enabled and no EL3, which is the setting KVM hosts run in.
 */
public enum ExceptionLevel {
    EL0,
    EL1,
    EL2;

    public static ExceptionLevel of(int level) {
        return switch (level) {
            case 0 -> EL0;
            case 1 -> EL1;
            case 2 -> EL2;
            default -> throw new IllegalArgumentException("no exception level " + level + " (0, 1 or 2)");
        };
    }

    public int number() {
        return ordinal();
    }
}
