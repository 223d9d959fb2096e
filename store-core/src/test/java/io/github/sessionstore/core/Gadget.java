package io.github.sessionstore.core;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/** Stands in for a deserialization gadget: counts every time Java deserialization instantiates it. */
public class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final AtomicInteger DESERIALIZED = new AtomicInteger();

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        DESERIALIZED.incrementAndGet();
    }
}
