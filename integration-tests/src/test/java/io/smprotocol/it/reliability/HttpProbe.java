package io.smprotocol.it.reliability;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP/1.1 client on a plain socket that sends bytes exactly as given (malformed ones included, in pieces of the
 * caller's choosing) and reads whatever comes back: a response, a close, a reset, or nothing within the timeout.
 * {@code io.smprotocol.it.download.RawHttp} reads well-formed exchanges; this one must survive anything.
 */
final class HttpProbe implements AutoCloseable {

    /** How an exchange ended. */
    enum Ending {
        /** A response head (and its body) arrived. */
        RESPONSE,
        /** The server closed the connection without answering. */
        CLOSED,
        /** The connection was reset without an answer. */
        RESET,
        /** Nothing came, and no close, within the timeout. */
        SILENT
    }

    /**
     * @param ending how it ended
     * @param status the status code, 0 without a response
     * @param statusLine the status line as received
     * @param headers each header's name and value
     * @param body the body (per Content-Length, or up to the close)
     * @param halfClosed whether the probe had to half-close its side to get an answer or a close
     */
    record Result(Ending ending, int status, String statusLine, List<String[]> headers, byte[] body,
            boolean halfClosed) {

        String header(String name) {
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    return header[1];
                }
            }
            return null;
        }

        String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return ending == Ending.RESPONSE ? statusLine + (halfClosed ? " (after half-close)" : "")
                    : ending + (halfClosed ? " (after half-close)" : "");
        }
    }

    private static final int MAX_HEAD = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    HttpProbe(int port, int timeoutMillis) throws IOException {
        socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    Socket socket() {
        return socket;
    }

    InputStream input() {
        return in;
    }

    /** Sends the bytes in writes of the given sizes (the last size repeats), flushing each. */
    void send(byte[] bytes, int... pieces) throws IOException {
        int start = 0;
        int piece = 0;
        while (start < bytes.length) {
            int size = pieces.length == 0 ? bytes.length : Math.max(1, pieces[Math.min(piece++, pieces.length - 1)]);
            int n = Math.min(size, bytes.length - start);
            out.write(bytes, start, n);
            out.flush();
            start += n;
        }
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Reads one response. When nothing arrives within {@code answerMillis}, the request may be one the server waits
     * to complete: the probe half-closes its side and gives the server {@code closeMillis} more to answer or close.
     *
     * @param head whether the request was a HEAD (no body follows the head)
     */
    Result read(boolean head, int answerMillis, int closeMillis) throws IOException {
        boolean halfClosed = false;
        int first;
        socket.setSoTimeout(answerMillis);
        try {
            first = in.read();
        } catch (SocketTimeoutException nothingYet) {
            halfClosed = true;
            try {
                socket.shutdownOutput();
            } catch (IOException alreadyGone) {
                // the server closed meanwhile: the read below sees it
            }
            socket.setSoTimeout(closeMillis);
            try {
                first = in.read();
            } catch (SocketTimeoutException silent) {
                return new Result(Ending.SILENT, 0, null, List.of(), new byte[0], true);
            } catch (SocketException reset) {
                return new Result(Ending.RESET, 0, null, List.of(), new byte[0], true);
            }
        } catch (SocketException reset) {
            return new Result(Ending.RESET, 0, null, List.of(), new byte[0], false);
        }
        if (first < 0) {
            return new Result(Ending.CLOSED, 0, null, List.of(), new byte[0], halfClosed);
        }
        socket.setSoTimeout(closeMillis);
        String statusLine = line(first);
        List<String[]> headers = new ArrayList<>();
        int headBytes = statusLine.length();
        for (String line = line(-1); !line.isEmpty(); line = line(-1)) {
            headBytes += line.length();
            if (headBytes > MAX_HEAD) {
                throw new IOException("response head longer than " + MAX_HEAD + " bytes");
            }
            int colon = line.indexOf(':');
            headers.add(colon < 0 ? new String[] { line, "" }
                    : new String[] { line.substring(0, colon).trim(), line.substring(colon + 1).trim() });
        }
        String[] parts = statusLine.split(" ", 3);
        int status = parts.length >= 2 && parts[1].matches("\\d{3}") ? Integer.parseInt(parts[1]) : -1;
        Result response = new Result(Ending.RESPONSE, status, statusLine, headers, new byte[0], halfClosed);
        byte[] body;
        String length = response.header("Content-Length");
        if (head || status == 304 || status == 204 || (status >= 100 && status < 200)) {
            body = new byte[0];
        } else if (length != null && length.matches("\\d{1,10}")) {
            body = in.readNBytes(Integer.parseInt(length));
            if (body.length != Integer.parseInt(length)) {
                throw new EOFException("body cut short: " + body.length + " of " + length + " bytes after "
                        + statusLine);
            }
        } else {
            body = in.readAllBytes();
        }
        return new Result(Ending.RESPONSE, status, statusLine, headers, body, halfClosed);
    }

    /** @return whether the server closes the connection within the socket's timeout (reset counts as closed) */
    boolean closedByServer(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** A response line, ended by CR LF (a bare LF is taken too). */
    private String line(int first) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b = first >= 0 ? first : in.read();
        while (b != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed in the response head after: "
                        + line.toString(StandardCharsets.ISO_8859_1));
            }
            if (line.size() > MAX_HEAD) {
                throw new IOException("response line longer than " + MAX_HEAD + " bytes");
            }
            line.write(b);
            b = in.read();
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    /** Closes with a reset instead of a FIN. */
    void abort() throws IOException {
        try {
            socket.setSoLinger(true, 0);
        } finally {
            socket.close();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
