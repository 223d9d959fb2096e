package org.apache.commons.collections.functors;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A harmless test class under the name of commons-collections' best known gadget, so that the store's deny-list sees
 * exactly that name: it only counts every time Java deserialization instantiates it.
 */
public class InvokerTransformer implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final AtomicInteger DESERIALIZED = new AtomicInteger();

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        DESERIALIZED.incrementAndGet();
    }
}
