package io.smprotocol.downloads.runtime.privacy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.netty.util.NetUtil;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smprotocol.downloads.runtime.config.ClientAddressMode;

/**
 * What is kept of a client's address where it is stored (records, journal, stats API): all of it, its network
 * (IPv4 /24, IPv6 /48), or a keyed hash. Everything that decides with the address (geo and network lookups, grouping,
 * unique-ip, signed links, hooks) runs on the full address before this reduction.
 */
public final class ClientAddresses {

    /** The shortest key accepted for {@code hashed}. */
    public static final int MIN_KEY_LENGTH = 32;
    /** What a truncated client is stored as when its address is no IP address (a proxy's {@code unknown}). */
    static final String UNKNOWN = "unknown";

    private static final String HMAC = "HmacSHA256";
    /** Bytes of the HMAC kept: 128 bits tell clients apart as well as the whole of it. */
    private static final int HASH_BYTES = 16;

    private final ClientAddressMode mode;
    private final SecretKeySpec key;

    private ClientAddresses(ClientAddressMode mode, SecretKeySpec key) {
        this.mode = mode;
        this.key = key;
    }

    /**
     * @param mode {@code quarkus.smprotocol.tracking.client-address}
     * @param key {@code quarkus.smprotocol.tracking.client-address-key}
     * @throws ConfigurationException when {@code hashed} has no key or a short one
     */
    public static ClientAddresses of(ClientAddressMode mode, Optional<String> key) {
        if (mode != ClientAddressMode.HASHED) {
            return new ClientAddresses(mode, null);
        }
        String secret = key.orElseThrow(() -> new ConfigurationException("quarkus.smprotocol.tracking.client-address"
                + " is hashed but quarkus.smprotocol.tracking.client-address-key is not set: set a secret of at least "
                + MIN_KEY_LENGTH + " characters, the same on every replica"));
        if (secret.length() < MIN_KEY_LENGTH) {
            throw new ConfigurationException("quarkus.smprotocol.tracking.client-address-key has " + secret.length()
                    + " characters; it needs at least " + MIN_KEY_LENGTH);
        }
        return new ClientAddresses(mode, new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
    }

    /** @return whether addresses are stored as they are */
    public boolean keepsFull() {
        return mode == ClientAddressMode.FULL;
    }

    /**
     * @param address a client's or peer's address as the listener saw it, or {@code null}
     * @return what is stored of it; a value already reduced is returned as it is, so that reducing twice is harmless
     */
    public String stored(String address) {
        if (address == null || mode == ClientAddressMode.FULL) {
            return address;
        }
        return mode == ClientAddressMode.TRUNCATED ? truncated(address) : hashed(address);
    }

    private String hashed(String address) {
        if (address.startsWith("h:")) {
            return address;
        }
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            byte[] digest = mac.doFinal(address.getBytes(StandardCharsets.UTF_8));
            return "h:" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, HASH_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String truncated(String address) {
        InetAddress parsed = parse(address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1)
                : address);
        if (parsed == null) {
            return UNKNOWN;
        }
        byte[] bytes = parsed.getAddress();
        // IPv4 keeps 3 bytes (/24), IPv6 6 bytes (/48); an IPv4-mapped IPv6 address parses as IPv4
        int kept = parsed instanceof Inet4Address ? 3 : 6;
        Arrays.fill(bytes, kept, bytes.length, (byte) 0);
        try {
            String text = InetAddress.getByAddress(bytes).getHostAddress();
            return parsed instanceof Inet4Address ? text : compressed(text);
        } catch (UnknownHostException e) {
            return UNKNOWN;
        }
    }

    /**
     * @param ip an address as text, or {@code null}
     * @return the address, parsed without any name lookup (an IPv4-mapped IPv6 address as IPv4), or {@code null}
     *         when it is no IP literal
     */
    public static InetAddress parse(String ip) {
        byte[] bytes = ip == null ? null : NetUtil.createByteArrayFromIpAddressString(ip);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** {@code 2001:db8:1:0:0:0:0:0} as {@code 2001:db8:1::}: the trailing zeros of a /48 in the short form. */
    private static String compressed(String full) {
        String[] groups = full.split(":");
        int kept = groups.length;
        while (kept > 0 && groups[kept - 1].equals("0")) {
            kept--;
        }
        return kept == groups.length ? full : String.join(":", Arrays.copyOf(groups, kept)) + "::";
    }
}
