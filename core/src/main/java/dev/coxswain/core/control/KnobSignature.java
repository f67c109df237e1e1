package dev.coxswain.core.control;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * HMAC-SHA256 over a knob command's bytes with the secret that agents and controllers share: controllers sign what
 * they put on the knobs topic, agents apply only what verifies. The secret must be at least 16 bytes. Thread-safe
 * (a {@link Mac} per call).
 */
public final class KnobSignature {
    /** The Kafka header that carries the signature, lower-case hex. */
    public static final String HEADER = "coxswain-signature";
    private static final String ALGORITHM = "HmacSHA256";
    public static final int MIN_SECRET_BYTES = 16;

    private final SecretKeySpec key;

    public KnobSignature(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the knob signing secret must be at least " + MIN_SECRET_BYTES
                    + " bytes, got " + bytes.length);
        }
        this.key = new SecretKeySpec(bytes, ALGORITHM);
    }

    public String sign(byte[] message) {
        return HexFormat.of().formatHex(mac(message));
    }

    /** Whether {@code signature} is this secret's signature of {@code message}; compared in constant time. */
    public boolean verify(byte[] message, String signature) {
        if (signature == null) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(message), given);
    }

    private byte[] mac(byte[] message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
