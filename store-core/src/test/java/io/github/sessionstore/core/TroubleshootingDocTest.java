package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * docs/troubleshooting.md names every message the store logs at WARN or ERROR: each LocalStrings key that main code
 * passes to a warn or error call; and no such call passes literal text instead of a key. A new warning that the page
 * does not explain fails this test. Reads the sources of every
 * {@code store-*} module beside this one (run from the module directory, as Maven does).
 */
class TroubleshootingDocTest {

    private static final Path ROOT = Path.of("..");
    private static final Path PAGE = ROOT.resolve("docs").resolve("troubleshooting.md");

    /**
     * The calls that log at WARN or ERROR: JULI's {@code warn}, {@code error}, {@code fatal}, LimitedLog's
     * {@code warnLimited} and {@code warnOnce}, and store-file's {@code Confinement.once} (a warn, once per path).
     */
    private static final Pattern LOG_CALL = Pattern.compile("\\b(warn|warnLimited|warnOnce|error|fatal|once)\\s*\\(");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern IDENTIFIER = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(,.*)?",
            Pattern.DOTALL);

    @Test
    void everyWarnOrErrorKeyIsOnThePage() throws IOException {
        Set<String> keys = new TreeSet<>();
        Set<String> literals = new TreeSet<>();
        scan(keys, literals);
        // the scanner found what it must (a parser that finds nothing would pass vacuously)
        assertTrue(keys.size() >= 25, "warn/error keys found in main code: " + keys);
        assertTrue(keys.contains("store.settingsRefused"), "found through its local variable: " + keys);
        assertTrue(keys.contains("store.connectFailedAtStart") && keys.contains("store.connectFailed"),
                "both sides of a conditional: " + keys);

        String page = normalized(Files.readString(PAGE, StandardCharsets.UTF_8));
        List<String> missing = new ArrayList<>();
        for (String key : keys) {
            if (!page.contains("`" + key + "`")) {
                missing.add(key);
            }
        }
        assertEquals(List.of(), missing, "LocalStrings keys logged at WARN/ERROR but not named (as `key`) in " + PAGE);
    }

    /** Every warn or error line passes a key: a line of literal text would be the only one not in a properties file. */
    @Test
    void everyWarnOrErrorLinePassesAKey() throws IOException {
        Set<String> keys = new TreeSet<>();
        Set<String> literals = new TreeSet<>();
        scan(keys, literals);
        assertEquals(Set.of(), literals, "warn/error lines of main code written as literal text, not as a key");
    }

    /** The scanner tells a line with a key from one of literal text (else the test above would pass vacuously). */
    @Test
    void theScannerFindsALineOfLiteralText() {
        Set<String> keys = new TreeSet<>();
        Set<String> literals = new TreeSet<>();
        scanSource("log.warn(\"Session table \" + t + \" is gone\"); log.warn(sm.getString(\"store.sweepFailed\", ns));",
                Set.of("store.sweepFailed"), keys, literals);
        assertEquals(Set.of("store.sweepFailed"), keys);
        assertEquals(Set.of("Session table"), literals);
    }

    /** Keys of every LocalStrings.properties of the modules' main resources. */
    private static Set<String> messageKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        for (Path module : modules()) {
            Path resources = module.resolve("src/main/resources");
            if (!Files.isDirectory(resources)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(resources)) {
                for (Path p : files.filter(f -> f.getFileName().toString().startsWith("LocalStrings")).toList()) {
                    Properties props = new Properties();
                    try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                        props.load(r);
                    }
                    keys.addAll(props.stringPropertyNames());
                }
            }
        }
        assertTrue(keys.contains("store.settingsRefused"), "store-core's LocalStrings.properties was read: " + keys);
        return keys;
    }

    private static List<Path> modules() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            List<Path> modules = dirs.filter(d -> d.getFileName().toString().startsWith("store-")
                    && Files.isDirectory(d.resolve("src/main/java"))).sorted().toList();
            assertTrue(modules.size() >= 6, "store-* modules beside this one: " + modules);
            return modules;
        }
    }

    /**
     * Every warn/error call of main code: the message keys it passes go to {@code keys}; a call that passes no key
     * contributes its longest literal to {@code literals}. A call whose message is a local variable is resolved to
     * that variable's initializer; one whose message is a parameter (a pass-through logger) is not the store's text.
     */
    private static void scan(Set<String> keys, Set<String> literals) throws IOException {
        Set<String> known = messageKeys();
        for (Path module : modules()) {
            List<Path> sources;
            try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
            }
            for (Path source : sources) {
                scanSource(withoutComments(Files.readString(source, StandardCharsets.UTF_8)), known, keys, literals);
            }
        }
    }

    private static void scanSource(String code, Set<String> known, Set<String> keys, Set<String> literals) {
        Matcher call = LOG_CALL.matcher(code);
        while (call.find()) {
            String args = arguments(code, call.end());
            Matcher variable = IDENTIFIER.matcher(args);
            if (!args.contains("\"") && variable.matches()) {
                args = initializer(code, variable.group(1), call.start());
            }
            List<String> found = new ArrayList<>();
            String longest = "";
            Matcher lit = LITERAL.matcher(args);
            while (lit.find()) {
                String s = lit.group(1);
                if (known.contains(s)) {
                    found.add(s);
                } else if (s.trim().length() > longest.length()) {
                    longest = s.trim();
                }
            }
            if (!found.isEmpty()) {
                keys.addAll(found);
            } else if (longest.length() >= 8) {
                literals.add(normalized(longest));
            }
        }
    }

    /** The text between the parenthesis at {@code from} - 1 and its match, string literals skipped. */
    private static String arguments(String code, int from) {
        int depth = 1;
        for (int i = from; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '"') {
                i = endOfLiteral(code, i);
            } else if (c == '\'') {
                i = endOfChar(code, i);
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return code.substring(from, i);
            }
        }
        return "";
    }

    /** The closing quote of the string literal (or text block) opened at {@code open}. */
    private static int endOfLiteral(String code, int open) {
        if (code.startsWith("\"\"\"", open)) {
            int end = code.indexOf("\"\"\"", open + 3);
            return end < 0 ? code.length() : end + 2;
        }
        for (int i = open + 1; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return code.length();
    }

    /** The closing quote of the char literal opened at {@code open}. */
    private static int endOfChar(String code, int open) {
        int end = code.indexOf('\'', open + (open + 1 < code.length() && code.charAt(open + 1) == '\\' ? 3 : 2));
        return end < 0 ? code.length() : end;
    }

    /** The initializer of the last {@code String name = …;} before {@code before}, or "" for none (a parameter). */
    private static String initializer(String code, String name, int before) {
        Matcher m = Pattern.compile("\\bString\\s+" + Pattern.quote(name) + "\\s*=([^;]*);")
                .matcher(code.substring(0, before));
        String last = "";
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    private static String withoutComments(String code) {
        StringBuilder out = new StringBuilder(code.length());
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '"') {
                int end = endOfLiteral(code, i);
                out.append(code, i, Math.min(end + 1, code.length()));
                i = end;
            } else if (c == '\'') {
                int end = endOfChar(code, i);
                out.append(code, i, Math.min(end + 1, code.length()));
                i = end;
            } else if (c == '/' && i + 1 < code.length() && code.charAt(i + 1) == '/') {
                int end = code.indexOf('\n', i);
                i = end < 0 ? code.length() : end - 1;
            } else if (c == '/' && i + 1 < code.length() && code.charAt(i + 1) == '*') {
                int end = code.indexOf("*/", i + 2);
                i = end < 0 ? code.length() : end + 1;
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Runs of white space as one space, so that a message wrapped over lines in the page still matches. */
    private static String normalized(String text) {
        return text.replaceAll("\\s+", " ");
    }
}
