package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SessionKeysTest {

    @Test
    void tomcatIdsAndRoutesAreAccepted() {
        assertEquals("2FC66C933C37B4C715FFB79EF415CFB9", SessionKeys.storageKey("2FC66C933C37B4C715FFB79EF415CFB9"));
        assertEquals("ABC123", SessionKeys.storageKey("ABC123.tomcat1"));
        assertEquals("ABC123", SessionKeys.storageKey("ABC123.node-2_b"));
        assertEquals("a-b_C", SessionKeys.storageKey("a-b_C"));
    }

    @Test
    void traversalEncodingControlAndOversizeIdsAreRefused() {
        for (String id : new String[] { null, "", "../x", "a/b", "a\\b", "%2e%2e", "a\0b", "a b", "é", "x".repeat(161),
                "a..b", ".a", "a.", "a.b.c", "a.b/c", "ABC." + "r".repeat(65) }) {
            assertNull(SessionKeys.storageKey(id), () -> "should refuse " + SessionKeys.forLog(id));
        }
    }

    @Test
    void logRenderingIsBoundedAndPrintable() {
        assertEquals("a?b", SessionKeys.forLog("a\nb"));
        assertEquals(64 + "...(10000 chars)".length(), SessionKeys.forLog("x".repeat(10_000)).length());
    }
}
