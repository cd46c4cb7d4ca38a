package io.smprotocol.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs programs installed on the machine (swaks, redis-cli...) from tests. Tests that need one check
 * {@link #onPath(String)} with {@code Assumptions.assumeTrue} first, so that a missing program shows as a skipped
 * test naming the package to install, never as a silent pass.
 */
public final class ExternalProgram {

    /**
     * The outcome of a finished program.
     *
     * @param exitCode its exit code
     * @param output its standard output and error, interleaved
     */
    public record Result(int exitCode, String output) {
    }

    /**
     * The outcome of a finished program whose output is data, not text.
     *
     * @param exitCode its exit code
     * @param stdout its standard output, byte for byte
     * @param stderr its standard error
     */
    public record RawResult(int exitCode, byte[] stdout, String stderr) {
    }

    private ExternalProgram() {
    }

    /**
     * @param program a program's file name, such as {@code swaks}
     * @return whether an executable file of that name is in a directory of {@code PATH}
     */
    public static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null || path.isBlank()) {
            return false;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs a program with an empty standard input and waits for it.
     *
     * @param timeout how long it may run; it is killed after that and the call fails
     * @param command the program and its arguments
     * @return its exit code and output
     * @throws AssertionError when it did not finish within {@code timeout}
     */
    public static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("external-program-", ".log");
        Process process = null;
        try {
            // output to a file, not a pipe: a chatty program cannot block on a full pipe nobody reads
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            process.getOutputStream().close();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String text = new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
            if (!finished) {
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
                        + "; its output so far:\n" + text);
            }
            return new Result(process.exitValue(), text);
        } finally {
            if (process != null) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                if (process.isAlive()) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
            Files.deleteIfExists(output);
        }
    }

    /**
     * Runs a program with the given bytes as its standard input, and waits for it. Its standard output is kept
     * apart from its standard error, byte for byte, for programs whose output is binary data ({@code redis-cli --raw}).
     *
     * @param timeout how long it may run; it is killed after that and the call fails
     * @param input its standard input
     * @param command the program and its arguments
     * @return its exit code and outputs
     * @throws AssertionError when it did not finish within {@code timeout}
     */
    public static RawResult runRaw(Duration timeout, byte[] input, List<String> command)
            throws IOException, InterruptedException {
        Path stdin = Files.createTempFile("external-program-", ".in");
        Path stdout = Files.createTempFile("external-program-", ".out");
        Path stderr = Files.createTempFile("external-program-", ".err");
        Process process = null;
        try {
            Files.write(stdin, input);
            // files, not pipes: neither side can block on a full pipe
            process = new ProcessBuilder(command)
                    .redirectInput(stdin.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String errors = new String(Files.readAllBytes(stderr), StandardCharsets.UTF_8);
            if (!finished) {
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
                        + "; its standard error so far:\n" + errors);
            }
            return new RawResult(process.exitValue(), Files.readAllBytes(stdout), errors);
        } finally {
            if (process != null) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                if (process.isAlive()) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
            Files.deleteIfExists(stdin);
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
