package io.smprotocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandTest {

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "PING|PING|\"\"",
            "ping|PING|\"\"",
            "Mail FROM:<a@b>|MAIL|FROM:<a@b>",
            "\"  set \t k  v \"|SET|\"k  v \"",
            "straße x|STRASSE|x",
            "\u00e9t\u00e9 y|\u00c9T\u00c9|y",
            "GET_2 k|GET_2|k",
            "\"\"|\"\"|\"\"" })
    void theVerbIsTheFirstWordInUpperCaseAndTheArgumentsTheRest(String line, String verb, String arguments) {
        Command command = Command.parse(line);
        assertThat(command.verb()).isEqualTo(verb);
        assertThat(command.arguments()).isEqualTo(arguments);
        assertThat(command.line()).isEqualTo(line);
    }
}
