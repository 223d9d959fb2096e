package io.github.sessionstore.core.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One browser: keeps its JSESSIONID cookie across requests to any node. */
public final class WebUser {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Pattern COOKIE = Pattern.compile("JSESSIONID=([^;]*)");
    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S+)");

    private String sessionId;

    public String sessionId() {
        return sessionId;
    }

    public void sessionId(String id) {
        this.sessionId = id;
    }

    /** A response: status and body, with the {@code key=value} fields of the test servlets parsed. */
    public record Reply(int status, String body) {
        public int field(String name) {
            String v = text(name);
            return v == null ? -1 : Integer.parseInt(v);
        }

        public String text(String name) {
            Matcher m = FIELD.matcher(body);
            while (m.find()) {
                if (m.group(1).equals(name)) {
                    return m.group(2);
                }
            }
            return null;
        }
    }

    public Reply get(String url) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (sessionId != null) {
            b.header("Cookie", "JSESSIONID=" + sessionId);
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        List<String> cookies = r.headers().allValues("Set-Cookie");
        for (String c : cookies) {
            Matcher m = COOKIE.matcher(c);
            if (m.find()) {
                sessionId = m.group(1);
            }
        }
        return new Reply(r.statusCode(), r.body());
    }
}
