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
}
