package dev.coxswain.transport;

import dev.coxswain.core.config.Config;
import dev.coxswain.core.config.ConfigDef;
import dev.coxswain.core.control.KnobSignature;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The secret that controllers sign knob changes with and agents verify them with (HMAC-SHA256, {@link KnobSignature}).
 * Set the same value on every agent and collector. Without it agents accept no knob change from the knobs topic,
 * and controllers can only advise.
 */
public record ControlChannelSettings(Optional<String> secret) {
    public static final String SECRET = "control.secret";

    public ControlChannelSettings {
        secret.ifPresent(KnobSignature::new);
    }

    public static ConfigDef define(ConfigDef def) {
        return def.define(SECRET, ConfigDef.Type.STRING, "",
                (String s) -> s.isEmpty() || s.getBytes(StandardCharsets.UTF_8).length >= KnobSignature.MIN_SECRET_BYTES,
                "empty, or at least " + KnobSignature.MIN_SECRET_BYTES + " bytes",
                "Shared secret that signs knob changes on <prefix>.knobs (controllers) and verifies them (agents). "
                        + "Empty: agents apply no knob change from Kafka and controllers only advise.");
    }

    public static ControlChannelSettings from(Config config) {
        String s = config.getString(SECRET);
        return new ControlChannelSettings(s.isEmpty() ? Optional.empty() : Optional.of(s));
    }

    /** The signer, when a secret is set. */
    public Optional<KnobSignature> signature() {
        return secret.map(KnobSignature::new);
    }

    /** A fresh random secret, for a process that runs agent and controller together (the demo, benchmarks). */
    public static ControlChannelSettings random() {
        byte[] b = new byte[24];
        new java.security.SecureRandom().nextBytes(b);
        return new ControlChannelSettings(Optional.of(java.util.HexFormat.of().formatHex(b)));
    }

    @Override
    public String toString() {
        return "ControlChannelSettings[secret=" + (secret.isPresent() ? "(set)" : "(none)") + "]";
    }
}
