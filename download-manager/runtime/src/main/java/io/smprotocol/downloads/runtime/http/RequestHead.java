package io.smprotocol.downloads.runtime.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * A request head as Netty's decoder read it, with what the listener asks of it: the method, the path without its
 * query, headers by name, query parameters (decoded only when asked for) and whether the connection stays open after
 * the answer.
 */
final class RequestHead {

    private final HttpRequest request;
    private final String path;
    private final boolean keepAlive;
    private Map<String, List<String>> parameters;

    RequestHead(HttpRequest request) {
        this.request = request;
        this.path = pathOf(request.uri());
        this.keepAlive = HttpUtil.isKeepAlive(request);
    }

    HttpMethod method() {
        return request.method();
    }

    boolean isHead() {
        return request.method() == HttpMethod.HEAD;
    }

    boolean isGet() {
        return request.method() == HttpMethod.GET;
    }

    HttpVersion version() {
        return request.protocolVersion();
    }

    /** @return whether the client keeps the connection after this answer (RFC 9112 section 9.3) */
    boolean keepAlive() {
        return keepAlive;
    }

    /** @return the request target's path, as sent (not decoded), without the query */
    String path() {
        return path;
    }

    /** @return the first value of the header, or {@code null} */
    String header(CharSequence name) {
        return request.headers().get(name);
    }

    /** @return every value of the header, in order */
    List<String> headers(CharSequence name) {
        return request.headers().getAll(name);
    }

    /**
     * @return the query parameter's first value, decoded, or {@code null}
     * @throws IllegalArgumentException when the query has a malformed escape
     */
    String param(String name) {
        if (parameters == null) {
            // ';' is data, not a separator (as in a form)
            parameters = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8, true, 1024, true).parameters();
        }
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * The origin-form path of a request target: the absolute form's path (RFC 9112 section 3.2.2) too, and "/" for
     * an absolute form without one.
     */
    static String pathOf(String uri) {
        int start = 0;
        if (!uri.isEmpty() && uri.charAt(0) != '/') {
            int scheme = uri.indexOf("://");
            if (scheme >= 0) {
                start = uri.indexOf('/', scheme + 3);
                if (start < 0) {
                    return "/";
                }
            }
        }
        int query = uri.indexOf('?', start);
        return query < 0 ? (start == 0 ? uri : uri.substring(start)) : uri.substring(start, query);
    }
}
