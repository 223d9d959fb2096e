package io.github.sessionstore.core;

import java.io.Serializable;

/**
 * Version 2 of an application class for {@link AttributeFramingContract}: {@link RenamedClassLoader} defines it under
 * the name {@link RenamedClassLoader#FRAMED_VALUE}, which is on no class path, so each node sees the version its loader
 * gives it (or none).
 */
public class FramedValueV2 implements Serializable {
    private static final long serialVersionUID = 2L;
    private final String text;

    public FramedValueV2(String text) {
        this.text = text;
    }

    @Override
    public String toString() {
        return text;
    }
}
