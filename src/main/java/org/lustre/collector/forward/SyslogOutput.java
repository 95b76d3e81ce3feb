package org.lustre.collector.forward;

import org.lustre.collector.Threads;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.SyslogAppender;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.net.Facility;
import org.apache.logging.log4j.core.net.Protocol;
import org.apache.logging.log4j.core.net.ssl.SslConfiguration;
import org.apache.logging.log4j.message.StructuredDataMessage;
import org.lustre.collector.config.SyslogAddress;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.Trap;

/**
 * The {@code syslog} option: every trap as one RFC 5424 message through log4j2's own
 * SyslogAppender and Rfc5424Layout, built here rather than in log4j2.xml so the option alone
 * turns it on. The message, its severities (log4j2's mapping of the levels of {@link #level}) and
 * the framing of each protocol are the README's, section "Syslog".
 * <p>
 * A TCP or TLS write can block, so the feed only offers into a bounded queue
 * ({@value #QUEUE_CAPACITY}); a full queue counts the trap as queueFull. The appender reconnects
 * by itself; a trap whose write fails is counted as rejected (not retried: syslog keeps no order
 * with retries anyway). Feed thread for accept; stats from any thread.
 */
final class SyslogOutput implements TrapOutput {
    private static final Logger LOG = LogManager.getLogger(SyslogOutput.class);
    static final int QUEUE_CAPACITY = 10_000;
    /** RFC 5612's example enterprise number: the SD-ID is ours, not IANA's. */
    static final String ENTERPRISE_NUMBER = "32473";

    private final SyslogAddress address;
    private final SyslogAppender appender;
    private final BlockingQueue<Trap> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong queueFull = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final OutputState state;
    private volatile boolean running = true;
    private Thread thread;

    SyslogOutput(SyslogAddress address) {
        this.address = address;
        this.state = new OutputState(LOG, "syslog " + address);
        Protocol protocol = switch (address.protocol()) {
            case "udp" -> Protocol.UDP;
            case "tcp" -> Protocol.TCP;
            default -> Protocol.SSL;
        };
        SyslogAppender.Builder<?> b = SyslogAppender.newSyslogAppenderBuilder();
        b.setName("lustre-syslog");
        b.setConfiguration(new DefaultConfiguration());
        b.setHost(address.host());
        b.setPort(address.port());
        b.setProtocol(protocol);
        b.setFormat("RFC5424");
        b.setAppName("lustre-collector");
        b.setMsgId("trap");
        b.setId("trap");
        b.setEnterpriseNumber(ENTERPRISE_NUMBER);
        b.setFacility(Facility.DAEMON);
        b.setIncludeMdc(false);
        b.setNewLine(protocol == Protocol.TCP);
        b.setImmediateFail(true);
        b.setReconnectDelayMillis(5_000);
        b.setConnectTimeoutMillis(5_000);
        b.setIgnoreExceptions(false);
        if (protocol == Protocol.SSL) {
            b.setSslConfiguration(SslConfiguration.createSSLConfiguration("TLSv1.3", null, null, true));
        }
        this.appender = b.build();
        if (appender == null) {
            throw new IllegalStateException("syslog " + address + ": log4j2 could not build the appender");
        }
    }

    @Override
    public void start() {
        appender.start();
        thread = Threads.daemon(this::run, "lustre-syslog");
        thread.start();
    }

    @Override
    public void accept(Trap trap) {
        if (!queue.offer(trap)) {
            queueFull.incrementAndGet();
        }
    }

    private void run() {
        while (running) {
            Trap t;
            try {
                t = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (t == null) {
                continue;
            }
            // state first, then the counter: a reader that sees the count sees the state that goes with it
            try {
                appender.append(event(t));
                state.ok();
                sent.incrementAndGet();
            } catch (RuntimeException e) { // AppenderLoggingException: not connected, write failed
                state.failed(String.valueOf(e.getMessage()));
                failed.incrementAndGet();
            }
        }
    }

    /** The log event for one trap: level from the category, the structured data from its fields. */
    private static LogEvent event(Trap t) {
        StructuredDataMessage m = new StructuredDataMessage("trap", t.message(), "trap");
        m.put("category", t.category().label());
        m.put("fs", t.fs());
        m.put("node", t.node());
        m.put("id", t.id());
        m.put("count", Integer.toString(t.count()));
        m.put("source", t.source());
        return Log4jLogEvent.newBuilder().setLoggerName("lustre.trap").setLevel(level(t.category()))
                .setMessage(m).setTimeMillis(t.eventTime() * 1000).build();
    }

    private static Level level(Category c) {
        return switch (c) {
            case INFO -> Level.INFO;
            case WARNING -> Level.WARN;
            case CRITICAL -> Level.ERROR;
            case FATAL -> Level.FATAL;
        };
    }

    @Override
    public List<OutputStats> stats() {
        return List.of(state.stats("syslog", address.toString(), sent.get(), queueFull.get(), failed.get(),
                queue.size()));
    }

    @Override
    public void close() {
        running = false;
        Threads.stop(thread, 2_000);
        appender.stop();
    }
}
