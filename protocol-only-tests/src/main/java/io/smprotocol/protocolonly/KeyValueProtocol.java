package io.smprotocol.protocolonly;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.smprotocol.Command;
import io.smprotocol.OnCommand;
import io.smprotocol.OnLine;
import io.smprotocol.Protocol;

/**
 * A memcached-like key-value store, on text lines: {@code set KEY VALUE}, {@code get KEY}, {@code delete KEY}.
 */
@Protocol("kv")
public class KeyValueProtocol {

    private final Map<String, String> values = new ConcurrentHashMap<>();

    @OnCommand("SET")
    String set(Command command) {
        String[] parts = command.arguments().split(" ", 2);
        if (parts.length < 2) {
            return "CLIENT_ERROR set needs a key and a value";
        }
        values.put(parts[0], parts[1]);
        return "STORED";
    }

    @OnCommand("GET")
    String get(Command command) {
        String value = values.get(command.arguments());
        return value == null ? "END" : "VALUE " + command.arguments() + " " + value;
    }

    @OnCommand("DELETE")
    String delete(Command command) {
        return values.remove(command.arguments()) == null ? "NOT_FOUND" : "DELETED";
    }

    @OnLine
    String other(String line) {
        return "ERROR";
    }
}
