package io.smprotocol.downloads.runtime.semantics;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request path, decoded once and checked before it goes near the file system.
 * <p>
 * Every spelling that could climb out of the root, or mean something else to another layer, is refused here rather
 * than normalised: {@code .} and {@code ..} segments (also percent-encoded, {@code %2e%2e}), encoded slashes and
 * backslashes ({@code %2f}, {@code %5c}), literal backslashes, NUL and other control characters, double encoding
 * ({@code %252e}: whatever decodes to another escape), empty segments ({@code //etc/passwd}), drive letters and
 * malformed escapes or UTF-8. A path that passes is a plain list of segments under the root.
 *
 * @param segments the decoded segments, none empty, none {@code .} or {@code ..}
 * @param directory whether the path ended with {@code /}
 */
public record RequestPath(List<String> segments, boolean directory) {

    public RequestPath {
        segments = List.copyOf(segments);
    }

    /** @return the decoded path with a leading {@code /}, e.g. {@code /docs/a b.pdf}; signatures are made over it */
    public String path() {
        return "/" + String.join("/", segments) + (directory && !segments.isEmpty() ? "/" : "");
    }

    /** @return the last segment, the file's name, or an empty string for the root */
    public String fileName() {
        return segments.isEmpty() ? "" : segments.get(segments.size() - 1);
    }

    /** Why a path was refused; the message is safe to show to the client. */
    public static final class InvalidPathException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidPathException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param rawPath the path of the request target as received, still percent-encoded, without the query
     * @return the checked path
     * @throws InvalidPathException when the path is refused (answer 400)
     */
    public static RequestPath parse(String rawPath) throws InvalidPathException {
        if (rawPath == null || !rawPath.startsWith("/")) {
            throw new InvalidPathException("the path must start with /");
        }
        if (rawPath.indexOf('\\') >= 0) {
            throw new InvalidPathException("backslash in path");
        }
        List<String> segments = new ArrayList<>();
        // split on the literal slashes only: an encoded slash is refused while decoding a segment
        String[] raw = rawPath.substring(1).split("/", -1);
        for (int i = 0; i < raw.length; i++) {
            boolean lastOne = i == raw.length - 1;
            if (raw[i].isEmpty()) {
                if (lastOne) {
                    return new RequestPath(segments, true);
                }
                throw new InvalidPathException("empty path segment");
            }
            String segment = decode(raw[i]);
            if (segment.equals(".") || segment.equals("..")) {
                throw new InvalidPathException("dot segment in path");
            }
            if (i == 0 && segment.length() >= 2 && segment.charAt(1) == ':' && Character.isLetter(segment.charAt(0))) {
                throw new InvalidPathException("drive letter in path");
            }
            segments.add(segment);
        }
        return new RequestPath(segments, false);
    }

    private static String decode(String raw) throws InvalidPathException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new InvalidPathException("malformed percent-encoding");
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new InvalidPathException("malformed percent-encoding");
                }
                int b = high << 4 | low;
                if (b == '/' || b == '\\') {
                    throw new InvalidPathException("encoded slash or backslash in path");
                }
                bytes.write(b);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                // a client that sent raw UTF-8: Vert.x hands it over as ISO-8859-1 chars, one per byte
                bytes.write(c & 0xff);
            }
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidPathException("path is not UTF-8");
        }
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new InvalidPathException("control character in path");
            }
            if (c == '%' && i + 2 < decoded.length() && Character.digit(decoded.charAt(i + 1), 16) >= 0
                    && Character.digit(decoded.charAt(i + 2), 16) >= 0) {
                // decoding again would give another path: double encoding is how filters are bypassed
                throw new InvalidPathException("double percent-encoding in path");
            }
        }
        return decoded;
    }
}
