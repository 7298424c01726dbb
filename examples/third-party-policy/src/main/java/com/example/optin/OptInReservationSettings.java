package com.example.optin;

import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.SettingsSchema;

/**
 * The policy's settings, typed: the core reads them from the scenario, this record's constructor
 * checks them, and the policy injects the record.
 *
 * @param guestCounters event counters an opted-in guest gets, at most N
 */
public record OptInReservationSettings(int guestCounters) {
    public static final SettingsSchema<OptInReservationSettings> SCHEMA = SettingsSchema.of(
            OptInReservationSettings.class,
            s -> new OptInReservationSettings(s.getInt("guest_counters")),
            SettingSpec.integer("guest_counters", 4, "event counters an opted-in guest gets, at most N"));

    public OptInReservationSettings {
        if (guestCounters < 0 || guestCounters > 31) {
            throw new IllegalArgumentException("guest_counters must be 0..31, got " + guestCounters);
        }
    }
}
