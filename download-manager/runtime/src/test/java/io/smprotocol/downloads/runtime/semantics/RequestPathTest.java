package io.smprotocol.downloads.runtime.semantics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestPathTest {

    @ParameterizedTest(name = "refuses {0}")
    @ValueSource(strings = { "", "x", "../etc/passwd", "/../etc/passwd", "/a/../../etc/passwd", "/./a", "/a/.",
            "/a/..", "/%2e%2e/etc/passwd", "/%2E%2E/etc/passwd", "/.%2e/etc/passwd", "/%2e./etc", "/%2e",
            "/a%2f..%2f..%2fetc%2fpasswd", "/a%2Fb", "/..%5c..%5cetc", "/a%5Cb", "/a\\b", "/..\\..\\etc",
            "/%252e%252e/etc/passwd", "/%252fetc", "/a%25%32%65", "/%00", "/a%00.txt", "/a%0a", "/a%7f", "//etc/passwd",
            "/a//b", "/C:/Windows/win.ini", "/c:", "/%", "/%2", "/%zz", "/%c0%ae%c0%ae/etc", "/%ff" })
    void refuses(String raw) {
        assertThatThrownBy(() -> RequestPath.parse(raw)).isInstanceOf(RequestPath.InvalidPathException.class);
    }

    @Test
    void decodesPlainPaths() throws Exception {
        RequestPath path = RequestPath.parse("/docs/a%20b%C3%A9.pdf");
        assertThat(path.segments()).containsExactly("docs", "a bé.pdf");
        assertThat(path.path()).isEqualTo("/docs/a bé.pdf");
        assertThat(path.fileName()).isEqualTo("a bé.pdf");
        assertThat(path.directory()).isFalse();
        assertThat(RequestPath.parse("/100%25.txt").fileName()).isEqualTo("100%.txt");
        assertThat(RequestPath.parse("/..a/b..").segments()).containsExactly("..a", "b..");
        assertThat(RequestPath.parse("/dir/").directory()).isTrue();
        assertThat(RequestPath.parse("/").segments()).isEmpty();
    }
}
