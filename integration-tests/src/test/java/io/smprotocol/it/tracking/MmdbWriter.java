package io.smprotocol.it.tracking;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small writer of MaxMind DB files ({@code .mmdb}, format 2.0), for tests only: no Java writer is published, and
 * the format's specification is public. It writes an IPv6 search tree with 32-bit records (IPv4 networks live under
 * {@code ::/96}), a data section of maps, strings, doubles, unsigned integers,
 * arrays and booleans, and the metadata. No pointers, no deduplication: enough for a few networks.
 */
public final class MmdbWriter {

    private static final byte[] METADATA_MARKER = { (byte) 0xAB, (byte) 0xCD, (byte) 0xEF, 'M', 'a', 'x', 'M', 'i',
            'n', 'd', '.', 'c', 'o', 'm' };

    private final String databaseType;
    /** Each node: {left, right}; values below 0 are data offsets ({@code -1 - offset}), 0 with EMPTY unset. */
    private final List<long[]> nodes = new ArrayList<>();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private static final long EMPTY = Long.MIN_VALUE;

    /**
     * @param databaseType e.g. {@code GeoLite2-City} or {@code GeoLite2-ASN}
     */
    public MmdbWriter(String databaseType) {
        this.databaseType = databaseType;
        nodes.add(new long[] { EMPTY, EMPTY });
    }

    /**
     * Maps a network to a record.
     *
     * @param cidr e.g. {@code 81.2.69.0/24} or {@code 2001:db8::/32}
     * @param record maps, lists, strings, doubles, integers/longs and booleans
     * @return this
     */
    public MmdbWriter insert(String cidr, Map<String, Object> record) throws IOException {
        String[] parts = cidr.split("/");
        byte[] address = InetAddress.getByName(parts[0]).getAddress();
        int prefix = Integer.parseInt(parts[1]);
        byte[] bits16 = new byte[16];
        if (address.length == 4) {
            System.arraycopy(address, 0, bits16, 12, 4);
            prefix += 96;
        } else {
            bits16 = address;
        }
        long offset = data.size();
        encode(record, data);
        int node = 0;
        for (int i = 0; i < prefix; i++) {
            int bit = (bits16[i / 8] >> (7 - i % 8)) & 1;
            if (i == prefix - 1) {
                nodes.get(node)[bit] = -1 - offset;
            } else {
                long next = nodes.get(node)[bit];
                if (next == EMPTY) {
                    nodes.add(new long[] { EMPTY, EMPTY });
                    next = nodes.size() - 1;
                    nodes.get(node)[bit] = next;
                } else if (next < 0) {
                    throw new IllegalArgumentException(cidr + " lies inside a network inserted before");
                }
                node = (int) next;
            }
        }
        return this;
    }

    /** Writes the database. */
    public void write(Path file) throws IOException {
        long nodeCount = nodes.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long[] node : nodes) {
            for (long record : node) {
                long value = record == EMPTY ? nodeCount : record < 0 ? nodeCount + 16 + (-1 - record) : record;
                out.write((int) (value >>> 24));
                out.write((int) (value >>> 16));
                out.write((int) (value >>> 8));
                out.write((int) value);
            }
        }
        out.write(new byte[16]);
        data.writeTo(out);
        out.write(METADATA_MARKER);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("node_count", new UInt(nodeCount, 6));
        metadata.put("record_size", new UInt(32, 5));
        metadata.put("ip_version", new UInt(6, 5));
        metadata.put("database_type", databaseType);
        metadata.put("languages", List.of("en"));
        metadata.put("binary_format_major_version", new UInt(2, 5));
        metadata.put("binary_format_minor_version", new UInt(0, 5));
        metadata.put("build_epoch", new UInt(1_700_000_000L, 9));
        metadata.put("description", Map.of("en", "test database"));
        encode(metadata, out);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, out.toByteArray());
    }

    /** An unsigned integer of a given type: 5 uint16, 6 uint32, 9 uint64. */
    public record UInt(long value, int type) {
    }

    private static void encode(Object value, ByteArrayOutputStream out) throws IOException {
        if (value instanceof String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            control(2, bytes.length, out);
            out.write(bytes);
        } else if (value instanceof Double number) {
            control(3, 8, out);
            long bits = Double.doubleToLongBits(number);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (bits >>> shift));
            }
        } else if (value instanceof Map<?, ?> map) {
            control(7, map.size(), out);
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                encode(String.valueOf(entry.getKey()), out);
                encode(entry.getValue(), out);
            }
        } else if (value instanceof List<?> list) {
            control(11, list.size(), out);
            for (Object item : list) {
                encode(item, out);
            }
        } else if (value instanceof Boolean flag) {
            control(14, flag ? 1 : 0, out);
        } else if (value instanceof UInt uint) {
            unsigned(uint.value(), uint.type(), out);
        } else if (value instanceof Integer || value instanceof Long) {
            unsigned(((Number) value).longValue(), 6, out);
        } else {
            throw new IllegalArgumentException("cannot encode " + value);
        }
    }

    private static void unsigned(long value, int type, ByteArrayOutputStream out) {
        int length = 0;
        for (long v = value; v != 0; v >>>= 8) {
            length++;
        }
        control(type, length, out);
        for (int i = length - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)));
        }
    }

    /** The control byte(s): type in the top 3 bits (0 + an extended type byte past 7), then the size. */
    private static void control(int type, int size, ByteArrayOutputStream out) {
        int typeBits = type <= 7 ? type << 5 : 0;
        if (size < 29) {
            out.write(typeBits | size);
            extended(type, out);
        } else if (size < 29 + 256) {
            out.write(typeBits | 29);
            extended(type, out);
            out.write(size - 29);
        } else if (size < 285 + 65536) {
            out.write(typeBits | 30);
            extended(type, out);
            out.write((size - 285) >>> 8);
            out.write(size - 285);
        } else {
            out.write(typeBits | 31);
            extended(type, out);
            int rest = size - 65821;
            out.write(rest >>> 16);
            out.write(rest >>> 8);
            out.write(rest);
        }
    }

    private static void extended(int type, ByteArrayOutputStream out) {
        if (type > 7) {
            out.write(type - 7);
        }
    }
}
