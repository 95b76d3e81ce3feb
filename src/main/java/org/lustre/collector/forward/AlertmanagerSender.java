package org.lustre.collector.forward;

import org.lustre.collector.Threads;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Pushes alerts to one Alertmanager ({@code POST <url>/api/v2/alerts}) from its own thread. The
 * feed only {@link #offer}s into a bounded queue ({@value #QUEUE_CAPACITY} alerts) and never
 * waits: when the queue is full the alert is counted as queueFull and dropped. The sender takes
 * up to {@value #BATCH} alerts a request; on a connection error, a timeout or a 5xx it keeps the
 * batch and retries with exponential backoff ({@value #MIN_BACKOFF_MILLIS} ms doubling to
 * {@value #MAX_BACKOFF_MILLIS} ms), so an Alertmanager that is down and comes back gets what was
 * queued. A 4xx answer means the batch itself is refused: it is counted as rejected and dropped.
 * <p>Threads: offer and stats from any thread; the rest on the sender's own.
 */
final class AlertmanagerSender implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(AlertmanagerSender.class);
    static final int QUEUE_CAPACITY = 10_000;
    static final int BATCH = 500;
    static final long MIN_BACKOFF_MILLIS = 500;
    static final long MAX_BACKOFF_MILLIS = 15_000;

    private final URI endpoint;
    private final String target;
    private final HttpClient http;
    private final BlockingQueue<Alert> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong queueFull = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final OutputState state;
    private volatile int inFlight;
    private volatile boolean running = true;
    private Thread thread;

    AlertmanagerSender(URI base) {
        this.target = base.toString();
        String b = target.endsWith("/") ? target : target + "/";
        this.endpoint = URI.create(b).resolve("api/v2/alerts");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.state = new OutputState(LOG, "alertmanager " + target);
    }

    void start() {
        thread = Threads.daemon(this::run, "lustre-alertmanager");
        thread.start();
    }

    /** Never blocks. */
    void offer(Alert a) {
        if (!queue.offer(a)) {
            queueFull.incrementAndGet();
        }
    }

    /**
     * Queues an open alert sent again only to keep Alertmanager from expiring it, and only while
     * the queue is less than half full: when it is not sent, the next round sends it (every minute),
     * and nothing was lost, so nothing is counted. New alerts keep the room.
     */
    void offerRefresh(Alert a) {
        if (queue.remainingCapacity() > QUEUE_CAPACITY / 2) {
            queue.offer(a);
        }
    }

    OutputStats stats() {
        return state.stats("alertmanager", target, sent.get(), queueFull.get(), rejected.get(), queue.size() + inFlight);
    }

    private void run() {
        List<Alert> batch = new ArrayList<>(BATCH);
        long backoff = MIN_BACKOFF_MILLIS;
        while (running) {
            try {
                if (batch.isEmpty()) {
                    Alert first = queue.poll(1, TimeUnit.SECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    inFlight = batch.size();
                }
                if (send(batch)) {
                    batch.clear();
                    inFlight = 0;
                    backoff = MIN_BACKOFF_MILLIS;
                } else {
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("alertmanager {}: {}", target, e.toString());
                state.failed("internal error: " + e);
                rejected.addAndGet(batch.size());
                batch.clear();
                inFlight = 0;
            }
        }
    }

    /** True when the batch is done with (accepted, or refused for good); false to retry it. */
    private boolean send(List<Alert> batch) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(AlertJson.write(batch))).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            state.failed("cannot send: " + e);
            return false;
        }
        int status = response.statusCode();
        // state first, then the counter: a reader that sees the count sees the state that goes with it
        if (status / 100 == 2) {
            state.ok();
            sent.addAndGet(batch.size());
            return true;
        }
        String body = response.body() == null ? "" : response.body().strip();
        String why = "HTTP " + status + (body.isEmpty() ? "" : ": " + (body.length() > 200 ? body.substring(0, 200) : body));
        if (status / 100 == 4) {
            state.failed(why + " (" + batch.size() + " alerts dropped)");
            rejected.addAndGet(batch.size());
            return true;
        }
        state.failed(why);
        return false;
    }

    @Override
    public void close() {
        running = false;
        Threads.stop(thread, 2_000);
    }
}
