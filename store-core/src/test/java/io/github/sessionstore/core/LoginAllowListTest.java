package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.Cookie;

import org.apache.catalina.authenticator.Constants;
import org.apache.catalina.authenticator.SavedRequest;
import org.apache.catalina.realm.GenericPrincipal;
import org.apache.catalina.session.StandardSession;
import org.apache.tomcat.util.buf.ByteChunk;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Guards the session internals of the allow-list: with persistAuthentication, a container login (what
 * {@code GenericPrincipal.writeReplace} writes, with roles and attributes) and a FORM login's saved request survive
 * the store under {@code jdk-safe} and under a pattern that names none of Tomcat's classes.
 */
class LoginAllowListTest {

    @ParameterizedTest
    @ValueSource(strings = { "jdk-safe", "com\\.example\\..*" })
    void containerLoginSurvivesAnyAllowList(String allowList) throws Exception {
        MemoryStore.Shared shared = new MemoryStore.Shared();
        MemoryStore readerStore = new MemoryStore(shared);
        readerStore.setClassAllowList(allowList);
        try (StoreNode writer = new StoreNode(new MemoryStore(shared), "localhost", "/app");
                StoreNode reader = new StoreNode(readerStore, "localhost", "/app")) {
            writer.manager.setPersistAuthentication(true);
            reader.manager.setPersistAuthentication(true);
            StandardSession s = writer.newSession(600);
            Map<String, Object> attributes = new HashMap<>();
            attributes.put("mail", "alice@example.com");
            s.setAuthType("FORM");
            s.setPrincipal(new GenericPrincipal("alice", List.of("admin", "user"), null, null, null, attributes));
            s.setNote(Constants.FORM_REQUEST_NOTE, savedRequest());
            writer.endRequest(s);

            StandardSession loaded = reader.load(s.getId());
            assertNotNull(loaded, "the logged-in session loads");
            assertEquals(0, reader.metrics().droppedAttributes.sum() + reader.metrics().corruptRecords.sum());
            GenericPrincipal p = assertInstanceOf(GenericPrincipal.class, loaded.getPrincipal());
            assertEquals("alice", p.getName());
            assertArrayEquals(new String[] { "admin", "user" }, p.getRoles());
            assertEquals("alice@example.com", p.getAttribute("mail"));
            assertEquals("FORM", loaded.getAuthType());
            SavedRequest saved = assertInstanceOf(SavedRequest.class, loaded.getNote(Constants.FORM_REQUEST_NOTE));
            assertEquals("/app/private?x=1", saved.getRequestURI() + "?" + saved.getQueryString());
            assertEquals("Lax", saved.getCookies().next().getAttribute("SameSite"));
            assertEquals(Locale.CANADA_FRENCH, saved.getLocales().next());
            assertArrayEquals("a=b".getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(saved.getBody().getBytes(),
                    saved.getBody().getStart(), saved.getBody().getEnd()));
        }
    }

    /** What FormAuthenticator saves of a POST: cookies, headers, locales, the body. */
    private static SavedRequest savedRequest() throws Exception {
        SavedRequest saved = new SavedRequest();
        Cookie cookie = new Cookie("pref", "dark");
        cookie.setAttribute("SameSite", "Lax");
        saved.addCookie(cookie);
        saved.addHeader("Accept", "text/html");
        saved.addLocale(Locale.CANADA_FRENCH);
        saved.setMethod("POST");
        saved.setRequestURI("/app/private");
        saved.setDecodedRequestURI("/app/private");
        saved.setQueryString("x=1");
        saved.setContentType("application/x-www-form-urlencoded");
        ByteChunk body = new ByteChunk();
        body.setBytes("a=b".getBytes(StandardCharsets.UTF_8), 0, 3);
        saved.setBody(body);
        saved.setOriginalMaxInactiveInterval(1800);
        return saved;
    }
}
