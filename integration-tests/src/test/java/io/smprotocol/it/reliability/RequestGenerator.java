package io.smprotocol.it.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random HTTP/1.x requests for the download listener, mostly almost right: a request line of a method, a
 * target and a version, each usually valid and sometimes not; header lines drawn from what the download manager reads
 * ({@code Range}, {@code If-*}, {@code Forwarded}, {@code X-Forwarded-For}) and from what an HTTP parser must survive
 * (no colon, blanks before the colon, control characters, obs-fold, a 9 KB value, duplicates, bodies and
 * {@code Transfer-Encoding}); paths with percent-encodings good and bad; queries with good, bad and expired signatures.
 */
final class RequestGenerator {

    /**
     * @param index the case's number
     * @param bytes what is sent
     * @param pieces how it is cut into writes
     * @param head whether the method is HEAD (a response has no body)
     * @param normal whether this is a well-formed GET or HEAD of the test file, which must be served
     */
    record Case(int index, byte[] bytes, int[] pieces, boolean head, boolean normal) {
    }

    private final long seed;
    /** The current case's random numbers: each case has its own, so that any case can be made again alone. */
    private Random random;
    private final String file;
    private final String etag;
    private final String lastModified;
    private final String validQuery;
    private final String expiredQuery;

    /**
     * @param seed the seed
     * @param file the path of the test file, e.g. {@code /fuzz/data.bin}
     * @param etag its ETag
     * @param lastModified its Last-Modified
     * @param validQuery a query that signs {@code file} until well after the test
     * @param expiredQuery a query that signs {@code file} with an expiry in the past
     */
    RequestGenerator(long seed, String file, String etag, String lastModified, String validQuery,
            String expiredQuery) {
        this.seed = seed;
        this.file = file;
        this.etag = etag;
        this.lastModified = lastModified;
        this.validQuery = validQuery;
        this.expiredQuery = expiredQuery;
    }

    /**
     * @param index the case's number
     * @return that case, the same for the same seed and number whatever came before; every 50th is a normal GET or
     *         HEAD
     */
    Case next(int index) {
        random = new Random(seed + 0x9E3779B97F4A7C15L * (index + 1));
        if (index % 50 == 49) {
            boolean head = random.nextBoolean();
            byte[] bytes = ((head ? "HEAD " : "GET ") + file + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            return new Case(index, bytes, pieces(bytes.length), head, true);
        }
        String method = method();
        String eol = lineEnding();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, method);
        write(out, separator());
        write(out, target());
        write(out, separator());
        write(out, version());
        write(out, eol);
        if (random.nextInt(100) < 85) {
            write(out, "Host: " + pick("127.0.0.1", "localhost:8081", "", "x".repeat(300), "[::1]", "a b") + eol);
        }
        int headers = random.nextInt(100) < 10 ? 20 + random.nextInt(60) : random.nextInt(6);
        String body = "";
        for (int h = 0; h < headers; h++) {
            String header = header();
            if (header.startsWith("Content-Length: 5")) {
                body = "hello";
            } else if (header.startsWith("Transfer-Encoding: chunked")) {
                body = pick("0\r\n\r\n", "5\r\nhello\r\n0\r\n\r\n", "zz\r\n", "5\r\nhel", "");
            }
            write(out, header + eol);
        }
        write(out, eol);
        write(out, body);
        byte[] bytes = out.toByteArray();
        return new Case(index, bytes, pieces(bytes.length), method.equals("HEAD"), false);
    }

    private String method() {
        int dice = random.nextInt(100);
        if (dice < 55) {
            return "GET";
        }
        if (dice < 70) {
            return "HEAD";
        }
        if (dice < 95) {
            return pick("POST", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH", "BREW", "get", "Head", "G@T",
                    "GE T", "", "\0GET", "GET\u00ff", "M".repeat(100), "PRI");
        }
        return randomText(1 + random.nextInt(10), true);
    }

    private String separator() {
        int dice = random.nextInt(100);
        return dice < 90 ? " " : dice < 95 ? "  " : dice < 98 ? "\t" : "";
    }

    private String version() {
        int dice = random.nextInt(100);
        if (dice < 72) {
            return "HTTP/1.1";
        }
        if (dice < 80) {
            return "HTTP/1.0";
        }
        return pick("HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "http/1.1", "HTTP/1.1 x", "HTTP/11", "HTTP/", "",
                "HTTP/1.1\0", "HTTP/1.10", "HTTP/9.9", "FOO/1.1", randomText(8, false));
    }

