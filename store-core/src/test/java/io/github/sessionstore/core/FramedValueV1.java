package io.github.sessionstore.core;

import java.io.Serializable;

/**
 * Version 1 of an application class for {@link AttributeFramingContract}: {@link RenamedClassLoader} defines it under
 * the name {@link RenamedClassLoader#FRAMED_VALUE}, which is on no class path, so each node sees the version its loader
 * gives it (or none).
 */
public class FramedValueV1 implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String text;

    public FramedValueV1(String text) {
        this.text = text;
    }

    @Override
    public String toString() {
        return text;
    }
}
