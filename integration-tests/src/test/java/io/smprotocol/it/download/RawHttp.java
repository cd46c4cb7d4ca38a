package io.smprotocol.it.download;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client on a plain socket: it sends request targets exactly as given (no normalisation of
 * {@code ..}, {@code %2e} or backslashes, which every real client does) and returns the response as received.
 */
public final class RawHttp implements Closeable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** One request on a fresh connection, closed afterwards. */
    public static Response request(int port, String method, String target, String... headers) throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            String[] all = new String[headers.length + 1];
            System.arraycopy(headers, 0, all, 0, headers.length);
            all[headers.length] = "Connection: close";
            return http.send(method, target, all);
        }
    }

    public static Response get(int port, String target, String... headers) throws IOException {
        return request(port, "GET", target, headers);
    }

    /** Sends one request on this connection and reads its response. */
    public Response send(String method, String target, String... headers) throws IOException {
        sendOnly(method, target, headers);
        return read(method.equals("HEAD"));
    }

    public void sendOnly(String method, String target, String... headers) throws IOException {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        request.append("\r\n");
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads the status line and headers only; the body stays in the stream. */
    public Response readHead() throws IOException {
        String statusLine = line();
        List<String[]> headers = new ArrayList<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.add(new String[] { line.substring(0, colon).trim(), line.substring(colon + 1).trim() });
        }
        return new Response(Integer.parseInt(statusLine.split(" ")[1]), statusLine, headers, new byte[0]);
    }

    Response read(boolean head) throws IOException {
        Response response = readHead();
        int status = response.status();
        if (head || status == 304 || status == 204 || status < 200) {
            return response;
        }
        String length = response.header("Content-Length");
        byte[] body;
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
            if (body.length != Integer.parseInt(length)) {
                throw new EOFException("body cut short: " + body.length + " of " + length);
            }
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, response.statusLine(), response.headers(), body);
    }

    public InputStream input() {
        return in;
    }

    public Socket socket() {
        return socket;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in the response head");
            }
            if (b == '\n' && previous == '\r') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            previous = b;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * @param status the status code
     * @param statusLine the whole status line
     * @param headers name and value of each header, in order
     * @param body the body as received
     */
    public record Response(int status, String statusLine, List<String[]> headers, byte[] body) {

        public String header(String name) {
            List<String> values = headers(name);
            return values.isEmpty() ? null : values.get(0);
        }

        List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    values.add(header[1]);
                }
            }
            return values;
        }

        /** @return the headers as lower-case "name: value" lines, without Date, for comparing HEAD and GET */
        List<String> headersWithoutDate() {
            List<String> lines = new ArrayList<>();
            for (String[] header : headers) {
                if (!header[0].equalsIgnoreCase("Date")) {
                    lines.add(header[0].toLowerCase(Locale.ROOT) + ": " + header[1]);
                }
            }
            return lines;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
