package io.smprotocol.downloads.runtime.http;

import java.util.List;
import java.util.Locale;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The download listener's HTTP/1.x request decoder: Netty's, made strict where RFC 9112 asks a server to refuse what
 * could frame a request differently than a proxy in front of it does (request smuggling). A request refused here
 * is passed on with a failed decoder result, so the listener's invalid-request handler answers it and closes the
 * connection; every byte after it is dropped, never read as a next request.
 * <ul>
 * <li>{@code Content-Length} together with {@code Transfer-Encoding} (section 6.1): 400. Netty would drop the length
 * and read the body as chunked, leaving whatever follows {@code 0\r\n\r\n} to be parsed as a second request.</li>
 * <li>{@code Transfer-Encoding} other than a single {@code chunked}, or on HTTP/1.0 (section 6.1): 400, or 501 for a
 * coding this server does not decode.</li>
 * <li>no {@code Host}, or more than one, on HTTP/1.1; more than one on HTTP/1.0 (section 3.2): 400.</li>
 * <li>a folded header line (section 5.2), seen by {@link HeadScanner}: 400.</li>
 * <li>a version other than HTTP/1.0 and HTTP/1.1: 505, answered as HTTP/1.1 (not in the
 * client's version); a later minor version of HTTP/1 is served as HTTP/1.1, as RFC 9110
 * section 2.5 says; a protocol name other than {@code HTTP}: 400.</li>
 * <li>a body over {@value #MAX_BODY} bytes: 413 when {@code Content-Length} says so; a chunked one is read and
 * dropped up to that bound, then the connection is closed. The listener serves GET and HEAD only, so no body is ever
 * used: bounded, it costs little; unbounded, any client could keep a connection reading forever.</li>
 * <li>a bare CR or LF in the head or a chunk line: Netty's strict line parsing refuses it (400).</li>
 * </ul>
 */
final class StrictRequestDecoder extends HttpRequestDecoder {

    /** The largest request body read (and dropped). */
    static final int MAX_BODY = 64 * 1024;

    private final HeadScanner scanner = new HeadScanner();
    private final Runnable bodyTooLarge;
    private long consumed;
    private boolean framingConflict;
    /** After a refused request: nothing more of this connection is decoded. */
    private boolean discarding;
    private long chunkedBody = -1;

    /** The longest request line: a longer one gets 414. */
    static final int MAX_REQUEST_LINE = 4096;
    /** The largest header section: a larger one gets 431. */
    static final int MAX_HEADER_SECTION = 8192;
    /**
     * Request headers are checked as they are added: a name with a space or a value with a CR or a NUL makes the
     * request invalid (400), so that no proxy in front can read it otherwise.
     */
    private static final DefaultHttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory()
            .withNameValidation(true).withValueValidation(true);

    /**
     * @param bodyTooLarge told when a chunked body passed {@link #MAX_BODY} and the connection is closed
     */
    StrictRequestDecoder(Runnable bodyTooLarge) {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_REQUEST_LINE)
                .setMaxHeaderSize(MAX_HEADER_SECTION)
                .setMaxChunkSize(8192)
                .setInitialBufferSize(128)
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true)
                .setHeadersFactory(HEADERS)
                .setTrailersFactory(HEADERS));
        this.bodyTooLarge = bodyTooLarge;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        scanner.scan(in, consumed);
        int before = in.readerIndex();
        int first = out.size();
        super.decode(ctx, in, out);
        consumed += in.readerIndex() - before;
        for (int i = first; i < out.size(); i++) {
            Object message = out.get(i);
            if (message instanceof HttpRequest request) {
                check(request);
            }
            if (message instanceof HttpContent content && chunkedBody >= 0) {
                chunkedBody += content.content().readableBytes();
                if (chunkedBody > MAX_BODY) {
                    discarding = true;
                    bodyTooLarge.run();
                    ctx.close();
                    return;
                }
            }
            if (message instanceof LastHttpContent) {
                scanner.nextRequestAt(consumed);
                chunkedBody = -1;
            }
        }
    }

    private void check(HttpRequest request) {
        boolean conflict = framingConflict;
        framingConflict = false;
        boolean folded = scanner.takeFolded();
        if (!request.decoderResult().isSuccess()) {
            discarding = true;
            return;
        }
        RefusedRequest refused = refusal(request, conflict, folded);
        if (refused != null) {
            request.setDecoderResult(DecoderResult.failure(refused));
            discarding = true;
        } else if (HttpUtil.isTransferEncodingChunked(request)) {
            chunkedBody = 0;
        }
    }

    private static RefusedRequest refusal(HttpRequest request, boolean conflict, boolean folded) {
        HttpVersion version = request.protocolVersion();
        if (!"HTTP".equals(version.protocolName())) {
            request.setProtocolVersion(HttpVersion.HTTP_1_1);
            return new RefusedRequest(400, "invalid-version", version.text());
        }
        if (version.majorVersion() != 1) {
            request.setProtocolVersion(HttpVersion.HTTP_1_1);
            return new RefusedRequest(505, "unsupported-version", version.text());
        }
        if (version.minorVersion() > 1) {
            request.setProtocolVersion(HttpVersion.HTTP_1_1);
        }
        if (folded) {
            return new RefusedRequest(400, "obs-fold", null);
        }
        HttpHeaders headers = request.headers();
        if (conflict) {
            return new RefusedRequest(400, "content-length-with-transfer-encoding", null);
        }
        List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty()) {
            if (request.protocolVersion().minorVersion() == 0) {
                return new RefusedRequest(400, "transfer-encoding-on-http-1.0", null);
            }
            String joined = String.join(",", codings).toLowerCase(Locale.ROOT).replace(" ", "").replace("\t", "");
            if (!joined.equals("chunked")) {
                return joined.endsWith(",chunked") && joined.indexOf("chunked") == joined.length() - 7
                        ? new RefusedRequest(501, "unsupported-transfer-coding", joined)
                        : new RefusedRequest(400, "invalid-transfer-encoding", joined);
            }
        }
        int hosts = headers.getAll(HttpHeaderNames.HOST).size();
        if (hosts > 1) {
            return new RefusedRequest(400, "repeated-host", null);
        }
        if (hosts == 0 && request.protocolVersion().minorVersion() == 1) {
            return new RefusedRequest(400, "missing-host", null);
        }
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null && parsedLength(length) > MAX_BODY) {
            return new RefusedRequest(413, "body-too-large", length.trim());
        }
        return null;
    }

    /** @return the length Netty already checked is a number, or {@code Long.MAX_VALUE} */
    private static long parsedLength(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        // remembered and refused once the head is complete, see check
        framingConflict = true;
        super.handleTransferEncodingChunkedWithContentLength(message);
    }

    @Override
    protected HttpMessage createInvalidMessage() {
        // answered as HTTP/1.1, like every other answer of the listener (Netty's placeholder says HTTP/1.0)
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request", Unpooled.EMPTY_BUFFER,
                HEADERS.newHeaders(), HEADERS.newHeaders());
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        // a request has a body exactly when its framing headers say so
        return false;
    }
}
