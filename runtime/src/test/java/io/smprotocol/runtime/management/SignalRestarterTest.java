package io.smprotocol.runtime.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import sun.misc.SignalHandler;

/**
 * SIGHUP restarts protocols, unless the process inherited it ignored: then a warning says so, naming what to do.
 * The decision is tested alone, then in real processes started with and without {@code nohup}.
 */
class SignalRestarterTest {

    @Test
    void warnsOnlyWhenThePreviousHandlerIsIgnore() {
        assertThat(SignalRestarter.warning(SignalHandler.SIG_IGN)).isEqualTo(SignalRestarter.IGNORED)
                .contains("kill -HUP will not restart the protocols", "nohup", "POST /q/smprotocol/restart");
        assertThat(SignalRestarter.warning(SignalHandler.SIG_DFL)).isNull();
        assertThat(SignalRestarter.warning(signal -> {
        })).isNull();
        assertThat(SignalRestarter.warning(null)).isNull();
    }

    /** Installs the handler as the application does and reports, then waits for SIGHUP. */
    public static final class Probe {
        public static void main(String[] args) throws InterruptedException {
            CountDownLatch hup = new CountDownLatch(1);
            System.out.println("installed=" + SignalRestarter.install(hup::countDown));
            System.out.flush();
            System.out.println(hup.await(30, TimeUnit.SECONDS) ? "restarted" : "no signal");
        }
    }

    static Process probe(boolean nohup) throws IOException {
        List<String> command = new ArrayList<>();
        if (nohup) {
            command.add("nohup");
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.jboss.logging.provider=jdk", "-cp", System.getProperty("java.class.path"),
                Probe.class.getName()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
    }

    static List<String> untilLine(BufferedReader output, String prefix) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            lines.add(line);
            if (line.startsWith(prefix)) {
                return lines;
            }
        }
        return lines;
    }

    @Test
    void aProcessStartedNormallyRestartsOnSighup() throws Exception {
        Process process = probe(false);
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(untilLine(output, "installed=")).last().isEqualTo("installed=true");
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            List<String> rest = untilLine(output, "restarted");
            assertThat(rest).contains("restarted").noneMatch(line -> line.contains("SIGHUP is ignored"));
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aProcessStartedUnderNohupWarnsThatSighupWillNotRestart() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/nohup")) || Files.isExecutable(Path.of("/bin/nohup")),
                "nohup (Debian package coreutils) is not installed");
        Process process = probe(true);
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> lines = untilLine(output, "installed=");
            assertThat(lines).last().isEqualTo("installed=false");
            assertThat(lines).anyMatch(line -> line.contains(SignalRestarter.IGNORED));
        } finally {
            process.destroyForcibly();
        }
    }
}
