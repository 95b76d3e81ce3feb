package org.lustre.collector.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The README's first command: the demo serves live traps that a client sees through getTraps. */
class DemoIT {
    private static final Pattern TIMESTAMP = Pattern.compile("</array></value><value><i4>(\\d+)</i4></value></data>");
    private static final Pattern ROW = Pattern.compile("<value><array><data><value>");
    private final Processes processes = new Processes();

    @AfterEach
    void stopAll() {
        processes.close();
    }

    private static String getTraps(HttpClient http, String url, long since) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(
                "<?xml version=\"1.0\"?><methodCall><methodName>getTraps</methodName><params><param><value><int>"
                        + since + "</int></value></param></params></methodCall>")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void demoShowsNewEventsThroughGetTraps() throws Exception {
        Path dir = Artifacts.work("demo");
        int port = Processes.freePort();
        processes.start(List.of(Artifacts.java(), "-jar", Artifacts.jar().toString(), "--demo", "--port",
                String.valueOf(port), "--host", "127.0.0.1"), dir.resolve("demo.log"), dir);
        Processes.await(() -> Processes.listening("127.0.0.1", port), 60, "the demo to listen");
        String url = "http://127.0.0.1:" + port + "/RPC2";
        HttpClient http = HttpClient.newHttpClient();
        Matcher m = TIMESTAMP.matcher(getTraps(http, url, 0));
        assertTrue(m.find(), "getTraps answers [traps, timestamp]");
        long since = Long.parseLong(m.group(1));
        long start = System.currentTimeMillis();
        int newTraps = 0;
        // The demo makes an event at once and every 2 s; the default interval is 5 s. Allow two intervals.
        while (newTraps == 0 && System.currentTimeMillis() - start < 10_000) {
            Thread.sleep(250);
            String answer = getTraps(http, url, since);
            Matcher t = TIMESTAMP.matcher(answer);
            assertTrue(t.find(), answer);
            since = Long.parseLong(t.group(1));
            Matcher rows = ROW.matcher(answer.substring(answer.indexOf("<array><data>") + 13));
            while (rows.find()) {
                newTraps++;
            }
        }
        System.out.printf("demo: first new trap through getTraps after %d ms%n", System.currentTimeMillis() - start);
        assertTrue(newTraps > 0, "a new trap within two intervals of the demo");
    }
}
