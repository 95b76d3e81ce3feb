package org.lustre.collector.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.lustre.collector.config.SyslogAddress;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.Trap;

/**
 * Syslog over TCP when the receiver is not there at start: the output is built all the same (the
 * collector must start), traps sent meanwhile are counted as not sent, and once the receiver
 * listens the appender reconnects and newline-framed RFC 5424 lines arrive.
 */
class SyslogTcpTest {
    private static Trap trap(int i) {
        return new Trap(i, "id-" + i, 1_796_000_000, 1_796_000_000, Category.WARNING, "fs0", "fs0-OST0001",
                "message " + i, 1, "trapfile", List.of());
    }

    private static void await(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aReceiverThatComesLateGetsTheTrapsSentAfterIt() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        SyslogOutput out = new SyslogOutput(new SyslogAddress("tcp", "127.0.0.1", port));
        try {
            out.start();
            out.accept(trap(1));
            await(() -> out.stats().get(0).rejected() == 1, "the first trap counted as not sent");
            assertEquals("error", out.stats().get(0).state());
            try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                server.setSoTimeout(60_000);
                Thread feeder = new Thread(() -> {
                    for (int i = 2; i < 200 && !Thread.currentThread().isInterrupted(); i++) {
                        out.accept(trap(i));
                        try {
                            Thread.sleep(250);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                feeder.start();
                try (Socket s = server.accept();
                     BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                    s.setSoTimeout(60_000);
                    String line = in.readLine();
                    assertTrue(line.matches("<28>1 \\S+ \\S+ lustre-collector \\S+ trap \\[trap@32473 [^]]*\\] message \\d+"),
                            line);
                    assertTrue(in.readLine().startsWith("<28>1 "), "newline framing: the next message on its own line");
                } finally {
                    feeder.interrupt();
                    feeder.join();
                }
            }
            await(() -> out.stats().get(0).sent() >= 1, "a send counted");
        } finally {
            out.close();
        }
    }
}
