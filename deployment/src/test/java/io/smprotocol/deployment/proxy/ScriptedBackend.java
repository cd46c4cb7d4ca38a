package io.smprotocol.deployment.proxy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A backend written in the test, on a loopback port, for the cases a real server cannot make deterministic: it records
 * every byte and line it receives, so a test can check what did and did not reach it, and it answers as the test's
 * script says. One thread per connection; {@link #close()} closes every socket and joins every thread.
 */
public final class ScriptedBackend implements AutoCloseable {

    /** What the backend does with one accepted connection. */
    @FunctionalInterface
    public interface Script {
        void serve(Socket socket, ScriptedBackend backend) throws IOException;
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger endsOfStream = new AtomicInteger();

    private ScriptedBackend(int port, Script script) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress("127.0.0.1", port));
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    accepted.incrementAndGet();
                    sockets.add(socket);
                    Thread thread = new Thread(() -> {
                        try (socket) {
                            script.serve(socket, this);
                        } catch (IOException closed) {
                            // the proxy or the test closed the connection
                        }
                    }, "scripted-backend-" + port + "-connection");
                    thread.setDaemon(true);
                    threads.add(thread);
                    thread.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "scripted-backend-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * @param port the loopback port to listen on
     * @param script what to do with each connection
     * @return a listening backend
     */
    public static ScriptedBackend start(int port, Script script) throws IOException {
        return new ScriptedBackend(port, script);
    }

    /**
     * A line server: each line (ended by LF, CR LF stripped) is recorded, and {@code replies} gives the reply line,
     * sent with CR LF, or {@code null} for none.
     */
    public static ScriptedBackend lines(int port, Function<String, String> replies) throws IOException {
        return start(port, (socket, backend) -> {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            String line;
            while ((line = backend.readLine(in)) != null) {
                String reply = replies.apply(line);
                if (reply != null) {
                    out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        });
    }

    /**
     * Reads one line, recording it and its bytes.
     *
     * @return the line without CR LF, or {@code null} at the end of the stream
     */
    public String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            record(new byte[] { (byte) b });
            if (b == '\n') {
                byte[] raw = line.toByteArray();
                int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
                String text = new String(raw, 0, length, StandardCharsets.UTF_8);
                lines.add(text);
                return text;
            }
            line.write(b);
        }
        endsOfStream.incrementAndGet();
        return null;
    }

    /** Reads to the end of the stream, recording the bytes; counts the end of the stream. */
    public byte[] readToEnd(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        record(all);
        endsOfStream.incrementAndGet();
        return all;
    }

    private void record(byte[] received) {
        synchronized (bytes) {
            bytes.writeBytes(received);
        }
    }

    /** @return every line received so far, from every connection, in order of arrival */
    public List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** @return every byte received so far */
    public byte[] bytes() {
        synchronized (bytes) {
            return bytes.toByteArray();
        }
    }

    /** @return connections accepted so far */
    public int accepted() {
        return accepted.get();
    }

    /** @return how many connections' input ended (the peer sent FIN) */
    public int endsOfStream() {
        return endsOfStream.get();
    }

    /** Resets every accepted connection (RST), as a crashing backend would. */
    public void resetConnections() throws IOException {
        for (Socket socket : sockets) {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
                socket.close();
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        acceptor.join(10_000);
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }
}
