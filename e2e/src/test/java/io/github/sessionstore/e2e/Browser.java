package io.github.sessionstore.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.sessionstore.core.testkit.WebUser.Reply;

/** One user agent: keeps its JSESSIONID across requests to any node; all agents share one HTTP/1.1 client. */
final class Browser {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Pattern COOKIE = Pattern.compile("JSESSIONID=([^;]*)");

    private String sessionId;

    String sessionId() {
        return sessionId;
    }

    void sessionId(String id) {
        this.sessionId = id;
    }

    Reply get(String url) throws IOException, InterruptedException {
        return send(request(url).GET());
    }

    Reply post(String url, Map<String, String> form) throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(request(url).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (sessionId != null) {
            b.header("Cookie", "JSESSIONID=" + sessionId);
        }
        return b;
    }

    private Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        for (String c : r.headers().allValues("Set-Cookie")) {
            Matcher m = COOKIE.matcher(c);
            if (m.find()) {
                sessionId = m.group(1);
            }
        }
        return new Reply(r.statusCode(), r.body());
    }

    /** A GET that gives up quietly: for readiness probes. */
    static int status(String url) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
            return CLIENT.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
