package io.smprotocol.downloads.runtime.policy;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring download links: {@code /path?expires=EPOCH_SECONDS&signature=HEX}.
 * <p>
 * The signature is {@code HEX(HMAC-SHA256(secret, PATH + "\n" + EXPIRES))}, lower-case hex, where {@code PATH} is the
 * decoded request path with its leading slash (e.g. {@code /reports/2024 Q1.pdf}, not {@code %20}) and
 * {@code EXPIRES} the decimal seconds since the epoch exactly as in the query. Signing the decoded path makes every
 * percent-encoding of the same link valid, and signing the expiry means it cannot be extended.
 */
public final class SignedLinks {

    /** The query parameter holding the expiry. */
    public static final String EXPIRES = "expires";
    /** The query parameter holding the signature. */
    public static final String SIGNATURE = "signature";

    private static final String ALGORITHM = "HmacSHA256";

    /** What checking a request's link found. */
    public enum Verdict {
        /** Signed and not expired. */
        VALID,
        /** No signature or no expiry: 403 when signatures are required, else served. */
        MISSING,
        /** The signature does not match the path and expiry (403). */
        INVALID,
        /** The signature matches, but the expiry has passed (410). */
        EXPIRED
    }

    private final SecretKeySpec key;

    /** @param secret the shared secret */
    public SignedLinks(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the signing secret must not be empty");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /**
     * @param path the decoded path, with its leading slash
     * @param expires seconds since the epoch
     * @return the lower-case hex signature
     */
    public String signature(String path, long expires) {
        return HexFormat.of().formatHex(mac((path + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @param path the decoded path, with its leading slash
     * @param expires seconds since the epoch
     * @return the query string that signs the path, without {@code ?}
     */
    public String query(String path, long expires) {
        return EXPIRES + "=" + expires + "&" + SIGNATURE + "=" + signature(path, expires);
    }

    /**
     * @param path the decoded request path
     * @param expires the {@code expires} parameter, or {@code null}
     * @param signature the {@code signature} parameter, or {@code null}
     * @param now seconds since the epoch
     * @return the verdict; the signature is checked before the expiry, so a forged expiry is INVALID, not EXPIRED
     */
    public Verdict verify(String path, String expires, String signature, long now) {
        if (expires == null || signature == null || expires.isEmpty() || signature.isEmpty()) {
            return Verdict.MISSING;
        }
        if (!expires.chars().allMatch(c -> c >= '0' && c <= '9') || expires.length() > 18) {
            return Verdict.INVALID;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature);
        } catch (IllegalArgumentException e) {
            return Verdict.INVALID;
        }
        byte[] expected = mac((path + "\n" + expires).getBytes(StandardCharsets.UTF_8));
        // constant time, so that the signature cannot be guessed byte by byte from response times
        if (!MessageDigest.isEqual(expected, given)) {
            return Verdict.INVALID;
        }
        return Long.parseLong(expires) < now ? Verdict.EXPIRED : Verdict.VALID;
    }

    private byte[] mac(byte[] message) {
        try {
            // a Mac is not thread-safe and cheap to make: one per call
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(message);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
