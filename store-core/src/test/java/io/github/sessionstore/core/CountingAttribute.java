package io.github.sessionstore.core;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/** A session attribute that counts how often sessions holding it are deserialized. */
public class CountingAttribute implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final AtomicInteger READS = new AtomicInteger();
    public final String tag;

    public CountingAttribute(String tag) {
        this.tag = tag;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        READS.incrementAndGet();
    }
}
