package io.github.sessionstore.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A webapp class loader stand-in that defines one class (child first) from the bytes of another class, renamed: so a
 * test has two versions of one class in two loaders, a class that exists on one node only, and names that are on no
 * class path (deserialization falls back to the caller's loader, which must not find them).
 */
final class RenamedClassLoader extends ClassLoader {

    /** The name both versions of {@code FramedValueV*} take (same length as theirs, so the bytes rename in place). */
    static final String FRAMED_VALUE = "io.github.sessionstore.core.FramedValueVx";

    private final String name;
    private final Class<?> source;
    private Class<?> defined;

    RenamedClassLoader(String name, Class<?> source) {
        super(RenamedClassLoader.class.getClassLoader());
        if (name.length() != source.getName().length()) {
            throw new IllegalArgumentException("the new name must be as long as the old one");
        }
        this.name = name;
        this.source = source;
    }

    /** A new instance of the renamed class, made with its one-String constructor. */
    Object newInstance(String text) throws ReflectiveOperationException {
        return loadClass(name).getConstructor(String.class).newInstance(text);
    }

    @Override
    protected synchronized Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
        if (!className.equals(name)) {
            return super.loadClass(className, resolve);
        }
        if (defined == null) {
            String from = source.getName().replace('.', '/');
            try (InputStream in = getParent().getResourceAsStream(from + ".class")) {
                byte[] b = rename(in.readAllBytes(), from.getBytes(StandardCharsets.UTF_8),
                        name.replace('.', '/').getBytes(StandardCharsets.UTF_8));
                defined = defineClass(name, b, 0, b.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(className, e);
            }
        }
        return defined;
    }

    /** Replace every occurrence of {@code from} by {@code to} (same length: constant pool lengths stay valid). */
    private static byte[] rename(byte[] b, byte[] from, byte[] to) {
        for (int i = 0; i + from.length <= b.length; i++) {
            int j = 0;
            while (j < from.length && b[i + j] == from[j]) {
                j++;
            }
            if (j == from.length) {
                System.arraycopy(to, 0, b, i, to.length);
            }
        }
        return b;
    }
}
