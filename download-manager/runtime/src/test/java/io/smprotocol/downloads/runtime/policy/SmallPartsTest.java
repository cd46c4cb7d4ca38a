package io.smprotocol.downloads.runtime.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.smprotocol.downloads.runtime.semantics.ContentDisposition;
import io.smprotocol.downloads.runtime.semantics.ETags;

class SmallPartsTest {

    @Test
    void signedLinks() {
        SignedLinks links = new SignedLinks("s3cret");
        // the documented input: HMAC-SHA256(secret, PATH + "\n" + EXPIRES), lower-case hex
        // computed with: printf '%s\n%s' "/a b.bin" 2000000000 | openssl dgst -sha256 -hmac s3cret
        String signature = links.signature("/a b.bin", 2000000000L);
        assertThat(signature).isEqualTo("9d88031ec8e2576fec64e3cd77aec662312c0a0a0b0adb636e99eddb69b568f7");
        assertThat(links.verify("/a b.bin", "2000000000", signature, 1000)).isEqualTo(SignedLinks.Verdict.VALID);
        assertThat(links.verify("/a b.bin", "2000000000", signature, 2000000001L))
                .isEqualTo(SignedLinks.Verdict.EXPIRED);
        assertThat(links.verify("/a b.bin", "2000000001", signature, 1000)).isEqualTo(SignedLinks.Verdict.INVALID);
        assertThat(links.verify("/other.bin", "2000000000", signature, 1000)).isEqualTo(SignedLinks.Verdict.INVALID);
        assertThat(links.verify("/a b.bin", "2000000000", signature.toUpperCase(), 1000))
                .isEqualTo(SignedLinks.Verdict.VALID);
        assertThat(links.verify("/a b.bin", "2000000000", "zz", 1000)).isEqualTo(SignedLinks.Verdict.INVALID);
        assertThat(links.verify("/a b.bin", null, signature, 1000)).isEqualTo(SignedLinks.Verdict.MISSING);
        assertThat(links.verify("/a b.bin", "2000000000", null, 1000)).isEqualTo(SignedLinks.Verdict.MISSING);
        assertThat(new SignedLinks("other").verify("/a b.bin", "2000000000", signature, 1000))
                .isEqualTo(SignedLinks.Verdict.INVALID);
        assertThat(links.query("/a b.bin", 2000000000L)).isEqualTo("expires=2000000000&signature=" + signature);
    }

    @Test
    void contentDisposition() {
        assertThat(ContentDisposition.attachment("report.pdf"))
                .isEqualTo("attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
        assertThat(ContentDisposition.attachment("été \"x\".txt"))
                .isEqualTo("attachment; filename=\"_t_ _x_.txt\"; filename*=UTF-8''%C3%A9t%C3%A9%20%22x%22.txt");
        assertThat(ContentDisposition.attachment("a;b%.bin"))
                .isEqualTo("attachment; filename=\"a;b_.bin\"; filename*=UTF-8''a%3Bb%25.bin");
    }

    @Test
    void etags() {
        String tag = ETags.strong(1000, 123456789L, 987654321L, "inode");
        assertThat(tag).startsWith("\"3e8-75bcd15-").endsWith("\"");
        assertThat(ETags.strong(1000, 123456790L, 987654321L, "inode")).isNotEqualTo(tag);
        // the same size, modification time and inode, another status change: another file's content
        assertThat(ETags.strong(1000, 123456789L, 987654322L, "inode")).isNotEqualTo(tag);
        assertThat(ETags.strongMatch(tag, tag)).isTrue();
        assertThat(ETags.strongMatch("W/" + tag, tag)).isFalse();
        assertThat(ETags.weakMatch("W/" + tag, tag)).isTrue();
        assertThat(ETags.list("\"a\", W/\"b\",*")).containsExactly("\"a\"", "W/\"b\"", "*");
        assertThat(ETags.list("garbage")).isEmpty();
    }

    @Test
    void rateLimitPacesBlocks() {
        long second = 1_000_000_000L;
        RateLimit limit = new RateLimit(1000, 100, 0);
        // a burst of one block goes at once, the next waits for its tokens
        assertThat(limit.reserve(100, 0)).isZero();
        assertThat(limit.reserve(100, 0)).isEqualTo(100);
        assertThat(limit.reserve(100, 0)).isEqualTo(200);
        // after a long pause the bucket holds one block, not more
        assertThat(limit.reserve(100, 10 * second)).isZero();
        assertThat(limit.reserve(100, 10 * second)).isEqualTo(100);
        // over one simulated second at most rate + burst bytes go out without waiting
        RateLimit steady = new RateLimit(1000, 100, 0);
        long now = 0;
        long sent = 0;
        while (now < second) {
            long wait = steady.reserve(100, now);
            now += wait * 1_000_000L;
            if (now <= second) {
                sent += 100;
            }
        }
        assertThat(sent).isBetween(1000L, 1100L);
    }
}
