package org.lustre.collector.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real standalone Tomcat (a CATALINA_HOME: the Tomcat 11 distribution unpacked by the build,
 * or Debian's tomcat10) with a fresh CATALINA_BASE under target/it, configured with the files
 * that ship in tomcat/: the connectors (ports and secret swapped for the test's) and the context
 * file (WAR and config paths swapped). Started with {@code catalina.sh run} in the foreground.
 */
final class StandaloneTomcat {
    static final String SHIPPED_SECRET = "CHANGE-ME-to-a-long-random-secret";

    final Path home;
    final Path base;
    final int httpPort;
    final int ajpPort;
    final Path log;

    private StandaloneTomcat(Path home, Path base, int httpPort, int ajpPort) {
        this.home = home;
        this.base = base;
        this.httpPort = httpPort;
        this.ajpPort = ajpPort;
        this.log = base.resolve("logs/catalina.out");
    }

    /** The Tomcat 11 distribution from Maven Central, unpacked in pre-integration-test. */
    static Path tomcat11Home() {
        return Path.of(System.getProperty("tomcat11.home", "target/it-tomcat/none")).toAbsolutePath();
    }

    /** Debian's tomcat10 (10.1), from tomcat10-common (.ci/run installs it). */
    static Path debianTomcat10Home() {
        return Path.of("/usr/share/tomcat10");
    }

    /** Lays out CATALINA_BASE in {@code work} for the WAR with the collector config {@code config}. */
    static StandaloneTomcat create(Path home, Path work, Path config, String secret) throws IOException {
        int http = Processes.freePort();
        int ajp = Processes.freePort();
        Path base = work.resolve("catalina-base");
        for (String d : List.of("conf/Catalina/localhost", "logs", "temp", "webapps", "work")) {
            Files.createDirectories(base.resolve(d));
        }
        String connectors = Deployments.shipped("tomcat/server-connectors.xml");
        connectors = Deployments.replaceOnce(connectors, "port=\"8009\"", "port=\"" + ajp + "\"");
        connectors = Deployments.replaceOnce(connectors, "port=\"8080\"", "port=\"" + http + "\"");
        connectors = Deployments.replaceOnce(connectors, "secret=\"" + SHIPPED_SECRET + "\"", "secret=\"" + secret + "\"");
        Files.writeString(base.resolve("conf/server.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Written by the ITs: a minimal server.xml around the shipped tomcat/server-connectors.xml. -->
                <Server port="-1" shutdown="SHUTDOWN">
                  <Service name="Catalina">
                %s
                    <Engine name="Catalina" defaultHost="localhost">
                      <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="false"/>
                    </Engine>
                  </Service>
                </Server>
                """.formatted(connectors), StandardCharsets.UTF_8);
        // The default servlet and MIME table every Tomcat reads; the Tomcat 11 distribution's one
        // suits 10.1 too (Debian keeps its copy in /etc/tomcat10, which tomcat10-common lacks).
        Files.copy(tomcat11Home().resolve("conf/web.xml"), base.resolve("conf/web.xml"));
        String context = Deployments.shipped("tomcat/lustre-collector.xml");
        context = Deployments.replaceOnce(context, "docBase=\"/usr/share/lustre-collector/lustre-collector.war\"",
                "docBase=\"" + Artifacts.war() + "\"");
        context = Deployments.replaceOnce(context, "value=\"/etc/lustre-collector/config\"", "value=\"" + config + "\"");
        Files.writeString(base.resolve("conf/Catalina/localhost/lustre-collector.xml"), context, StandardCharsets.UTF_8);
        return new StandaloneTomcat(home, base, http, ajp);
    }

    /** Starts it (stopped by {@code processes}); returns once the HTTP connector listens. */
    Process start(Processes processes) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", home.resolve("bin/catalina.sh").toString(), "run"));
        pb.environment().put("CATALINA_HOME", home.toString());
        pb.environment().put("CATALINA_BASE", base.toString());
        pb.environment().put("CATALINA_TMPDIR", base.resolve("temp").toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("CATALINA_OPTS", "-Xmx256m");
        pb.environment().remove("JAVA_OPTS");
        Process p = processes.start(pb, log);
        Processes.await(() -> !p.isAlive() || Processes.listening("127.0.0.1", httpPort), 120, "Tomcat to listen");
        if (!p.isAlive()) {
            throw new AssertionError("Tomcat exited with " + p.exitValue() + ":\n" + Files.readString(log));
        }
        return p;
    }

    String url() {
        return "http://127.0.0.1:" + httpPort + "/lustre-collector/RPC2";
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
