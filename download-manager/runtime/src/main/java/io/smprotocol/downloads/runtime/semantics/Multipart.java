package io.smprotocol.downloads.runtime.semantics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.smprotocol.download.ByteRange;
import io.smprotocol.download.FileInfo;
import io.vertx.core.buffer.Buffer;

/**
 * The framing of a {@code multipart/byteranges} body (RFC 9110 14.6), laid out like nginx's: each part is
 * {@code CRLF--BOUNDARY CRLF Content-Type CRLF Content-Range CRLF CRLF data}, and the body ends with
 * {@code CRLF--BOUNDARY--CRLF}.
 * <p>
 * The boundary is derived from the ETag and the ranges rather than drawn at random, so that a HEAD request gets
 * exactly the headers (Content-Type with the boundary, Content-Length) the same GET gets.
 *
 * @param boundary the boundary
 * @param partHeaders the header of each part, before its data
 * @param trailer the closing delimiter
 * @param contentLength the body's exact length
 */
public record Multipart(String boundary, List<Buffer> partHeaders, Buffer trailer, long contentLength) {

    public static Multipart of(FileInfo file, List<ByteRange> ranges) {
        String boundary = boundary(file.etag(), ranges);
        List<Buffer> headers = new ArrayList<>();
        long length = 0;
        for (ByteRange range : ranges) {
            Buffer header = Buffer.buffer("\r\n--" + boundary + "\r\nContent-Type: " + file.contentType()
                    + "\r\nContent-Range: " + range.contentRange(file.size()) + "\r\n\r\n", "ISO-8859-1");
            headers.add(header);
            length += header.length() + range.length();
        }
        Buffer trailer = Buffer.buffer("\r\n--" + boundary + "--\r\n", "ISO-8859-1");
        return new Multipart(boundary, headers, trailer, length + trailer.length());
    }

    /** @return the Content-Type of the whole body */
    public String contentType() {
        return "multipart/byteranges; boundary=" + boundary;
    }

    private static String boundary(String etag, List<ByteRange> ranges) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(etag.getBytes(StandardCharsets.UTF_8));
            for (ByteRange range : ranges) {
                digest.update((range.first() + "-" + range.last() + ",").getBytes(StandardCharsets.US_ASCII));
            }
            return "SMP" + HexFormat.of().formatHex(digest.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
