package io.github.sessionstore.core.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.catalina.Manager;
import org.apache.catalina.Session;
import org.apache.catalina.Store;

/**
 * The {@code context.xml} examples of a page under {@code docs/}, read from the page itself so that the page cannot
 * drift from the tests that run them: the Nth {@code ```xml} block under a {@code ## } heading, its endpoint parts
 * replaced for a local stand-in (each replaced text must occur exactly once, so a changed example turns the test
 * red rather than going untested), started in a real Tomcat ({@link ContextXmlTomcat}), and a session round trip.
 */
public final class DocContextXml {

    private DocContextXml() {
    }

    /** {@code docs/<name>} of this repository, found from the module's directory upwards. */
    public static Path docsFile(String name) {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (int i = 0; i < 5 && dir != null; i++, dir = dir.getParent()) {
            Path f = dir.resolve("docs").resolve(name);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("docs/" + name + " not found above " + System.getProperty("user.dir"));
    }

    /**
     * The text of the {@code index}th (0-based) {@code ```xml} block between the line {@code ## heading} and the next
     * {@code ## } heading of {@code doc}.
     */
    public static String xmlBlock(Path doc, String heading, int index) {
        List<String> lines;
        try {
            lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = lines.indexOf("## " + heading);
        if (start < 0) {
            throw new IllegalArgumentException("no heading \"## " + heading + "\" in " + doc);
        }
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            String line = lines.get(i);
            if (block == null && line.equals("```xml")) {
                block = new StringBuilder();
            } else if (block != null && line.equals("```")) {
                blocks.add(block.toString());
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        if (index >= blocks.size()) {
            throw new IllegalArgumentException("\"## " + heading + "\" has " + blocks.size() + " xml block(s), not "
                    + (index + 1));
        }
        return blocks.get(index);
    }

    /** {@code text} with its one occurrence of {@code target} replaced; fails if it occurs not exactly once. */
    public static String replaceOnce(String text, String target, String replacement) {
        int at = text.indexOf(target);
        if (at < 0 || text.indexOf(target, at + 1) >= 0) {
            throw new AssertionError("expected [" + target + "] exactly once in the documented example:\n" + text);
        }
        return text.substring(0, at) + replacement + text.substring(at + target.length());
    }

    /**
     * The context.xml Tomcat gets for a documented block: a whole {@code <Context>} as it stands, with only class
     * path jar scanning turned off (it costs time, not configuration); a lone {@code <Store>} inside
     * {@link ContextXmlTomcat#contextXml(String)}'s PersistentManager.
     */
    public static String contextXml(String block) {
        String trimmed = block.strip();
        if (trimmed.startsWith("<Context>")) {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + replaceOnce(trimmed, "<Context>",
                    "<Context>\n  <JarScanner scanClassPath=\"false\" scanManifest=\"false\"/>") + "\n";
        }
        assertTrue(trimmed.startsWith("<Store "), () -> "neither a <Context> nor a <Store>: " + trimmed);
        return ContextXmlTomcat.contextXml(trimmed);
    }

    /**
     * Starts Tomcat on {@code contextXml} and checks that the context started with no Digester warning, a store of
     * {@code storeClass}, and no warning from the store at its start other than those containing one of
     * {@code expectedWarnings} (a backend's inherent limits); the caller closes it.
     */
    public static ContextXmlTomcat startClean(String contextXml, String storeClass, String... expectedWarnings)
            throws Exception {
        ContextXmlTomcat t = ContextXmlTomcat.start(contextXml);
        try {
            assertTrue(t.contextAvailable(), () -> "the context started: " + t.logLines() + "\n" + contextXml);
            assertEquals(List.of(), t.digesterWarnings(), "Tomcat set every attribute of the documented example");
            assertEquals(storeClass, t.store().getClass().getName());
            List<String> warnings = t.logLines().stream()
                    .filter(l -> l.startsWith("WARNING io.github.sessionstore") || l.startsWith("SEVERE io.github"))
                    .filter(l -> List.of(expectedWarnings).stream().noneMatch(l::contains)).toList();
            assertEquals(List.of(), warnings, "the store started on the documented example without a warning");
            return t;
        } catch (Exception | Error e) {
            t.close();
            throw e;
        }
    }

    /**
     * A session created by the context's manager, with an attribute, written by the store ({@code save}, as
     * PersistentManager's backup does) and read back by {@code load}: a new object decoded from the backend's record
     * (sealed with {@code encryptionKeys} when the example sets them), not the local copy. Expiring the session then
     * removes the record.
     */
    public static void assertRoundTrip(ContextXmlTomcat t) throws Exception {
        assertRoundTrip(t, () -> { });
    }

    /** As {@link #assertRoundTrip(ContextXmlTomcat)}; {@code whileStored} runs (checks the backend) after the write. */
    public static void assertRoundTrip(ContextXmlTomcat t, ThrowingRunnable whileStored) throws Exception {
        Manager manager = t.context().getManager();
        Store store = t.store();
        String value = "cloud-" + UUID.randomUUID();
        Session written = manager.createSession(null);
        written.getSession().setAttribute("doc", value);
        String id = written.getIdInternal();
        store.save(written);
        whileStored.run();
        Session loaded = store.load(id);
        assertNotNull(loaded, "the session written by the store is read back from the backend");
        assertNotSame(written, loaded, "decoded from the stored record, not the local copy");
        assertEquals(value, loaded.getSession().getAttribute("doc"));
        written.expire();
        assertEquals(null, store.load(id), "the expired session's record is gone from the backend");
    }

    /**
     * Runs {@code body} with the JVM's system properties {@code props} set (Tomcat's Digester resolves
     * {@code ${NAME}} from system properties, whatever {@code PROPERTY_SOURCE} adds), restoring the former values
     * after.
     */
    public static void withSystemProperties(Map<String, String> props, ThrowingRunnable body) throws Exception {
        Map<String, String> former = new HashMap<>();
        for (Map.Entry<String, String> e : props.entrySet()) {
            former.put(e.getKey(), System.getProperty(e.getKey()));
            System.setProperty(e.getKey(), e.getValue());
        }
        try {
            body.run();
        } finally {
            for (Map.Entry<String, String> e : former.entrySet()) {
                if (e.getValue() == null) {
                    System.clearProperty(e.getKey());
                } else {
                    System.setProperty(e.getKey(), e.getValue());
                }
            }
        }
    }

    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
