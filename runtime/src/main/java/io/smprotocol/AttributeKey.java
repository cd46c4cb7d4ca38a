package io.smprotocol;

import java.util.Objects;

/**
 * A typed name for a {@link Session} attribute, so that hooks read back what they stored without casts:
 *
 * <pre>
 * static final AttributeKey&lt;String&gt; NICK = AttributeKey.of("nick", String.class);
 *
 * &#64;OnCommand("NICK")
 * String nick(Session session, Command command) {
 *     session.attribute(NICK, command.arguments());
 *     return "OK";
 * }
 * </pre>
 *
 * A key and a plain name address the same attribute: {@code attribute(NICK)} reads what {@code attribute("nick", v)}
 * set.
 *
 * @param name the attribute's name
 * @param type the type of its values, not a primitive (use {@code Integer.class} for {@code int})
 * @param <T> the type of its values
 */
public record AttributeKey<T>(String name, Class<T> type) {

    public AttributeKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (type.isPrimitive()) {
            throw new IllegalArgumentException("attribute '" + name + "': " + type
                    + " is a primitive type; use its wrapper class");
        }
    }

    /**
     * @param name the attribute's name
     * @param type the type of its values
     * @param <T> the type of its values
     * @return the key
     */
    public static <T> AttributeKey<T> of(String name, Class<T> type) {
        return new AttributeKey<>(name, type);
    }

    /**
     * @param value a value stored under this key's name
     * @return the value as this key's type
     * @throws ClassCastException naming the attribute when something else was stored under its name
     */
    T cast(Object value) {
        if (!type.isInstance(value)) {
            throw new ClassCastException("attribute '" + name + "' holds a " + value.getClass().getName()
                    + ", not a " + type.getName());
        }
        return type.cast(value);
    }
}
