package org.lustre.collector.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * The API baseline, run as a child JVM with the collector's flags: the same embedded Tomcat and
 * connector settings as {@code EmbeddedServer} (HTTP/1.1, unlimited keep-alive requests, no
 * X-Powered-By), serving for each path a fixed answer read from a file (a recorded collector
 * answer, so the byte count is the same). Like the collector's servlet it takes POST, reads the
 * body and sends the answer with a Content-Length.
 * <p>Usage: {@code StaticServer PORT /path=FILE...}
 */
public final class StaticServer {
    private StaticServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Map<String, byte[]> answers = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            answers.put(args[i].substring(0, eq), Files.readAllBytes(Path.of(args[i].substring(eq + 1))));
        }
        Path base = Files.createTempDirectory("bench-static-");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.getServer().setPort(-1);
        Connector http = new Connector("HTTP/1.1");
        http.setPort(port);
        http.setProperty("address", "localhost");
        http.setProperty("maxKeepAliveRequests", "-1");
        http.setProperty("maxThreads", "8"); // as the collector's connector (EmbeddedServer.MAX_REQUEST_THREADS)
        http.setProperty("server", "lustre-collector");
        http.setXpoweredBy(false);
        tomcat.getService().addConnector(http);
        tomcat.setConnector(http);
        Context ctx = tomcat.addContext("", base.toString());
        Tomcat.addServlet(ctx, "static", new Answers(answers));
        ctx.addServletMappingDecoded("/*", "static");
        tomcat.start();
        System.out.println("static server on port " + http.getLocalPort() + ": " + answers.keySet());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (Exception e) {
                // stopping anyway
            }
        }));
        tomcat.getServer().await();
    }

    private static final class Answers extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient Map<String, byte[]> answers;

        Answers(Map<String, byte[]> answers) {
            this.answers = answers;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            byte[] answer = answers.get(req.getRequestURI());
            if (answer == null || !"POST".equals(req.getMethod())) {
                resp.sendError(404);
                return;
            }
            byte[] buf = new byte[8192];
            try (InputStream in = req.getInputStream()) {
                while (in.read(buf) > 0) {
                    // the body is read and dropped, as the collector reads it
                }
            }
            resp.setStatus(200);
            resp.setContentType("text/xml");
            resp.setCharacterEncoding("UTF-8");
            resp.setContentLength(answer.length);
            try (OutputStream out = resp.getOutputStream()) {
                out.write(answer);
            }
        }
    }
}
