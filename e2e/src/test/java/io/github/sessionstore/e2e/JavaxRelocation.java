package io.github.sessionstore.e2e;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;

/**
 * The test webapp for Tomcat 9: its classes with {@code jakarta.servlet} relocated to {@code javax.servlet}, as the
 * {@code tomcat9-drop-in} shade executions relocate the store jars (ASM's {@link ClassRemapper}, which
 * maven-shade-plugin runs too), so that both lines run the same servlets.
 */
final class JavaxRelocation {

    private static final String FROM = "jakarta/servlet/";
    private static final String TO = "javax/servlet/";

    private static final Remapper REMAPPER = new Remapper() {
        @Override
        public String map(String internalName) {
            return internalName.startsWith(FROM) ? TO + internalName.substring(FROM.length()) : internalName;
        }
    };

    private JavaxRelocation() {
    }

    static byte[] relocate(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(0);
        reader.accept(new ClassRemapper(writer, REMAPPER), 0);
        return writer.toByteArray();
    }
}
