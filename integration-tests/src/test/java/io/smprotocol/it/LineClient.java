package io.smprotocol.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A blocking test client for line protocols: a socket to 127.0.0.1 with connect and read timeouts, raw writes and a
 * reader of CR LF terminated reply lines. Every read is bounded by the socket timeout, so a test never hangs on a
 * server that does not answer.
 */
public final class LineClient implements AutoCloseable {

    /** Connect and read timeout unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final int MAX_REPLY_LINE = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int readTimeoutMillis;

    private LineClient(Socket socket, int readTimeoutMillis) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.readTimeoutMillis = readTimeoutMillis;
    }

    /**
     * @param port a port on 127.0.0.1
     * @return a connected client with the default timeouts
     */
    public static LineClient connect(int port) throws IOException {
        return connect(port, DEFAULT_TIMEOUT);
    }

    /**
     * @param port a port on 127.0.0.1
     * @param timeout the connect timeout and the read timeout of every read
     * @return a connected client
     */
    public static LineClient connect(int port, Duration timeout) throws IOException {
        return connect(port, timeout, 0);
    }

    /**
     * @param port a port on 127.0.0.1
     * @param timeout the connect timeout and the read timeout of every read
     * @param receiveBuffer the socket's receive buffer size, 0 for the system default; a small one makes the
     *        server's replies back up quickly when the client does not read
     * @return a connected client
     */
    public static LineClient connect(int port, Duration timeout, int receiveBuffer) throws IOException {
        int millis = Math.toIntExact(timeout.toMillis());
        Socket socket = new Socket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            // no Nagle: each write goes out on its own, which the split-write tests rely on
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(millis);
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), millis);
            return new LineClient(socket, millis);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    // ---- writing

    /** Sends the line followed by CR LF, in one write. */
    public LineClient sendLine(String line) throws IOException {
        return send(line + "\r\n");
    }

    /** Sends the text as UTF-8, as it is (no line ending added), in one write. */
    public LineClient send(String raw) throws IOException {
        return send(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the bytes in one write. */
    public LineClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends the bytes in writes of at most {@code pieceSize} bytes each, flushing every one. */
    public LineClient sendInPieces(byte[] bytes, int pieceSize) throws IOException {
        for (int start = 0; start < bytes.length; start += pieceSize) {
            out.write(bytes, start, Math.min(pieceSize, bytes.length - start));
            out.flush();
        }
        return this;
    }

    // ---- reading

    /**
     * Reads one reply line, which the server must end with CR LF.
     *
     * @return the line without its CR LF
     * @throws EOFException when the server closed the connection before a whole line arrived
     * @throws SocketTimeoutException when no line arrived within the read timeout
     */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(line.size() == 0 ? "connection closed by the server"
                        : "connection closed by the server after a partial line: "
                                + line.toString(StandardCharsets.UTF_8));
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                if (bytes.length == 0 || bytes[bytes.length - 1] != '\r') {
                    throw new IOException("reply line not ended by CR LF: " + line.toString(StandardCharsets.UTF_8));
                }
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_REPLY_LINE) {
                throw new IOException("reply line longer than " + MAX_REPLY_LINE + " bytes");
            }
            line.write(b);
        }
    }

    /**
     * Reads exactly {@code count} bytes, whatever they are (a binary value).
     *
     * @throws EOFException when the server closed the connection first
     */
    public byte[] readBytes(int count) throws IOException {
        byte[] bytes = in.readNBytes(count);
        if (bytes.length < count) {
            throw new EOFException("connection closed by the server after " + bytes.length + " of " + count + " bytes");
        }
        return bytes;
    }

    /** Reads {@code count} reply lines. */
    public List<String> readLines(int count) throws IOException {
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lines.add(readLine());
        }
        return lines;
    }

    /** Sends the line with CR LF and reads one reply line. */
    public String command(String line) throws IOException {
        sendLine(line);
        return readLine();
    }

    /**
     * Waits, at most {@code within}, for the server to close the connection.
     *
     * @return {@code true} when the stream ended (read returned -1), {@code false} when the connection was still open
     *         and silent after {@code within}
     * @throws IllegalStateException when data arrived instead: the server was expected to be silent
     */
    public boolean closedByServerWithin(Duration within) throws IOException {
        socket.setSoTimeout(Math.toIntExact(Math.max(1, within.toMillis())));
        try {
            int b = in.read();
            if (b < 0) {
                return true;
            }
            byte[] more = new byte[Math.min(in.available(), 512)];
            int n = in.read(more);
            throw new IllegalStateException("expected no data, got: "
                    + new String(new byte[] { (byte) b }, StandardCharsets.UTF_8)
                    + (n > 0 ? new String(Arrays.copyOf(more, n), StandardCharsets.UTF_8) : ""));
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(readTimeoutMillis);
            }
        }
    }

    // ---- closing

    /** Closes with a TCP reset (SO_LINGER 0) instead of an orderly FIN, like a client that crashed. */
    public void abort() throws IOException {
        try {
            socket.setSoLinger(true, 0);
        } finally {
            socket.close();
        }
    }

    /** @return whether reply bytes have arrived and wait to be read (never blocks) */
    public boolean hasDataWaiting() throws IOException {
        return in.available() > 0;
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
