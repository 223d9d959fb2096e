package io.github.sessionstore.boot;

import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Map;

import org.apache.tomcat.util.IntrospectionUtils;

/**
 * Sets attributes on a Tomcat component the way the Digester sets {@code context.xml} attributes: through
 * {@link IntrospectionUtils#setProperty}, so the component's own setters convert and check each value, and a store's
 * {@code setProperty(String, String)} catch-all refuses a name it has no setter for. Names from Spring's relaxed
 * binding ({@code operation-timeout}; from an environment variable {@code operationtimeout} or
 * {@code operation.timeout}) are first matched to the component's setter names, ignoring case, dashes and dots.
 */
final class JavaBeanAttributes {

    private JavaBeanAttributes() {
    }

    /**
     * Sets every attribute on {@code target}.
     *
     * @throws IllegalArgumentException naming the first attribute (never its value) that {@code target} has no setter
     *         for, or whose setter cannot take the value (not a number), and no catch-all takes
     */
    static void apply(Object target, Map<String, String> attributes, String prefix) {
        attributes.forEach((name, value) -> {
            String property = propertyName(target.getClass(), name);
            if (!IntrospectionUtils.setProperty(target, property, value)) {
                throw new IllegalArgumentException(prefix + name + ": " + target.getClass().getSimpleName()
                        + " has no such attribute, or it takes no such value (a number?)");
            }
        });
    }

    /** The name of {@code type}'s setter that {@code name} means, or {@code name} itself when none matches. */
    static String propertyName(Class<?> type, String name) {
        String wanted = "set" + name.replaceAll("[-_.]", "").toLowerCase(Locale.ROOT);
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() == 1 && m.getName().length() > 3 && m.getName().toLowerCase(Locale.ROOT)
                    .equals(wanted) && !m.getName().equals("setProperty")) {
                return Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            }
        }
        return name;
    }
}
