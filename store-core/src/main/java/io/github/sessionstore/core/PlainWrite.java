package io.github.sessionstore.core;

import java.io.IOException;
import java.util.Map;

import org.apache.catalina.session.StandardSession;

/** {@code lockingMode="none"}: one unconditional write; the later of two concurrent writers wins. */
final class PlainWrite implements WriteStrategy {

    private final RecordSink sink;
    private final PrincipalSource principals;

    PlainWrite(RecordSink sink, PrincipalSource principals) {
        this.sink = sink;
        this.principals = principals;
    }

    @Override
    public FlushResult write(StandardSession session, FlushState state, String key, Sealed record, boolean sync)
            throws IOException {
        int maxInactive = session.getMaxInactiveInterval();
        long accessed = session.getThisAccessedTimeInternal();
        SessionCodec.Encoded stored = record.stored();
        FlushResult result = sink.put(key, new StoredSession(stored.bytes(), record.version(), accessed, maxInactive,
                record.expiresAt(), principals.nameOf(session)), sync);
        session.setNote(FlushState.NOTE, new FlushState(key, stored.digest(), record.version(), record.expiresAt(), null,
                maxInactive));
        return result;
    }

    @Override
    public Map<String, byte[]> baseAttributes(SessionCodec.Encoded encoded) {
        return null;
    }
}
