package org.lustre.collector.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * target/lustre-collector.war deployed into a real standalone Tomcat the way tomcat/ says:
 * shipped context file and connectors, config from the context parameter lustre.collector.config.
 * One subclass per Tomcat (the Tomcat 11 distribution, Debian's tomcat10).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StandaloneTomcatChecks {
    private final Processes processes = new Processes();
    private StandaloneTomcat tomcat;

    /** CATALINA_HOME of the Tomcat under test. */
    abstract Path home();

    abstract String name();

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(home().resolve("bin/catalina.sh")),
                name() + " is not installed at " + home() + " (.ci/run installs it)");
        Path work = Artifacts.work(name());
        Path tree = Deployments.lustreTree(work.resolve("lustre"));
        // Only 127.0.0.1 may ask over HTTP; 127.0.0.2 plays a host outside the allow list.
        Path config = Deployments.collectorConfig(work.resolve("collector.ini"), tree, "127.0.0.1/32");
        tomcat = StandaloneTomcat.create(home(), work, config, "it-secret-" + System.nanoTime());
        tomcat.start(processes);
        Deployments.awaitReady(Deployments.client(tomcat.url(), null, null));
    }

    @AfterAll
    void stop() {
        processes.close();
    }

    @Test
    void theWarAnswersEveryMethod() throws Exception {
        Deployments.callEveryMethod(Deployments.client(tomcat.url(), null, null));
    }

    @Test
    void configCameFromTheContextParameter() {
        String log = tomcat.logText();
        assertTrue(log.contains("configuration from " + tomcat.base.getParent().resolve("collector.ini")), log);
        assertFalse(log.contains("SEVERE"), log);
    }

    @Test
    void httpConnectorAnswersAnAllowedPeerAndRefusesOthersWith403() throws Exception {
        Deployments.HttpAnswer ok = Deployments.postFrom("127.0.0.1", tomcat.httpPort, "/lustre-collector/RPC2", null);
        assertEquals(200, ok.status(), ok.headers());
        assertTrue(ok.body().contains(Deployments.TRAP_FS), ok.body());
        Deployments.HttpAnswer refused = Deployments.postFrom("127.0.0.2", tomcat.httpPort,
                "/lustre-collector/RPC2", null);
        assertEquals(403, refused.status(), refused.headers());
        assertFalse(refused.body().contains(Deployments.TRAP_FS), refused.body());
        Processes.await(() -> tomcat.logText().contains("refused POST /lustre-collector/RPC2 from 127.0.0.2"), 10,
                "the refusal in the log");
    }

    @Test
    void connectorsListenOnLoopbackOnly() throws Exception {
        // The shipped connectors bind 127.0.0.1: another local address finds nothing there.
        assertFalse(Processes.listening("127.0.0.2", tomcat.httpPort), "HTTP on 127.0.0.2");
        assertFalse(Processes.listening("127.0.0.2", tomcat.ajpPort), "AJP on 127.0.0.2");
        assertTrue(Processes.listening("127.0.0.1", tomcat.ajpPort), "AJP on 127.0.0.1");
    }
}
