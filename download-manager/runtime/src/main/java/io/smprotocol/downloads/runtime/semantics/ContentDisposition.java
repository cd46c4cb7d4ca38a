package io.smprotocol.downloads.runtime.semantics;

import java.nio.charset.StandardCharsets;

/**
 * {@code Content-Disposition: attachment} with the file name twice, as RFC 6266 recommends: a plain ASCII
 * {@code filename} for old clients and {@code filename*=UTF-8''...} (RFC 8187) with the exact name.
 */
public final class ContentDisposition {

    private static final String ATTR_CHARS = "!#$&+-.^_`|~";

    private ContentDisposition() {
    }

    /**
     * @param fileName the file's name as on disk
     * @return the header value
     */
    public static String attachment(String fileName) {
        StringBuilder fallback = new StringBuilder();
        for (int i = 0; i < fileName.length(); i++) {
            char c = fileName.charAt(i);
            // quotes, backslashes and controls could break out of the quoted string; non-ASCII is for filename*
            fallback.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        StringBuilder encoded = new StringBuilder();
        for (byte b : fileName.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || ATTR_CHARS.indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
    }
}
