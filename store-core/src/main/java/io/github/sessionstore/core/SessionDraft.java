package io.github.sessionstore.core;

import java.io.IOException;
import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

import org.apache.catalina.Manager;
import org.apache.catalina.session.StandardSession;

/**
 * A session's state as a flush first sees it: the shell and each attribute Tomcat would store, serialized, except an
 * immutable value this node serialized before ({@link KnownValues}), whose bytes and digest are taken as they were.
 * Its {@link StateDigest} tells whether the application changed anything; only a write needs the record, which
 * {@link #encoded} assembles.
 */
final class SessionDraft {

    private final byte[] shell;
    private final String[] names;
    /** Each value's complete serialization stream. */
    private final byte[][] serialized;
    private final int count;
    /** How many values this draft serialized (the others were known). */
    private final int fresh;
    private final StateDigest digest;

    private SessionDraft(byte[] shell, String[] names, byte[][] serialized, int count, int fresh,
            StateDigest digest) {
        this.shell = shell;
        this.names = names;
        this.serialized = serialized;
        this.count = count;
        this.fresh = fresh;
        this.digest = digest;
    }

    /**
     * The draft of {@code session}, which must be valid; the session is not changed, except for its
     * {@link KnownValues} note.
     */
    static SessionDraft of(StandardSession session) throws IOException {
        DraftScratch scratch = DraftScratch.borrow();
        SessionDraft draft = of(session, scratch.parts, scratch.sha256);
        scratch.giveBack(); // not after an exception: the stream may be in the middle of an object
        return draft;
    }

    private static SessionDraft of(StandardSession session, PartStream parts, MessageDigest md) throws IOException {
        boolean isNew = session.isNew(); // throws for an invalid session, which is never stored
        int maxInactive = session.getMaxInactiveInterval();
        byte[] shell = SessionShell.write(parts, session, isNew);
        KnownValues known = KnownValues.of(session);
        KnownValues.Attributes all = known.attributes(session);
        int n = all.names().length;
        String[] names = new String[n];
        byte[][] serialized = new byte[n][];
        byte[][] digests = new byte[n][];
        KnownValues.Known[] kept = new KnownValues.Known[n];
        Manager manager = session.getManager();
        int count = 0;
        int fresh = 0;
        for (int i = 0; i < n; i++) {
            String name = all.names()[i];
            Object value = all.values()[i];
            if (value == null || !AttributeFrames.storable(session, manager, name, value)) {
                continue;
            }
            KnownValues.Known k = known.get(all, i);
            if (k == null) {
                try {
                    parts.begin().writeObject(value);
                } catch (NotSerializableException notStorable) {
                    parts.failed(); // Tomcat skips such an attribute as well
                    continue;
                }
                byte[] bytes = parts.take();
                k = new KnownValues.Known(value, bytes, md.digest(bytes));
                fresh++;
                if (KnownValues.immutable(value)) {
                    kept[i] = k;
                }
            } else {
                kept[i] = k;
            }
            names[count] = name;
            serialized[count] = k.bytes();
            digests[count] = k.digest();
            count++;
        }
        known.remember(session, all, kept);
        return new SessionDraft(shell, names, serialized, count, fresh, new StateDigest(
                shellDigest(md, shell, isNew, maxInactive), Arrays.copyOf(names, count), Arrays.copyOf(digests, count)));
    }

    /** The application state: equal for equal states, whatever the access times and the new flag. */
    StateDigest digest() {
        return digest;
    }

    /** The format 2 record of this state: header, shell, one frame per attribute, the frames' offset. */
    SessionCodec.Encoded encoded() {
        byte[][] nameBytes = new byte[count][];
        for (int i = 0; i < count; i++) {
            nameBytes[i] = names[i].getBytes(StandardCharsets.UTF_8);
        }
        int size = SessionCodec.HEADER_LENGTH + shell.length + SessionCodec.TRAILER_LENGTH;
        for (int i = 0; i < count; i++) {
            size += 8 + nameBytes[i].length + serialized[i].length;
        }
        RecordBuffer out = new RecordBuffer(size);
        out.writeBytes(SessionCodec.MAGIC);
        out.write(SessionCodec.FORMAT_VERSION);
        out.write(0);
        out.writeBytes(shell);
        int shellEnd = out.size();
        AttributeFrames.Pending frames = new AttributeFrames.Pending(count);
        for (int i = 0; i < count; i++) {
            out.writeInt(nameBytes[i].length);
            out.writeBytes(nameBytes[i]);
            out.writeInt(serialized[i].length);
            frames.add(names[i], out.size(), serialized[i].length);
            out.writeBytes(serialized[i]);
        }
        out.writeInt(shellEnd);
        byte[] bytes = out.toByteArray();
        return new SessionCodec.Encoded(bytes, digest, frames.of(bytes));
    }

    /** How many attribute values this draft serialized (the others were known). */
    int serializedValues() {
        return fresh;
    }

    /** Digest of the shell without its leading scalars (times and flags), and of the timeout. */
    private static byte[] shellDigest(MessageDigest md, byte[] shell, boolean isNew, int maxInactive) {
        md.update((byte) (maxInactive >>> 24));
        md.update((byte) (maxInactive >>> 16));
        md.update((byte) (maxInactive >>> 8));
        md.update((byte) maxInactive);
        int skip = SessionCodec.shellPrefixLength(isNew);
        md.update(shell, skip, shell.length - skip);
        return md.digest();
    }
}
