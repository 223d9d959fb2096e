package io.github.sessionstore.core;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.StreamCorruptedException;
import java.util.regex.Pattern;

import org.apache.catalina.Manager;
import org.apache.catalina.session.StandardSession;

/**
 * Deserializes a record whose header was checked, through the manager's stream factory (its class filter and the
 * webapp class loader) and {@link SessionInputFilter} (its deny-list and limits always, the allow-list if any).
 * Format 2: the shell, then each attribute from its own frame; an attribute that cannot be read (class gone or
 * changed, rejected by a filter) is left out, logged once per attribute name and class (class names and JDK messages
 * from the stored bytes sanitized), and counted, and the rest of the session loads. Format 1: the one stream, all or
 * nothing. Callers bind the webapp class loader.
 */
final class SessionDecoder {

    private final Manager manager;
    private final SessionReader.StreamFactory streams;
    private final Pattern allowList;
    private final StoreMetrics metrics;
    private final LimitedLog log;
    private final String namespace;

    SessionDecoder(Manager manager, SessionReader.StreamFactory streams, Pattern allowList, StoreMetrics metrics,
            LimitedLog log, String namespace) {
        this.manager = manager;
        this.streams = streams;
        this.allowList = allowList;
        this.metrics = metrics;
        this.log = log;
        this.namespace = namespace;
    }

    /** The session in {@code data}; throws when the record (shell or framing) is corrupt. */
    StandardSession decode(String id, byte[] data) throws IOException, ClassNotFoundException {
        if (SessionCodec.version(data) == SessionCodec.FORMAT_V1) {
            return readShell(SessionCodec.payload(data), data.length);
        }
        int end = data.length - SessionCodec.TRAILER_LENGTH;
        int shellEnd = end < SessionCodec.HEADER_LENGTH ? -1 : RecordBuffer.readInt(data, end);
        if (shellEnd <= SessionCodec.HEADER_LENGTH || shellEnd > end) {
            throw new StreamCorruptedException("no valid frame offset");
        }
        AttributeFrames frames = AttributeFrames.parse(data, shellEnd, end); // all framing checked before any value
        int shellLength = shellEnd - SessionCodec.HEADER_LENGTH;
        StandardSession session = readShell(new ByteArrayInputStream(data, SessionCodec.HEADER_LENGTH, shellLength),
                shellLength);
        for (int i = 0; i < frames.count(); i++) {
            readAttribute(session, id, frames.name(i), data, frames.offset(i), frames.length(i));
        }
        return session;
    }

    private StandardSession readShell(InputStream in, int limit) throws IOException, ClassNotFoundException {
        SessionInputFilter limits = SessionInputFilter.of(allowList, limit);
        try (ObjectInputStream ois = streams.open(in)) {
            ois.setObjectInputFilter(filters(ois, limits));
            StandardSession session = (StandardSession) manager.createEmptySession();
            session.readObjectData(ois);
            session.setManager(manager);
            return session;
        } catch (InvalidClassException e) {
            if (limits.refusal() == null) {
                throw e;
            }
            // Say which of the store's checks refused it, with the class name made safe for the log
            throw new InvalidClassException(StoredText.forLog(limits.refusedClass()), limits.refusal());
        }
    }

    private void readAttribute(StandardSession session, String id, String name, byte[] data, int offset, int length) {
        // An array in a frame cannot be longer than the frame: tighter than the whole record's bound
        SessionInputFilter limits = SessionInputFilter.of(allowList, length);
        Rejections filter = null;
        try (ObjectInputStream ois = streams.open(new ByteArrayInputStream(data, offset, length))) {
            filter = new Rejections(filters(ois, limits));
            ois.setObjectInputFilter(filter);
            Object value = ois.readObject();
            if (value != null && AttributeFrames.storable(session, manager, name, value)) {
                session.setAttribute(name, value, false); // no listeners: as Tomcat's own deserialization
            }
        } catch (Exception | LinkageError e) {
            // ClassNotFound (class gone), InvalidClass (serialVersionUID changed, filter), a failing readObject ...
            metrics.droppedAttributes.increment();
            String className = StoredText.forLog(className(e, filter)); // read from the stored bytes
            log.warnOnce(SessionKeys.forLog(name) + '\u0000' + className, "store.droppedAttribute",
                    SessionKeys.forLog(name), className, SessionKeys.forLog(id), namespace, reason(e, limits));
        }
    }

    /** The store's limits and allow-list, merged with the JVM-wide filter the stream already has. */
    private static ObjectInputFilter filters(ObjectInputStream ois, ObjectInputFilter limits) {
        ObjectInputFilter jvmWide = ois.getObjectInputFilter();
        return jvmWide == null ? limits : ObjectInputFilter.merge(limits, jvmWide);
    }

    /** The class an attribute failed on, from the exception or the filter; never anything of the value. */
    private static String className(Throwable e, Rejections filter) {
        if (e instanceof ClassNotFoundException && e.getMessage() != null) {
            return e.getMessage();
        }
        if (e instanceof InvalidClassException ice && ice.classname != null) {
            return ice.classname;
        }
        return filter != null && filter.rejected != null ? filter.rejected : "?"; // the manager's filter: in the reason
    }

    /**
     * Why the value was refused: the store's filter's own reason, the JDK's for another class problem (sanitized: it
     * quotes the stored class name), only the exception type for anything else (it may quote a value).
     */
    private static String reason(Throwable e, SessionInputFilter limits) {
        if (limits.refusal() != null) {
            return limits.refusal();
        }
        if (e instanceof ClassNotFoundException) {
            return "class not found";
        }
        if (e instanceof InvalidClassException && e.getMessage() != null) {
            return StoredText.forLog(e.getMessage());
        }
        return e.getClass().getSimpleName();
    }

    /** Remembers the first class the filter rejected, for the log line. */
    private static final class Rejections implements ObjectInputFilter {
        private final ObjectInputFilter filter;
        String rejected;

        Rejections(ObjectInputFilter filter) {
            this.filter = filter;
        }

        @Override
        public Status checkInput(FilterInfo info) {
            Status s = filter.checkInput(info);
            if (s == Status.REJECTED && rejected == null) {
                Class<?> c = info.serialClass();
                rejected = c != null ? c.getName() : "(none: a limit)";
            }
            return s;
        }
    }
}
