package io.github.sessionstore.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The {@code -tomcat9} jars (each backend's drop-in jar and store-core's thin jar): no class refers to
 * {@code jakarta.servlet} any more (a reference left would fail with NoClassDefFoundError on Tomcat 9), they carry the
 * same entries as their Tomcat 10.1/11 jar with the same licences, and every class, method and field they use of
 * Tomcat and the Servlet API exists in the real Tomcat 9.0 distribution's jars (a Tomcat 10.1/11-only API would fail
 * with NoSuchMethodError where it is first called). The backends' ordinary thin jars, which serve Tomcat 9.0 beside
 * {@code store-core-<version>-tomcat9.jar}, refer to no Servlet API and to no Tomcat API missing from 9.0.
 */
class Tomcat9JarTest {

    private static final byte[] JAKARTA_SERVLET = "jakarta/servlet".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JAKARTA_SERVLET_NAME = "jakarta.servlet".getBytes(StandardCharsets.US_ASCII);
    /**
     * Servlet 6.1's session accessor, absent from Tomcat 9 as from Tomcat 10.1: used only by SessionStoreManager's
     * StoreSession, in its override of {@code getAccessor()}, which a container without the accessor never calls, and
     * by the FlushingAccessor that only this override creates. Nothing else may refer to it.
     */
    private static final Set<String> ACCESSOR_USERS = Set.of("io/github/sessionstore/core/StoreSession",
            "io/github/sessionstore/core/FlushingAccessor");

    private static final List<String> BACKENDS = List.of("store-file", "store-memcached", "store-jdbc",
            "store-mongodb", "store-redis");

