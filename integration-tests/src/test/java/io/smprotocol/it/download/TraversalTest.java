package io.smprotocol.it.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.smprotocol.downloads.runtime.http.DownloadServer;

/**
 * Nothing outside the root is ever served: traversal in every spelling, sent byte for byte on a raw socket (real
 * clients would normalise most of them away), and symbolic links, which are not followed by default.
 */
@QuarkusTest
class TraversalTest {

    static final String SECRET = "TOP-SECRET-OUTSIDE-THE-ROOT";

    @Inject
    DownloadServer server;

    Path root;
    Path outside;

    @BeforeEach
    void files() throws IOException {
        root = server.root();
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/inside.txt"), "inside\n");
        // a secret next to the root, one level up, and one at an absolute path
        outside = root.getParent().resolve("traversal-secret.txt");
        Files.writeString(outside, SECRET);
        Files.writeString(root.getParent().resolve("test-downloads-evil.txt"), SECRET);
        link(root.resolve("link-out.txt"), outside);
        link(root.resolve("link-dir-out"), root.getParent());
        link(root.resolve("link-in.txt"), root.resolve("sub/inside.txt"));
        link(root.resolve("sub/link-up"), Path.of(".."));
    }

    private static void link(Path link, Path target) throws IOException {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
    }

    @ParameterizedTest(name = "[{index}] GET {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "/../traversal-secret.txt|400",
            "/sub/../../traversal-secret.txt|400",
            "/./sub/inside.txt|400",
            "/%2e%2e/traversal-secret.txt|400",
            "/%2E%2E/traversal-secret.txt|400",
            "/.%2e/traversal-secret.txt|400",
            "/%2e./traversal-secret.txt|400",
            "/sub/%2e%2e/%2e%2e/traversal-secret.txt|400",
            "/%252e%252e/traversal-secret.txt|400",
            "/%25252e%25252e/traversal-secret.txt|400",
            "/..%2ftraversal-secret.txt|400",
            "/..%2Ftraversal-secret.txt|400",
            "/%2e%2e%2ftraversal-secret.txt|400",
            "/..%252ftraversal-secret.txt|400",
            "/..%5ctraversal-secret.txt|400",
            "/..%5Ctraversal-secret.txt|400",
            "/..\\traversal-secret.txt|400",
            "/sub\\..\\..\\traversal-secret.txt|400",
            "/..%c0%afTraversal-secret.txt|400",
            "/%c0%ae%c0%ae/traversal-secret.txt|400",
            "/sub/inside.txt%00.png|400",
            "/sub/inside.txt%00|400",
            "//etc/passwd|400",
            "//traversal-secret.txt|400",
            "/sub//inside.txt|400",
            "/C:/Windows/win.ini|400",
            "/c:%5cwindows|400",
            "/%2fetc%2fpasswd|400",
            "/etc/passwd|404",
            "/..|400",
            "/.|400",
            "/sub/..|400",
            "/../test-downloads-evil.txt|400",
            "/link-out.txt|403",
            "/link-dir-out/traversal-secret.txt|403",
            "/link-in.txt|403",
            "/sub/link-up/link-out.txt|403",
            "/sub/link-up/sub/inside.txt|403" })
    void refuses(String target, int status) throws IOException {
        RawHttp.Response response = RawHttp.get(server.port(), target);
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.text()).doesNotContain(SECRET).doesNotContain("inside\n").startsWith(status + " ");
        assertThat(response.text().length()).isLessThan(80);
    }

    @Test
    void absoluteFormTargetsStillResolveUnderTheRoot() throws IOException {
        RawHttp.Response response = RawHttp.get(server.port(), "http://127.0.0.1/../traversal-secret.txt");
        assertThat(response.text()).doesNotContain(SECRET);
        assertThat(response.status()).isIn(400, 404);
    }

    @Test
    void servesWhatIsInside() throws IOException {
        RawHttp.Response response = RawHttp.get(server.port(), "/sub/inside.txt");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("inside\n");
        // percent-encoded unreserved characters are plain characters
        assertThat(RawHttp.get(server.port(), "/sub/%69nside.txt").text()).isEqualTo("inside\n");
    }
}
