package io.github.sessionstore.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.catalina.session.StoreBase;

/**
 * How a store's setters take or refuse a value. A setter never throws, since Tomcat would log the value (a secret,
 * perhaps) and start the store without it: it records a refused value ({@link #refuse}), and {@code start()} then
 * fails with one line naming each refused attribute and why, never its value ({@link #refusedSettings}).
 * Configuration is sealed at start: a later change is logged and ignored ({@link #settable}).
 */
public abstract class CheckedSettings extends StoreBase {

    private static final LimitedLog SETTINGS_LOG = new LimitedLog(StoreSettings.class);

    /** Attribute name → why its value was refused, in the order set; start() fails while any is here. */
    private final Map<String, String> refused = Collections.synchronizedMap(new LinkedHashMap<>());

    /**
     * Whether {@code attribute} may still change: before start. After start the change is logged (the attribute's
     * name only) and ignored; configuration is sealed at start.
     */
    protected final boolean settable(String attribute) {
        if (getState().isAvailable()) {
            SETTINGS_LOG.warn("store.settingAfterStart", attribute, getClass().getSimpleName());
            return false;
        }
        return true;
    }

    /**
     * Record that {@code attribute}'s value was refused; {@code start()} then fails naming it and {@code reason}.
     * The reason must not quote the value: it may be a secret.
     */
    protected final void refuse(String attribute, String reason) {
        String r = reason == null ? "is not valid" : reason;
        if (r.startsWith(attribute)) { // "[encryptionKeys] encryptionKeys: …" says it twice
            r = r.substring(attribute.length()).replaceFirst("^:?\\s*", "");
        }
        refused.put(attribute, r);
    }

    /** The attribute's latest value was taken: an earlier refusal of it no longer stands. */
    protected final void accept(String attribute) {
        refused.remove(attribute);
    }

    /**
     * The check of a numeric setting: whether it may still change ({@link #settable}) and is within [min, max];
     * refused (and {@code false}) when out of range.
     */
    protected final boolean settableInRange(String attribute, long value, long min, long max, String unit) {
        if (!settable(attribute)) {
            return false;
        }
        if (value < min || value > max) {
            refuse(attribute, "must be in [" + min + ", " + max + "]" + unit);
            return false;
        }
        accept(attribute);
        return true;
    }

    /**
     * What Tomcat's Digester calls for an attribute no setter takes: a typo or another store's attribute, or a value
     * a numeric setter cannot take ({@code maxSessionSize="16M"}). Refused, so that the store does not
     * start without it; without this method Tomcat would log the attribute with its value (key material or a password
     * included) and carry on without the setting. {@code className} never reaches here.
     *
     * @return {@code true}: the Digester logs nothing, the start names the attribute and why
     */
    public boolean setProperty(String name, String value) {
        String setter = "set" + (name.isEmpty() ? "" : Character.toUpperCase(name.charAt(0)) + name.substring(1));
        boolean exists = Arrays.stream(getClass().getMethods())
                .anyMatch(m -> m.getName().equals(setter) && m.getParameterCount() == 1);
        refuse(StoredText.forLog(name, 64), exists ? "takes no such value (not a number)"
                : "is not an attribute of " + getClass().getSimpleName() + " (a misspelt name?)");
        return true;
    }

    /**
     * Checks of the whole configuration a backend makes at start (a required attribute, two that exclude each
     * other), by {@link #refuse}; called before anything starts. The default checks nothing.
     */
    protected void validateSettings() {
    }

    /**
     * The one line start() fails with when any value was refused, or {@code null}: every attribute and why, never a
     * value. Public for code that configures a store without a context.xml (the Spring Boot starter), so that it can
     * fail before the context starts.
     */
    public final String refusedSettings() {
        validateSettings();
        synchronized (refused) {
            if (refused.isEmpty()) {
                return null;
            }
            StringBuilder sb = new StringBuilder();
            refused.forEach((attribute, reason) -> sb.append(sb.length() == 0 ? "" : "; ").append('[')
                    .append(attribute).append("] ").append(reason));
            return sb.toString();
        }
    }

    /** {@code value} compiled, or {@code null} with the attribute refused when it is not a regular expression. */
    final Pattern regex(String attribute, String value) {
        if (value.isEmpty()) {
            accept(attribute);
            return null;
        }
        try {
            Pattern p = Pattern.compile(value);
            accept(attribute);
            return p;
        } catch (PatternSyntaxException e) {
            refuse(attribute, "is not a valid regular expression (" + e.getDescription() + " at index " + e.getIndex()
                    + ")");
            return null;
        }
    }
}