    private String lineEnding() {
        int dice = random.nextInt(100);
        return dice < 93 ? "\r\n" : dice < 98 ? "\n" : "\r";
    }

    // ---- request targets

    private String target() {
        int dice = random.nextInt(100);
        if (dice < 30) {
            return file;
        }
        if (dice < 45) {
            return file + "?" + query();
        }
        if (dice < 65) {
            return randomPath() + (random.nextInt(4) == 0 ? "?" + query() : "");
        }
        if (dice < 70) {
            return pick("*", "http://127.0.0.1" + file, "http://[::1]:8081" + file, "https://x" + file, "/" + file,
                    "//" + file, "http://", "http://x", file + "#fragment", file.substring(1));
        }
        if (dice < 75) {
            // around Vert.x' 4096-byte limit of the request line
            return "/" + "a".repeat(3500 + random.nextInt(1500));
        }
        if (dice < 80) {
            return file.replace("/", pick("/ /", "/\t/", "/", "/\0/"));
        }
        return pick("/", "/fuzz", "/fuzz/", "/fuzz/dir", "/fuzz/dir/", "/fuzz/small.txt", "/fuzz/nope",
                "/fuzz/r%C3%A9sum%C3%A9.txt", "/fuzz/résumé.txt", "");
    }

    private static final String[] SEGMENTS = { "fuzz", "data.bin", "dir", "small.txt", "..", ".", "%2e%2e", "%2E",
            ".%2e", "%2f", "%2F", "%5c", "%00", "%0a", "%0d", "%c0%ae", "%252e", "%25", "%zz", "%", "%4", "%e2%82%ac",
            "C:", "c:", "\\", "a\\b", "%7f", "%ff", "%c3%a9", "~", ";", "@", ":", "'", "\"", "<>", "{}", "|", "^", "`",
            "a b", "a%20b", "+", "%2B", "" };

    private String randomPath() {
        StringBuilder path = new StringBuilder(random.nextInt(20) == 0 ? "" : "/");
        int segments = 1 + random.nextInt(5);
        for (int s = 0; s < segments; s++) {
            if (s > 0) {
                path.append('/');
            }
            int dice = random.nextInt(100);
            if (dice < 70) {
                path.append(pick(SEGMENTS));
            } else if (dice < 85) {
                path.append(randomText(1 + random.nextInt(12), false));
            } else {
                // raw bytes: UTF-8 or not; the server sees them as ISO-8859-1 characters
                path.append(randomText(1 + random.nextInt(6), true));
            }
        }
        if (random.nextInt(5) == 0) {
            path.append('/');
        }
        return path.toString();
    }

    private String query() {
        int dice = random.nextInt(100);
        if (dice < 10) {
            return validQuery;
        }
        if (dice < 20) {
            return expiredQuery;
        }
        StringBuilder query = new StringBuilder();
        int parts = 1 + random.nextInt(4);
        for (int p = 0; p < parts; p++) {
            if (p > 0) {
                query.append(pick("&", "&", "&&", ";", ""));
            }
            query.append(pick("expires=", "signature=", "expires=" + digits(1 + random.nextInt(25)),
                    "signature=" + hex(random.nextInt(70)), "%zz", "%", "%4", "=", "a=%G0", "a=%e2%82", "x=%00",
                    "expires=4102444800&signature=" + hex(64), "expires=-1",
                    "signature=" + "0".repeat(64), randomText(1 + random.nextInt(10), false)));
        }
        return query.toString();
    }

    // ---- headers

