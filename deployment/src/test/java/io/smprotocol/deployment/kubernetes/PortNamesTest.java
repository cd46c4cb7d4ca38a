package io.smprotocol.deployment.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class PortNamesTest {

    /** Kubernetes' IANA_SVC_NAME. */
    private static final Pattern VALID = Pattern.compile("^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$");

    @Test
    void namesThatAreValidStayAsTheyAre() {
        assertThat(new PortNames().of("redis-proxy")).isEqualTo("redis-proxy");
    }

    @Test
    void invalidCharactersBecomeSingleHyphensAndLongNamesAreCut() {
        PortNames names = new PortNames();
        assertThat(names.of("Line.Chat__v2")).isEqualTo("line-chat-v2").matches(VALID);
        assertThat(names.of("a-very-long-protocol-name")).hasSize(15).matches(VALID);
        assertThat(names.of("-x-")).isEqualTo("x");
    }

    @Test
    void digitsAloneGetALetter() {
        assertThat(new PortNames().of("6379")).isEqualTo("port-6379").matches(VALID);
    }

    @Test
    void namesStayUniqueAndNeverTakeQuarkusOwn() {
        PortNames names = new PortNames();
        assertThat(names.of("http")).isEqualTo("http-2");
        assertThat(names.of("management")).isEqualTo("management-2");
        String first = names.of("a-very-long-protocol-name-one");
        String second = names.of("a-very-long-protocol-name-two");
        assertThat(first).isNotEqualTo(second);
        assertThat(second).matches(VALID).hasSizeLessThanOrEqualTo(15);
    }
}
