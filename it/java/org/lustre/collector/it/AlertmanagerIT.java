package org.lustre.collector.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.lustre.collector.sim.SimulatedTree;

/**
 * Debian's Alertmanager and the two collectors of an MDS pair (the executable jar, both over one
 * simulated tree, both pushing to it): an OST that goes down is one alert in Alertmanager's API,
 * not two, and it is resolved when the OST comes back; an Alertmanager that is down when the trap
 * comes, then up, gets what the collectors queued.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertmanagerIT {
    private final Processes processes = new Processes();
    private Path work;
    private SimulatedTree tree;
    private int amPort;
    private Process alertmanager;
    private final List<Integer> collectors = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        String missing = SiteServers.missing(SiteServers.ALERTMANAGER);
        Assumptions.assumeTrue(missing == null, missing);
        work = Artifacts.work("alertmanager");
        tree = SimulatedTree.create(work.resolve("lustre"), 1, 4, "2.15");
        amPort = Processes.freePort();
        alertmanager = SiteServers.alertmanager(processes, work, amPort);
        String option = "alertmanager = http://127.0.0.1:" + amPort;
        collectors.add(SiteServers.collector(processes, work, "mds1", tree.root(), option));
        collectors.add(SiteServers.collector(processes, work, "mds2", tree.root(), option));
        for (int port : collectors) {
            Processes.await(() -> metric(port, "lustre_collector_ready") == 1, 60, "collector " + port + " ready");
        }
    }

    @AfterAll
    void stop() {
        processes.close();
    }

    private String alertsApi() {
        return SiteServers.tryGet("http://127.0.0.1:" + amPort + "/api/v2/alerts?active=true&silenced=true&inhibited=true");
    }

    /** The active alerts whose node label is {@code node}: their ids. */
    private List<String> alertIds(String node) {
        String json = alertsApi();
        List<String> ids = new ArrayList<>();
        if (json == null) {
            return ids;
        }
        try (JsonParser p = new JsonFactory().createParser(json)) {
            // [{..., "labels": {"alertname":..,"id":..,"node":..}, ...}]
            String id = null;
            String nodeLabel = null;
            int depth = 0;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.START_OBJECT) {
                    depth++;
                } else if (t == JsonToken.END_OBJECT) {
                    depth--;
                    if (depth == 0) {
                        if (node.equals(nodeLabel)) {
                            ids.add(id);
                        }
                        id = null;
                        nodeLabel = null;
                    }
                } else if (t == JsonToken.FIELD_NAME && depth == 2 && "labels".equals(p.currentName())) {
                    // labels object follows
                } else if (t == JsonToken.VALUE_STRING && depth == 2 && "id".equals(p.currentName())) {
                    id = p.getText();
                } else if (t == JsonToken.VALUE_STRING && depth == 2 && "node".equals(p.currentName())) {
                    nodeLabel = p.getText();
                }
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("Alertmanager answered no JSON: " + json, e);
        }
        return ids;
    }

    /** Sum of a metric's series on one collector, -1 when absent or unreachable. */
    static double metric(int port, String name) {
        String body = SiteServers.tryGet("http://127.0.0.1:" + port + "/metrics");
        if (body == null) {
            return -1;
        }
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$").matcher(body);
        double sum = 0;
        boolean any = false;
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
            any = true;
        }
        return any ? sum : -1;
    }

    @Test
    void bothCollectorsPushOneAlertAndItIsResolvedWhenTheOstIsBack() throws Exception {
        String fs = tree.fileSystems().get(0);
        String ost = SimulatedTree.targetName(fs, 1);
        assertTrue(tree.ostDown(fs, 1));
        Processes.await(() -> alertIds(ost).size() == 1, 60, "the alert for " + ost + " in Alertmanager");
        for (int port : collectors) {
            Processes.await(() -> metric(port, "lustre_collector_output_sent_total") >= 1, 30,
                    "collector " + port + " to have pushed it");
        }
        // both pushed, Alertmanager holds one: the label sets were equal
        assertEquals(1, alertIds(ost).size(), alertsApi());
        assertTrue(alertIds(ost).get(0).startsWith("scan:" + ost + ":DISCONN:"), alertsApi());

        assertTrue(tree.ostUp(fs, 1));
        Processes.await(() -> alertIds(ost).isEmpty(), 60, "the alert for " + ost + " resolved");
    }

    @Test
    void anAlertmanagerDownThenUpGetsWhatWasQueued() throws Exception {
        String fs = tree.fileSystems().get(0);
        String ost = SimulatedTree.targetName(fs, 2);
        alertmanager.destroy();
        assertTrue(alertmanager.waitFor(20, TimeUnit.SECONDS), "Alertmanager stopped");
        assertTrue(tree.ostDown(fs, 2));
        for (int port : collectors) {
            Processes.await(() -> metric(port, "lustre_collector_output_up") == 0, 60,
                    "collector " + port + " to fail sending");
        }
        alertmanager = SiteServers.alertmanager(processes, work, amPort);
        Processes.await(() -> alertIds(ost).size() == 1, 90, "the queued alert for " + ost + " delivered");
        for (int port : collectors) {
            Processes.await(() -> metric(port, "lustre_collector_output_up") == 1, 60, "collector " + port + " ok again");
            assertEquals(0, metric(port, "lustre_collector_output_unsent_total"));
        }
        tree.ostUp(fs, 2);
    }
}
