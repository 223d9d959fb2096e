package io.github.sessionstore.core;

import java.security.Principal;

import org.apache.catalina.session.StandardSession;

/**
 * Names the user a session belongs to, for the principal index ({@link StoredSession#principal()}). Chosen once at
 * start: {@link #NONE} when nothing would be indexed, so sessions pay nothing for the feature then. It reads only
 * {@code getPrincipal()} or one attribute: no extra serialization.
 */
@FunctionalInterface
interface PrincipalSource {

    /** The longest name indexed (the JDBC column's width); a longer one is not indexed, and logged once. */
    int MAX_NAME_LENGTH = 255;

    /** Neither {@code persistAuthentication} nor {@code principalAttribute}: nothing is indexed. */
    PrincipalSource NONE = session -> null;

    /** The name to index for {@code session}, or {@code null} when it carries none. */
    String nameOf(StandardSession session);

    /**
     * The source for a store: container authentication when the Manager persists it (only then is a login part of
     * the stored state, so only then does it rewrite the record), and the attribute when one is configured; with
     * both, the container's principal comes first.
     */
    static PrincipalSource of(boolean persistAuthentication, String attribute, LimitedLog log, String namespace) {
        if (attribute == null) {
            return persistAuthentication ? s -> checked(s.getPrincipal(), log, namespace) : NONE;
        }
        PrincipalSource byAttribute = s -> checked(attributeOf(s, attribute), log, namespace);
        if (!persistAuthentication) {
            return byAttribute;
        }
        return s -> {
            String container = checked(s.getPrincipal(), log, namespace);
            return container != null ? container : byAttribute.nameOf(s);
        };
    }

    private static Object attributeOf(StandardSession session, String attribute) {
        try {
            return session.getAttribute(attribute);
        } catch (IllegalStateException invalidated) {
            return null; // invalidated by another thread meanwhile: its record goes anyway
        }
    }

    /** A Principal's {@code getName()}, any other value's {@code toString()}; {@code null} if empty or too long. */
    private static String checked(Object value, LimitedLog log, String namespace) {
        if (value == null) {
            return null;
        }
        String name = value instanceof Principal p ? p.getName() : value.toString();
        if (name == null || name.isEmpty()) {
            return null;
        }
        if (name.length() > MAX_NAME_LENGTH) {
            log.warnOnce("principalTooLong", "store.principalTooLong", namespace, Integer.toString(name.length()),
                    Integer.toString(MAX_NAME_LENGTH));
            return null;
        }
        return name;
    }
}
