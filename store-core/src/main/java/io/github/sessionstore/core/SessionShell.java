package io.github.sessionstore.core;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.security.Principal;

import org.apache.catalina.Manager;
import org.apache.catalina.authenticator.Constants;
import org.apache.catalina.authenticator.SavedRequest;
import org.apache.catalina.session.ManagerBase;
import org.apache.catalina.session.StandardSession;

/**
 * The session without its attributes, as its own serialization stream in the layout of the prefix Tomcat's
 * {@code StandardSession.doWriteObject} writes (10.1 and 11 alike): creation, last access, timeout, isNew, isValid,
 * this access, id, auth type, principal, the authenticator's session id and saved request notes (the last four
 * {@code null} unless the manager persists authentication), then an attribute count of 0. So
 * {@code readObjectData} restores every field on read, and the six scalars stay at the start of the record.
 */
final class SessionShell {

    private SessionShell() {
    }

    /**
     * The shell of {@code session}, which must be valid, as a complete stream; never changes the session. Without
     * authentication to store, from the {@link ShellTemplate} where it has one.
     */
    static byte[] write(PartStream parts, StandardSession session, boolean isNew) throws IOException {
        boolean auth = persistsAuthentication(session.getManager());
        Principal principal = auth ? session.getPrincipal() : null;
        if (!auth || principal == null && session.getAuthType() == null
                && session.getNote(Constants.SESSION_ID_NOTE) == null
                && session.getNote(Constants.FORM_REQUEST_NOTE) == null) {
            byte[] shell = ShellTemplate.write(session, isNew);
            if (shell != null) {
                return shell;
            }
        }
        return serialized(parts, session, isNew, auth, principal);
    }

    /** The shell serialized, whatever the template would give: what the template must equal. */
    static byte[] serialized(PartStream parts, StandardSession session, boolean isNew) throws IOException {
        boolean auth = persistsAuthentication(session.getManager());
        return serialized(parts, session, isNew, auth, auth ? session.getPrincipal() : null);
    }

    private static byte[] serialized(PartStream parts, StandardSession session, boolean isNew, boolean auth,
            Principal principal) throws IOException {
        try {
            write(parts.begin(), session, isNew, auth, principal instanceof Serializable ? principal : null);
        } catch (NotSerializableException e) {
            // A Serializable principal holding something that is not: Tomcat stores such a session without it
            parts.failed();
            write(parts.begin(), session, isNew, auth, null);
        }
        return parts.take();
    }

    private static void write(ObjectOutputStream oos, StandardSession session, boolean isNew, boolean auth,
            Principal principal) throws IOException {
        oos.writeObject(Long.valueOf(session.getCreationTimeInternal()));
        oos.writeObject(Long.valueOf(session.getLastAccessedTimeInternal()));
        oos.writeObject(Integer.valueOf(session.getMaxInactiveInterval()));
        oos.writeObject(Boolean.valueOf(isNew));
        oos.writeObject(Boolean.TRUE); // isValid: only valid sessions are encoded
        oos.writeObject(Long.valueOf(session.getThisAccessedTimeInternal()));
        oos.writeObject(session.getIdInternal());
        oos.writeObject(auth ? session.getAuthType() : null);
        oos.writeObject(principal);
        oos.writeObject(auth && session.getNote(Constants.SESSION_ID_NOTE) instanceof String s ? s : null);
        oos.writeObject(auth && session.getNote(Constants.FORM_REQUEST_NOTE) instanceof SavedRequest r ? r : null);
        oos.writeObject(Integer.valueOf(0)); // the attributes follow as frames
    }

    private static boolean persistsAuthentication(Manager manager) {
        return manager instanceof ManagerBase mb && mb.getPersistAuthentication();
    }
}
