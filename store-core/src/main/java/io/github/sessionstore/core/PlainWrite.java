package io.github.sessionstore.core;

import java.io.IOException;
import java.util.Map;

import org.apache.catalina.session.StandardSession;

/** {@code lockingMode="none"}: one unconditional write; the later of two concurrent writers wins. */
final class PlainWrite implements WriteStrategy {

    private final RecordSink sink;
    private final ExpiryPolicy expiry;
    private final PrincipalSource principals;

    PlainWrite(RecordSink sink, ExpiryPolicy expiry, PrincipalSource principals) {
        this.sink = sink;
        this.expiry = expiry;
        this.principals = principals;
    }

    @Override
    public FlushResult write(StandardSession session, FlushState state, String key, SessionCodec.Encoded encoded,
            boolean sync) throws IOException {
        int maxInactive = session.getMaxInactiveInterval();
        long accessed = session.getThisAccessedTimeInternal();
        long expiresAt = expiry.expiresAt(accessed, maxInactive);
        long version = WriteStrategy.nextVersion(state == null ? 0 : state.version);
        FlushResult result = sink.put(key, new StoredSession(encoded.bytes(), version, accessed, maxInactive,
                expiresAt, principals.nameOf(session)), sync);
        session.setNote(FlushState.NOTE, new FlushState(key, encoded.digest(), version, expiresAt,
                encoded.bytes().length, null, maxInactive));
        return result;
    }

    @Override
    public Map<String, byte[]> baseAttributes(SessionCodec.Encoded encoded) {
        return null;
    }
}
