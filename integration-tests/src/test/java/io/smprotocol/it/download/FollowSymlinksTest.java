package io.smprotocol.it.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smprotocol.downloads.runtime.http.DownloadServer;

/**
 * With {@code follow-symlinks=true}, links whose target lies inside the root are served; links leaving the root still
 * are not.
 */
@QuarkusTest
@TestProfile(FollowSymlinksTest.Profile.class)
class FollowSymlinksTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.smprotocol.download.root", "target/dl-symlinks",
                    "quarkus.smprotocol.download.follow-symlinks", "true");
        }
    }

    @Inject
    DownloadServer server;

    @BeforeEach
    void files() throws IOException {
        Path root = server.root();
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/inside.txt"), "inside\n");
        Path outside = root.getParent().resolve("symlink-secret.txt");
        Files.writeString(outside, "SECRET");
        relink(root.resolve("in.txt"), Path.of("sub/inside.txt"));
        relink(root.resolve("out.txt"), outside);
        relink(root.resolve("sub/up"), Path.of("../.."));
    }

    private static void relink(Path link, Path target) throws IOException {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
    }

    @Test
    void followsLinksInsideTheRootOnly() throws IOException {
        assertThat(RawHttp.get(server.port(), "/in.txt").text()).isEqualTo("inside\n");
        RawHttp.Response out = RawHttp.get(server.port(), "/out.txt");
        assertThat(out.status()).isEqualTo(403);
        assertThat(out.text()).doesNotContain("SECRET");
        RawHttp.Response up = RawHttp.get(server.port(), "/sub/up/symlink-secret.txt");
        assertThat(up.status()).isEqualTo(403);
        assertThat(up.text()).doesNotContain("SECRET");
    }
}
