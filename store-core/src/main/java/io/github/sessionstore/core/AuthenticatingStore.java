package io.github.sessionstore.core;

/**
 * A store whose backend authenticates with a user name and a password ({@code username} and {@code password}
 * attributes; what each means to the backend, its README says). An empty value is none; the password never shows:
 * its getter (and so JMX) gives {@code ****} when one is set.
 */
public abstract class AuthenticatingStore extends AbstractSessionStore {

    private String username;
    private String password;

    public String getUsername() {
        return username;
    }

    /** The user name; empty: none. */
    public void setUsername(String username) {
        if (settable("username")) {
            this.username = username == null || username.isEmpty() ? null : username;
        }
    }

    /** Never the secret itself: {@code ****} when a password is set, else {@code null}. */
    public String getPassword() {
        return password == null ? null : MASK;
    }

    /** The password; empty: none. */
    public void setPassword(String password) {
        if (settable("password")) {
            this.password = password == null || password.isEmpty() ? null : password;
        }
    }

    /** The user name, or {@code null}. */
    protected final String username() {
        return username;
    }

    /** The password itself, or {@code null}: for the backend's client only, never for a log or a message. */
    protected final String password() {
        return password;
    }
}
