package io.github.sessionstore.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;

import org.apache.catalina.session.StandardSession;

/** Records as the previous release wrote them (format 1: the header, then Tomcat's writeObjectData stream). */
final class FormatV1 {

    private FormatV1() {
    }

    static byte[] encode(StandardSession session) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        bos.write(SessionCodec.MAGIC);
        bos.write(SessionCodec.FORMAT_V1);
        bos.write(0);
        try (ObjectOutputStream oos = new ObjectOutputStream(bos)) {
            session.writeObjectData(oos);
        }
        return bos.toByteArray();
    }
}