    /** A thin jar, copied without its version by the e2e pom (e.g. {@code store-core-tomcat9.jar}). */
    private static Path thin(String name) {
        Path jar = Path.of(E2eSettings.require("e2e.thin"), name);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No thin jar " + jar);
        }
        return jar;
    }

    /** Every jar for Tomcat 9.0 that refers to the Servlet API: the backends' -tomcat9 jars and store-core's. */
    static Stream<Named<Path>> tomcat9Jars() {
        return Stream.concat(BACKENDS.stream().map(Tomcat9Fixture::dropIn), Stream.of(thin("store-core-tomcat9.jar")))
                .map(p -> Named.of(p.getFileName().toString(), p));
    }

    /** The backends' ordinary thin jars. */
    static Stream<Named<Path>> backendThinJars() {
        return BACKENDS.stream().map(a -> Named.of(a + ".jar", thin(a + ".jar")));
    }

    @ParameterizedTest
    @MethodSource("tomcat9Jars")
    void noClassRefersToJakartaServlet(Path path) throws Exception {
        List<String> left = new ArrayList<>();
        int javax = 0;
        try (JarFile jar = new JarFile(path.toFile())) {
            for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                if (e.getName().endsWith(".class") || e.getName().startsWith("META-INF/services/")) {
                    byte[] bytes = read(jar, e);
                    if (contains(bytes, JAKARTA_SERVLET) || contains(bytes, JAKARTA_SERVLET_NAME)) {
                        left.add(e.getName());
                    }
                    javax += contains(bytes, "javax/servlet/".getBytes(StandardCharsets.US_ASCII)) ? 1 : 0;
                }
            }
        }
        assertEquals(List.of(), left, "entries still naming jakarta.servlet");
        assertTrue(javax > 0, "the valve refers to javax.servlet");
    }

    /** Same entries as the Tomcat 10.1/11 jar, and byte for byte the same licence files. */
    @ParameterizedTest
    @ValueSource(strings = { "store-file", "store-memcached", "store-jdbc", "store-mongodb", "store-redis" })
    void sameEntriesAndLicencesAsTheTomcatJar(String artifactId) throws Exception {
        try (JarFile jar = new JarFile(E2eSettings.dropIn(artifactId).toFile());
                JarFile jar9 = new JarFile(Tomcat9Fixture.dropIn(artifactId).toFile())) {
            assertEquals(names(jar), names(jar9));
            for (String name : names(jar)) {
                if (name.equals("META-INF/LICENSE") || name.equals("META-INF/NOTICE")
                        || name.equals("META-INF/THIRD-PARTY.txt") || name.startsWith("META-INF/licenses/")) {
                    assertArrayEquals(read(jar, jar.getJarEntry(name)), read(jar9, jar9.getJarEntry(name)), name);
                }
            }
            assertNotNull(jar9.getEntry("META-INF/THIRD-PARTY.txt"));
        }
    }

    /** store-core's thin jar for Tomcat 9.0: the same entries as its thin jar, with its licence and notice. */
    @Test
    void coreThinJarHasTheSameEntriesAsTheThinJar() throws Exception {
        try (JarFile jar = new JarFile(thin("store-core.jar").toFile());
                JarFile jar9 = new JarFile(thin("store-core-tomcat9.jar").toFile())) {
            assertEquals(names(jar), names(jar9));
            for (String name : List.of("META-INF/LICENSE", "META-INF/NOTICE")) {
                assertArrayEquals(read(jar, jar.getJarEntry(name)), read(jar9, jar9.getJarEntry(name)), name);
            }
        }
    }

    /**
     * The reason a backend needs no thin jar of its own for Tomcat 9.0: none of its classes names the Servlet API,
     * in either package. A backend that starts to use it needs a {@code -tomcat9} thin jar, as store-core has.
     */
    @ParameterizedTest
    @MethodSource("backendThinJars")
    void backendThinJarRefersToNoServletApi(Path path) throws Exception {
        List<String> naming = new ArrayList<>();
        int classes = 0;
        try (JarFile jar = new JarFile(path.toFile())) {
            for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                if (e.getName().endsWith(".class") || e.getName().startsWith("META-INF/services/")) {
                    byte[] bytes = read(jar, e);
                    classes++;
                    if (contains(bytes, JAKARTA_SERVLET) || contains(bytes, JAKARTA_SERVLET_NAME)
                            || contains(bytes, "javax/servlet".getBytes(StandardCharsets.US_ASCII))
                            || contains(bytes, "javax.servlet".getBytes(StandardCharsets.US_ASCII))) {
                        naming.add(e.getName());
                    }
                }
            }
        }
        assertEquals(List.of(), naming, "entries naming the Servlet API");
        assertTrue(classes > 0, "classes read");
    }

    @ParameterizedTest
    @MethodSource("tomcat9Jars")
    void everyTomcatApiItUsesExistsInTomcat9(Path jar) throws Exception {
        Set<String> missing = new TreeSet<>();
        int checked = checkApis(jar, missing);
        assertEquals(Set.of(), missing, "used by " + jar.getFileName() + ", absent from Tomcat 9.0");
        assertTrue(checked > 100, "references to Tomcat checked: " + checked);
    }

    @ParameterizedTest
    @MethodSource("backendThinJars")
    void everyTomcatApiABackendThinJarUsesExistsInTomcat9(Path jar) throws Exception {
        Set<String> missing = new TreeSet<>();
        int checked = checkApis(jar, missing);
        assertEquals(Set.of(), missing, "used by " + jar.getFileName() + ", absent from Tomcat 9.0");
        assertTrue(checked > 0, "references to Tomcat checked: " + checked);
    }

    /** Reads every class of the jar but its shaded libraries; returns how many references to Tomcat it checked. */
    private static int checkApis(Path path, Set<String> missing) throws Exception {
        TomcatDistribution dist = TomcatDistribution.tomcat9();
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> lib = Files.list(dist.home().resolve("lib"))) {
            for (Path p : (Iterable<Path>) lib.filter(p -> p.toString().endsWith(".jar"))::iterator) {
                urls.add(p.toUri().toURL());
            }
        }
        urls.add(dist.home().resolve("bin/tomcat-juli.jar").toUri().toURL());
        try (URLClassLoader tomcat9 = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
                JarFile jar = new JarFile(path.toFile())) {
            ApiCheck check = new ApiCheck(tomcat9, missing);
            for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                if (e.getName().endsWith(".class") && !e.getName().startsWith("io/github/sessionstore/shaded/")) {
                    new ClassReader(read(jar, e)).accept(check, ClassReader.SKIP_DEBUG);
                }
            }
            return check.checked;
        }
    }

    /** Records every reference to Tomcat or the Servlet API that the Tomcat 9 class loader cannot resolve. */
    private static final class ApiCheck extends ClassVisitor {

        private final ClassLoader tomcat9;
        private final Set<String> missing;
        private String current;
        int checked;

        ApiCheck(ClassLoader tomcat9, Set<String> missing) {
            super(Opcodes.ASM9);
            this.tomcat9 = tomcat9;
            this.missing = missing;
        }

        private static boolean container(String internalName) {
            return internalName.startsWith("org/apache/") || internalName.startsWith("javax/servlet/")
                    || internalName.startsWith("jakarta/");
        }

        private Class<?> type(String internalName) {
            try {
                return Class.forName(internalName.replace('/', '.'), false, tomcat9);
            } catch (ClassNotFoundException | LinkageError e) {
                missing(internalName.replace('/', '.'));
                return null;
            }
        }

        private void missing(String reference) {
            boolean accessor = reference.startsWith("javax.servlet.http.HttpSession$Accessor")
                    || reference.startsWith("org.apache.catalina.session.StandardSession.getAccessor(");
            if (!(accessor && ACCESSOR_USERS.contains(current))) {
                missing.add(reference + " (in " + current.replace('/', '.') + ")");
            }
        }

        private void typeOf(Type t) {
            while (t.getSort() == Type.ARRAY) {
                t = t.getElementType();
            }
            if (t.getSort() == Type.OBJECT && container(t.getInternalName())) {
                checked++;
                type(t.getInternalName());
            }
        }

        private void descriptor(String desc) {
            Type t = Type.getType(desc);
            if (t.getSort() == Type.METHOD) {
                typeOf(t.getReturnType());
                for (Type a : t.getArgumentTypes()) {
                    typeOf(a);
                }
            } else {
                typeOf(t);
            }
        }

        private void member(String owner, String name, String desc, boolean method) {
            if (owner.startsWith("[") || !container(owner)) {
                return;
            }
            checked++;
            descriptor(desc);
            Class<?> c = type(owner);
            if (c != null && !(method ? hasMethod(c, name, desc) : hasField(c, name, desc))) {
                missing(owner.replace('/', '.') + "." + name + desc);
            }
        }

        private static boolean hasMethod(Class<?> c, String name, String desc) {
            if (c == null) {
                return false;
            }
            if (name.equals("<init>")) {
                return Stream.of(c.getDeclaredConstructors()).anyMatch(k -> Type.getConstructorDescriptor(k).equals(desc));
            }
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name) && Type.getMethodDescriptor(m).equals(desc)) {
                    return true;
                }
            }
            if (hasMethod(c.getSuperclass(), name, desc)) {
                return true;
            }
            for (Class<?> i : c.getInterfaces()) {
                if (hasMethod(i, name, desc)) {
                    return true;
                }
            }
            return c.isInterface() && hasMethod(Object.class, name, desc);
        }

        private static boolean hasField(Class<?> c, String name, String desc) {
            for (Class<?> k = c; k != null; k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (f.getName().equals(name) && Type.getDescriptor(f.getType()).equals(desc)) {
                        return true;
                    }
                }
                for (Class<?> i : k.getInterfaces()) {
                    if (hasField(i, name, desc)) {
                        return true;
                    }
                }
            }
            return false;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                String[] interfaces) {
            current = name;
            if (superName != null && container(superName)) {
                checked++;
                type(superName);
            }
            for (String i : interfaces) {
                if (container(i)) {
                    checked++;
                    type(i);
                }
            }
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
            descriptor(desc);
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitMethodInsn(int opcode, String owner, String mName, String mDesc, boolean itf) {
                    member(owner, mName, mDesc, true);
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String fName, String fDesc) {
                    member(owner, fName, fDesc, false);
                }

                @Override
                public void visitTypeInsn(int opcode, String type) {
                    typeOf(Type.getObjectType(type));
                }

                @Override
                public void visitLdcInsn(Object value) {
                    if (value instanceof Type t) {
                        typeOf(t);
                    } else if (value instanceof Handle h) {
                        member(h.getOwner(), h.getName(), h.getDesc(), h.getTag() >= Opcodes.H_INVOKEVIRTUAL);
                    }
                }

                @Override
                public void visitInvokeDynamicInsn(String iName, String iDesc, Handle bsm, Object... args) {
                    descriptor(iDesc);
                    for (Object a : args) {
                        if (a instanceof Handle h) {
                            member(h.getOwner(), h.getName(), h.getDesc(), h.getTag() >= Opcodes.H_INVOKEVIRTUAL);
                        }
                    }
                }
            };
        }
    }

    private static Set<String> names(JarFile jar) {
        Set<String> names = new TreeSet<>();
        jar.stream().filter(e -> !e.isDirectory()).forEach(e -> names.add(e.getName()));
        return names;
    }

    private static byte[] read(JarFile jar, JarEntry e) throws IOException {
        try (InputStream in = jar.getInputStream(e)) {
            return in.readAllBytes();
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
