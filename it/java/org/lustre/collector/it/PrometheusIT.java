package org.lustre.collector.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.lustre.collector.sim.SimulatedTree;

/**
 * Debian's Prometheus scraping the two collectors of an MDS pair (the executable jar, both over one
 * simulated tree) with the shipped rules, which promtool must accept: an OST taken down makes
 * LustreTargetDown and LustreFileSystemDegraded fire. The test's copy of the rules has short "for"
 * durations and the config 1 s intervals; the expressions are the shipped ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusIT {
    private final Processes processes = new Processes();
    private Path work;
    private SimulatedTree tree;
    private int promPort;

    @BeforeAll
    void start() throws Exception {
        String missing = SiteServers.missing(SiteServers.PROMETHEUS, SiteServers.PROMTOOL);
        Assumptions.assumeTrue(missing == null, missing);
        work = Artifacts.work("prometheus");
        tree = SimulatedTree.create(work.resolve("lustre"), 2, 8, "2.15");
        int mds1 = SiteServers.collector(processes, work, "mds1", tree.root());
        int mds2 = SiteServers.collector(processes, work, "mds2", tree.root());
        String rules = Deployments.shipped("conf/prometheus/lustre-collector-rules.yml")
                .replaceAll("for: \\d+m", "for: 2s");
        Path rulesFile = work.resolve("rules.yml");
        Files.writeString(rulesFile, rules, StandardCharsets.UTF_8);
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "rule_files:\n  - " + rulesFile + "\n"
                + "scrape_configs:\n  - job_name: lustre-collector\n    static_configs:\n"
                + "      - targets: ['127.0.0.1:" + mds1 + "', '127.0.0.1:" + mds2 + "']\n", StandardCharsets.UTF_8);
        promPort = Processes.freePort();
        processes.start(List.of(SiteServers.PROMETHEUS.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + Files.createDirectories(work.resolve("data")),
                "--web.listen-address=127.0.0.1:" + promPort), work.resolve("prometheus.log"), work);
        Processes.await(() -> SiteServers.tryGet("http://127.0.0.1:" + promPort + "/-/ready") != null, 60,
                "Prometheus ready");
    }

    @AfterAll
    void stop() {
        processes.close();
    }

    @Test
    void promtoolAcceptsTheShippedRules() throws Exception {
        Processes.Result r = Processes.run(List.of(SiteServers.PROMTOOL.toString(), "check", "rules",
                Artifacts.basedir().resolve("conf/prometheus/lustre-collector-rules.yml").toString()), work, 60);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("SUCCESS: 5 rules found"), r.output());
    }

    private String query(String promql) {
        return SiteServers.tryGet("http://127.0.0.1:" + promPort + "/api/v1/query?query="
                + java.net.URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    @Test
    void theShippedRuleFiresForAnOstTakenDown() throws Exception {
        Processes.await(() -> {
            String r = query("count(up{job=\"lustre-collector\"} == 1)");
            return r != null && r.contains("\"2\"]");
        }, 60, "both collectors scraped");
        Processes.await(() -> {
            String r = query("count(lustre_collector_target_up)");
            return r != null && r.contains("\"20\"]"); // 2 collectors x (2 MDTs + 8 OSTs)
        }, 60, "every target's series from both collectors");
        String fs = tree.fileSystems().get(1);
        String ost = SimulatedTree.targetName(fs, 3);
        assertTrue(tree.ostDown(fs, 3));
        String alerts = "http://127.0.0.1:" + promPort + "/api/v1/alerts";
        Processes.await(() -> {
            String a = SiteServers.tryGet(alerts);
            return a != null && a.contains("\"alertname\":\"LustreTargetDown\"") && a.contains("\"target\":\"" + ost + "\"")
                    && a.contains("\"state\":\"firing\"");
        }, 90, "LustreTargetDown firing for " + ost);
        Processes.await(() -> {
            String a = SiteServers.tryGet(alerts);
            return a != null && a.contains("\"alertname\":\"LustreFileSystemDegraded\"");
        }, 60, "LustreFileSystemDegraded for " + fs);
        String a = SiteServers.tryGet(alerts);
        assertTrue(!a.contains("LustreCollectorSourceError") && !a.contains("LustreCollectorTrapsDropped"), a);
        assertTrue(tree.ostUp(fs, 3));
    }
}
