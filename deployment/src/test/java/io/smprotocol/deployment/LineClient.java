package io.smprotocol.deployment;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * A blocking, line-based TCP client for tests: lines are sent with CR LF and every line read must end with CR LF.
 * Every read times out, so a missing reply fails the test instead of hanging it.
 */
public final class LineClient implements AutoCloseable {

    /** How long a read waits before the test fails. */
    public static final int READ_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private LineClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * @param manager the application's protocol manager
     * @param protocol a protocol's name
     * @return the port that protocol listens on, checked to be a real one
     */
    public static int portOf(ProtocolManager manager, String protocol) {
        ProtocolServer server = manager.protocol(protocol)
                .orElseThrow(() -> new AssertionError("no protocol named " + protocol));
        int port = server.port();
        if (port <= 0) {
            throw new AssertionError("protocol " + protocol + " is not listening: state " + server.state() + ", "
                    + server.failure());
        }
        return port;
    }

    /**
     * @param manager the application's protocol manager
     * @param protocol a protocol's name
     * @return a client connected to that protocol's listener
     */
    public static LineClient connect(ProtocolManager manager, String protocol) throws IOException {
        return connect(portOf(manager, protocol));
    }

    /**
     * @param port a port on 127.0.0.1
     * @return a connected client
     */
    public static LineClient connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return new LineClient(socket);
    }

    /** Sends one line followed by CR LF. */
    public LineClient send(String line) throws IOException {
        return sendRaw(line + "\r\n");
    }

    /** Sends the text as it is, in a single write. */
    public LineClient sendRaw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    /** Sends the bytes as they are, in a single write. */
    public LineClient sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /**
     * Half-closes the connection: the server reads the end of the stream, and the client can still read its replies.
     */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Sends a line and reads the next line. */
    public String call(String line) throws IOException {
        send(line);
        return readLine();
    }

    /**
     * @return the next line, without its CR LF
     * @throws EOFException when the server closed the connection first
     * @throws java.net.SocketTimeoutException when no complete line came in time
     */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b == -1) {
                throw new EOFException("connection closed by the server; partial line: '"
                        + line.toString(StandardCharsets.UTF_8) + "'");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                if (bytes.length == 0 || bytes[bytes.length - 1] != '\r') {
                    throw new IOException("line not terminated by CR LF: '" + line.toString(StandardCharsets.UTF_8)
                            + "'");
                }
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
    }

    /**
     * Reads until the server closes the connection.
     *
     * @return whatever came before the end of the stream (empty when the server sent nothing more)
     * @throws java.net.SocketTimeoutException when the server did not close the connection in time
     */
    public String readUntilClosed() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /**
     * @param count how many bytes to read
     * @return exactly that many bytes
     * @throws EOFException when the server closed the connection first
     */
    public byte[] readBytes(int count) throws IOException {
        byte[] bytes = in.readNBytes(count);
        if (bytes.length < count) {
            throw new EOFException("connection closed by the server after " + bytes.length + " of " + count
                    + " bytes");
        }
        return bytes;
    }

    /**
     * Reads until what was read ends with {@code terminator} (a whole multi-line reply such as memcached's
     * {@code ...END\r\n}).
     *
     * @return every byte read, the terminator included
     * @throws EOFException when the server closed the connection first
     */
    public byte[] readUntil(String terminator) throws IOException {
        byte[] end = terminator.getBytes(StandardCharsets.UTF_8);
        byte[] read = new byte[256];
        int length = 0;
        while (true) {
            int b = in.read();
            if (b == -1) {
                throw new EOFException("connection closed by the server before '" + terminator.strip()
                        + "'; read: '" + new String(read, 0, length, StandardCharsets.UTF_8) + "'");
            }
            if (length == read.length) {
                read = Arrays.copyOf(read, length * 2);
            }
            read[length++] = (byte) b;
            if (length >= end.length && endsWith(read, length, end)) {
                return Arrays.copyOf(read, length);
            }
        }
    }

    /**
     * Reads until the server closes the connection, as bytes.
     *
     * @throws java.net.SocketTimeoutException when the server did not close the connection in time
     */
    public byte[] readAllBytes() throws IOException {
        return in.readAllBytes();
    }

    private static boolean endsWith(byte[] bytes, int length, byte[] end) {
        for (int i = 0; i < end.length; i++) {
            if (bytes[length - end.length + i] != end[i]) {
                return false;
            }
        }
        return true;
    }

    /** @return bytes received and not read yet */
    public int available() throws IOException {
        return in.available();
    }

    /** @return the client's own port */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** @return the server's port */
    public int remotePort() {
        return socket.getPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
