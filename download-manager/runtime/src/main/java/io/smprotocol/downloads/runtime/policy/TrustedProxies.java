package io.smprotocol.downloads.runtime.policy;

import java.util.ArrayList;
import java.util.List;

import io.netty.util.NetUtil;

/**
 * The networks whose forwarding headers are believed, as CIDR blocks. Addresses are parsed as literals only (never
 * resolved through DNS, which would block).
 */
public final class TrustedProxies {

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = blocks;
    }

    /** @return trusting nobody */
    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * @param cidrs blocks such as {@code 10.0.0.0/8}, {@code fd00::/8} or single addresses
     * @return the set
     * @throws IllegalArgumentException naming the first entry that is not a CIDR block
     */
    public static TrustedProxies parse(List<String> cidrs) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : cidrs) {
            String cidr = entry.trim();
            if (cidr.isEmpty()) {
                continue;
            }
            int slash = cidr.indexOf('/');
            String address = slash < 0 ? cidr : cidr.substring(0, slash);
            byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
            if (bytes == null) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block");
            }
            int prefix = bytes.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(cidr.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new IllegalArgumentException("'" + entry + "' has an invalid prefix length");
                }
            }
            blocks.add(new Block(bytes, prefix));
        }
        return new TrustedProxies(List.copyOf(blocks));
    }

    /** @return whether no proxy is trusted */
    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /**
     * @param address an IP literal
     * @return whether it lies in a trusted block; {@code false} for anything that is not an IP literal
     */
    public boolean contains(String address) {
        if (blocks.isEmpty() || address == null) {
            return false;
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        if (bytes == null) {
            return false;
        }
        // an IPv4-mapped IPv6 peer (::ffff:10.1.2.3) is the IPv4 address for matching purposes
        if (bytes.length == 16 && isIpv4Mapped(bytes)) {
            byte[] v4 = new byte[] { bytes[12], bytes[13], bytes[14], bytes[15] };
            return blocks.stream().anyMatch(b -> b.contains(v4) || b.contains(bytes));
        }
        return blocks.stream().anyMatch(b -> b.contains(bytes));
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }
}