    private String header() {
        switch (random.nextInt(24)) {
            case 0, 1, 2, 3:
                return "Range: " + range();
            case 4:
                return "If-Range: " + pick(etag, "W/" + etag, lastModified, "\"nope\"", "garbage", "", "W/\"x");
            case 5:
                return pick("If-None-Match: ", "If-Match: ") + entityTags();
            case 6:
                return pick("If-Modified-Since: ", "If-Unmodified-Since: ") + date();
            case 7:
                return "Forwarded: " + pick("for=192.0.2.60;proto=http;by=203.0.113.43", "for=\"[2001:db8:cafe::17]:4711\"",
                        "for=\"[zz", "for=unknown", "for=_hidden, for=198.51.100.17", "for=", ";;;,,,", "for=\"",
                        "for=" + "1.".repeat(200), randomText(20, false));
            case 8:
                return "X-Forwarded-For: " + pick("203.0.113.195", "203.0.113.195, 70.41.3.18, 150.172.238.178",
                        ",,,,", "[::1]", "2001:db8::1", "unknown", "999.999.999.999", "1.2.3.4:80", "",
                        randomText(20, false));
            case 9:
                return "User-Agent: " + randomText(random.nextInt(60), random.nextBoolean());
            case 10:
                return pick("NoColonHere", "Name : value", ": empty name", "X\u0001Y: value", "X-Ctl: a\u0001b",
                        "X-Del: a\u007fb", "X-Nul: a\0b", "X-Cr: a\rb", " folded continuation", "\tfolded",
                        "X-High: \u00ff\u00fe",
                        "\u00ff: high name");
            case 11:
                return "X-Huge: " + "h".repeat(random.nextBoolean() ? 9000 : 7000);
            case 12:
                return "Content-Length: " + pick("5", "0", "abc", "-1", "99999999999999999999", "5, 5", " 5", "");
            case 13:
                return "Transfer-Encoding: " + pick("chunked", "chunked", "gzip, chunked", "identity", "garbage");
            case 14:
                return "Connection: " + pick("close", "keep-alive", "Upgrade", "garbage", "close, close");
            case 15:
                return pick("Expect: 100-continue", "Expect: garbage", "Accept-Encoding: gzip, deflate, br",
                        "Upgrade: websocket", "Cookie: a=b", "Authorization: Basic Zm9vOmJhcg==");
            case 16:
                return "Host: " + pick("127.0.0.1", "", "x:99999", "[::1", randomText(30, false));
            default:
                return "X-Random-" + random.nextInt(1000) + ": " + randomText(random.nextInt(100), false);
        }
    }

    private String range() {
        String unit = random.nextInt(10) < 8 ? "bytes="
                : pick("BYTES=", "lines=", "=", "bytes =", " bytes=",
                        "bytes", "bytes==", "");
        int count = random.nextInt(10) == 0 ? 15 + random.nextInt(50) : 1 + random.nextInt(3);
        StringBuilder specs = new StringBuilder(unit);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                specs.append(pick(",", ",", ", ", ",,", " , "));
            }
            specs.append(switch (random.nextInt(10)) {
                case 0, 1, 2 -> {
                    long first = random.nextInt(120_000);
                    yield first + "-" + (first + random.nextInt(50_000) - 1000);
                }
                case 3 -> random.nextInt(120_000) + "-";
                case 4 -> "-" + random.nextInt(120_000);
                case 5 -> digits(15 + random.nextInt(20)) + "-" + pick("", digits(25), "1");
                case 6 -> "-" + digits(15 + random.nextInt(20));
                case 7 -> pick("--5", "5--", "-", "a-b", "1-2-3", "0x10-0x20", "+1-2", "1 - 2", "\t1-2", "½-1");
                case 8 -> "0-0";
                default -> randomText(random.nextInt(8), false);
            });
        }
        return specs.toString();
    }

    private String entityTags() {
        int count = 1 + random.nextInt(3);
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tags.add(pick(etag, "W/" + etag, "*", "\"other\"", "W/\"", "\"unterminated", "noquotes", "", "W/",
                    "\"" + randomText(10, false) + "\""));
        }
        return String.join(pick(", ", ",", " "), tags);
    }

    private String date() {
        return pick(lastModified, "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                "Sun Nov  6 08:49:37 1994", "Fri, 31 Dec 9999 23:59:59 GMT", "Sun, 06 Nov 99999 08:49:37 GMT",
                "Mon, 32 Foo 2024 25:61:61 GMT", "0", "-1", "garbage", "", randomText(29, false));
    }

    // ---- small things

    /** Cut with random numbers of their own: the content's length (an ETag's, say) must not shift later draws. */
    private int[] pieces(int length) {
        Random random = new Random(this.random.nextLong());
        List<Integer> sizes = new ArrayList<>();
        int left = length;
        while (left > 0) {
            int size = Math.min(left, 1 + random.nextInt(random.nextInt(4) == 0 ? 4 : 512));
            sizes.add(size);
            left -= size;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    private String digits(int n) {
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < n; i++) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        return digits.toString();
    }

    private String hex(int n) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < n; i++) {
            hex.append("0123456789abcdefABCDEFxz".charAt(random.nextInt(random.nextInt(8) == 0 ? 24 : 16)));
        }
        return hex.toString();
    }

    /** Printable ASCII, or any byte but CR and LF (as an ISO-8859-1 character) when {@code anyByte}. */
    private String randomText(int n, boolean anyByte) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            char c = anyByte ? (char) random.nextInt(256) : (char) (0x21 + random.nextInt(94));
            if (c == '\r' || c == '\n') {
                c = '?';
            }
            text.append(c);
        }
        return text.toString();
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
