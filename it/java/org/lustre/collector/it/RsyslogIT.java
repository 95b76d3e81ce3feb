package org.lustre.collector.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.lustre.collector.sim.SimulatedTree;

/**
 * Debian's rsyslogd (foreground, its own config and work directory, UDP and TCP inputs on loopback)
 * receiving the traps of two collectors, one forwarding over UDP and one over TCP: each trap
 * arrives as RFC 5424 with its structured data, written by rsyslog in the RFC 5424 template.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RsyslogIT {
    private final Processes processes = new Processes();
    private Path work;
    private Path received;
    private SimulatedTree tree;

    @BeforeAll
    void start() throws Exception {
        String missing = SiteServers.missing(SiteServers.RSYSLOGD);
        Assumptions.assumeTrue(missing == null, missing);
        work = Artifacts.work("rsyslog");
        tree = SimulatedTree.create(work.resolve("lustre"), 1, 4, "2.15");
        int udp = Processes.freePort();
        int tcp = Processes.freePort();
        received = work.resolve("received.log");
        Path spool = Files.createDirectories(work.resolve("spool"));
        Path config = work.resolve("rsyslog.conf");
        Files.writeString(config, "global(workDirectory=\"" + spool + "\")\n"
                + "module(load=\"imudp\")\ninput(type=\"imudp\" address=\"127.0.0.1\" port=\"" + udp + "\")\n"
                + "module(load=\"imtcp\")\ninput(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + tcp + "\")\n"
                + "action(type=\"omfile\" file=\"" + received + "\" template=\"RSYSLOG_SyslogProtocol23Format\")\n",
                StandardCharsets.UTF_8);
        processes.start(List.of(SiteServers.RSYSLOGD.toString(), "-n", "-f", config.toString(),
                "-i", work.resolve("rsyslogd.pid").toString()), work.resolve("rsyslogd.log"), work);
        Processes.await(() -> Processes.listening("127.0.0.1", tcp), 30, "rsyslogd's TCP input");
        SiteServers.collector(processes, work, "udp", tree.root(), "syslog = udp://127.0.0.1:" + udp);
        SiteServers.collector(processes, work, "tcp", tree.root(), "syslog = tcp://127.0.0.1:" + tcp);
    }

    @AfterAll
    void stop() {
        processes.close();
    }

    @Test
    void trapsArriveAsRfc5424WithTheirStructuredData() throws Exception {
        String fs = tree.fileSystems().get(0);
        String ost = SimulatedTree.targetName(fs, 2);
        // 3 = err (Critical), facility daemon (3): PRI 27; version 1; APP-NAME lustre-collector; MSGID trap
        Pattern line = Pattern.compile("(?m)^<27>1 \\S+ \\S+ lustre-collector \\S+ trap \\[trap@32473 [^\\]]*"
                + "node=\"" + Pattern.quote(ost) + "\"[^\\]]*\\] .*" + Pattern.quote(ost) + " not responding.*$");
        assertTrue(tree.ostDown(fs, 2));
        Processes.await(() -> {
            try {
                return Files.exists(received) && line.matcher(Files.readString(received)).results().count() >= 2;
            } catch (java.io.IOException e) {
                return false;
            }
        }, 60, "both collectors' trap in rsyslog's file");
        String text = Files.readString(received);
        for (String p : new String[] {"category=\"Critical\"", "fs=\"" + fs + "\"", "id=\"scan:" + ost + ":DISCONN:",
                "count=\"1\"", "source=\"scan\""}) {
            assertTrue(text.contains(p), p + " in " + text);
        }
        tree.ostUp(fs, 2);
    }
}
