package io.github.sessionstore.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DDL shipped in the jar ({@code schema-<database>.sql}, {@code schema-drop-<database>.sql},
 * {@code schema-principal-<database>.sql}), read as statements for one store's tables: the scripts name the default
 * tables, which are replaced by the store's.
 */
final class SchemaScripts {

    static final String DEFAULT_TABLE = "tomcat_sessions";
    /** Suffix of the lock table's default name, appended to the session table's name. */
    static final String LOCK_SUFFIX = "_locks";
    static final String DEFAULT_LOCK_TABLE = DEFAULT_TABLE + LOCK_SUFFIX;
    /** Longest table name the store accepts (MySQL's identifier limit). */
    static final int MAX_IDENTIFIER = 64;
    /** The names in the DDL resources; longest first, so that the lock table's is not read as the session table's. */
    private static final Pattern DDL_NAMES = Pattern.compile(DEFAULT_LOCK_TABLE + "|" + DEFAULT_TABLE);

    private SchemaScripts() {
    }

    /** The lock table's default name for a session table: {@code <table>_locks}, shortened to fit an identifier. */
    static String defaultLockTable(String table) {
        String base = table.length() + LOCK_SUFFIX.length() <= MAX_IDENTIFIER ? table
                : table.substring(0, MAX_IDENTIFIER - LOCK_SUFFIX.length());
        return base + LOCK_SUFFIX;
    }

    /** The CREATE statements of {@code schema-<name>.sql}, for the dialect's session and lock tables. */
    static List<String> schema(Dialect d) throws IOException {
        return script("schema-" + d.name + ".sql", d.sql);
    }

    static List<String> dropSchema(Dialect d) throws IOException {
        return script("schema-drop-" + d.name + ".sql", d.sql);
    }

    /** The statements that add the principal column and its index to a table created before it. */
    static List<String> principalMigration(Dialect d) throws IOException {
        return script("schema-principal-" + d.name + ".sql", d.sql);
    }

    /** The statements of {@code resource} without its comment lines, split at {@code ;}, the tables renamed. */
    private static List<String> script(String resource, Statements sql) throws IOException {
        String text;
        try (InputStream in = SchemaScripts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing resource " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.trim().startsWith("--")) {
                out.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String statement : out.toString().split(";")) {
            if (!statement.isBlank()) {
                // One pass: a configured name is never rewritten again, whatever it contains
                Matcher m = DDL_NAMES.matcher(statement.trim());
                statements.add(m.replaceAll(r -> Matcher.quoteReplacement(
                        r.group().equals(DEFAULT_LOCK_TABLE) ? sql.lockTable : sql.table)));
            }
        }
        return statements;
    }
}
