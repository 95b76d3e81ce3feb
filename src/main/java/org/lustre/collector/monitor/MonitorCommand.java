package org.lustre.collector.monitor;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLContext;

import org.apache.commons.cli.ParseException;
import org.lustre.collector.trap.Category;

/**
 * The {@code monitor} subcommand of the executable jar: follows traps ({@code monitor URL...}),
 * prints file-system state ({@code monitor status}) or runs as a Nagios plugin
 * ({@code monitor check}). See {@code --help} and docs/monitor.md. Called on the main thread;
 * never calls System.exit.
 */
public final class MonitorCommand {
    static final int REMEMBER_IDS = 100_000;
    private static final int MAX_LISTED = 20;

    private MonitorCommand() {
    }

    /**
     * Runs the monitor.
     *
     * @param args the arguments after the word {@code monitor}
     * @return the exit code (see --help)
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, Env.system());
    }

    static int run(String[] args, PrintStream out, PrintStream err, Env env) {
        boolean check = args.length > 0 && List.of(args).contains("check");
        MonitorOptions o;
        try {
            o = MonitorOptions.parse(args, env.clockMillis().getAsLong(), env.zone(), env.getenv());
        } catch (ParseException e) {
            err.println("monitor: " + e.getMessage());
            return check ? ExitCodes.NAGIOS_UNKNOWN : ExitCodes.USAGE;
        }
        if (o.help) {
            out.print(MonitorOptions.help());
            out.flush();
            return ExitCodes.OK;
        }
        check = o.mode == MonitorOptions.Mode.CHECK;
        SSLContext ssl = null;
        if (o.cacert != null) {
            try {
                ssl = HttpSession.trustingPem(o.cacert);
            } catch (IOException | GeneralSecurityException e) {
                err.println("monitor: --cacert " + o.cacert + ": cannot use it (" + e.getMessage() + ")");
                return check ? ExitCodes.NAGIOS_UNKNOWN : ExitCodes.USAGE;
            }
        }
        try (HttpSession session = new HttpSession(o.connectTimeout, o.readTimeout, ssl, o.urls.size())) {
            List<CollectorClient> clients = new ArrayList<>();
            List<String> names = names(o);
            for (int i = 0; i < o.urls.size(); i++) {
                clients.add(new CollectorClient(names.get(i), o.urls.get(i), session, o.maxAnswerBytes, o.user,
                        o.password));
            }
            return switch (o.mode) {
                case FOLLOW -> follow(o, clients, out, err, env);
                case STATUS -> status(o, clients, out, err, env);
                case CHECK -> check(o, clients, out, env);
            };
        } catch (IOException e) {
            err.println("monitor: closing the HTTP client failed: " + e.getMessage());
            return check ? ExitCodes.NAGIOS_UNKNOWN : ExitCodes.INTERNAL;
        } catch (RuntimeException e) {
            err.println("monitor: internal error: " + e);
            return check ? ExitCodes.NAGIOS_UNKNOWN : ExitCodes.INTERNAL;
        }
    }

    /**
     * Short collector names for messages: each URL's host, or its host:port where hosts clash, or
     * the whole URL where those clash too (several collectors behind one proxy).
     */
    static List<String> names(MonitorOptions o) {
        List<String> names = new ArrayList<>();
        for (URL u : o.urls) {
            if (o.urls.stream().filter(v -> v.getHost().equals(u.getHost())).count() == 1) {
                names.add(u.getHost());
            } else if (o.urls.stream().filter(v -> hostPort(v).equals(hostPort(u))).count() == 1) {
                names.add(hostPort(u));
            } else {
                names.add(u.toString());
            }
        }
        return names;
    }

    private static String hostPort(URL u) {
        return u.getHost() + ":" + (u.getPort() < 0 ? u.getDefaultPort() : u.getPort());
    }

    private static int follow(MonitorOptions o, List<CollectorClient> clients, PrintStream out, PrintStream err,
                              Env env) {
        boolean several = clients.size() > 1;
        long interval = o.interval.toMillis();
        TrapPrinter printer = new TrapPrinter(out, o.json, env.console() && !o.noColor, env.zone(), several);
        try (TrapFollower follower = new TrapFollower(clients, env.clockMillis(),
                new TrapFollower.Settings(o.limit, o.sinceSeconds, o.minCategory, REMEMBER_IDS, interval, 0))) {
            while (true) {
                long began = env.clockMillis().getAsLong();
                // --once: every collector answers or fails once; a slow one's traps follow the other's.
                for (TrapFollower.Round round = follower.poll(); ; round = follower.collectPending(interval)) {
                    print(round, printer, out, err, clients.size(), o.readTimeout.toMillis());
                    if (!several && round.lastError() != null) {
                        return fail(err, clients.get(0), round.lastError());
                    }
                    if (!follower.anyUp()) {
                        CollectorException e = round.lastError();
                        err.println("monitor: no collector answers" + (e == null ? "" : "; last error: " + e.getMessage()));
                        return e == null ? CollectorException.Kind.UNREACHABLE.exitCode() : e.kind().exitCode();
                    }
                    if (!o.once || !follower.pending()) {
                        break;
                    }
                }
                if (o.once) {
                    return ExitCodes.OK;
                }
                // The time poll() waited for a slow collector counts toward the interval: the other's
                // traps keep their pace.
                long waited = Math.max(0, env.clockMillis().getAsLong() - began);
                if (!env.sleeper().test(Math.max(0, interval - waited))) {
                    return ExitCodes.OK;
                }
            }
        }
    }

    private static void print(TrapFollower.Round round, TrapPrinter printer, PrintStream out, PrintStream err,
                              int collectors, long readTimeoutMillis) {
        boolean several = collectors > 1;
        String others = collectors == 2 ? "the other" : "the others";
        for (TrapFollower.StateChange c : round.changes()) {
            if (c.up()) {
                err.println("monitor: " + c.source() + (c.restarted()
                        ? ": the collector restarted; catching up without repeating traps"
                        : ": answering again; resuming where it stopped"));
            } else if (several && c.slow()) {
                err.println("monitor: " + c.source() + ": no answer within " + seconds(c.retryMillis())
                        + "; going on with " + others + ", waiting for it up to the read timeout ("
                        + seconds(readTimeoutMillis) + ")");
            } else if (several) {
                err.println("monitor: " + c.source() + ": " + c.error().getMessage() + "; retrying in "
                        + seconds(c.retryMillis()));
            }
        }
        for (TrapFollower.Gap g : round.gaps()) {
            printer.gap(g);
        }
        for (TrapFollower.Delivered d : round.traps()) {
            printer.trap(d);
        }
        out.flush();
    }

    private static int status(MonitorOptions o, List<CollectorClient> clients, PrintStream out, PrintStream err,
                              Env env) {
        FileSystemSurvey survey = new FileSystemSurvey(clients);
        TrapPrinter clock = new TrapPrinter(out, false, false, env.zone(), false);
        int lastFailure = ExitCodes.OK;
        for (FileSystemSurvey.Answer a : survey.answers) {
            if (a.failure() != null) {
                lastFailure = fail(err, a.client(), a.failure());
            }
        }
        if (survey.answering().isEmpty()) {
            return lastFailure;
        }
        for (FileSystemSurvey.Answer a : survey.answers) {
            StringBuilder b = new StringBuilder("Collector ").append(a.client().name())
                    .append(" (").append(a.client().url()).append("): ");
            if (a.failure() != null) {
                b.append("NOT ANSWERING");
            } else if (a.info() == null) {
                b.append("answering");
            } else {
                CollectorInfo i = a.info();
                b.append("version ").append(i.version().isEmpty() ? "?" : i.version());
                if (i.started() > 0) {
                    b.append(", up since ").append(clock.iso(i.started()));
                }
                b.append(String.format(Locale.ROOT, ", %,d traps received, %,d stored, %,d dropped",
                        i.trapsReceived(), i.trapsStored(), i.trapsDropped()));
                for (CollectorInfo.SourceInfo s : i.sources()) {
                    if (!"ok".equalsIgnoreCase(s.state())) {
                        b.append("; source ").append(s.name()).append(' ').append(s.state())
                                .append(s.message().isEmpty() ? "" : ": " + s.message());
                    }
                }
            }
            out.println(b);
        }
        out.println();
        if (survey.fileSystems.isEmpty()) {
            out.println("No file systems.");
        }
        for (FileSystemInfo fs : survey.fileSystems.values()) {
            StringBuilder b = new StringBuilder(fs.name()).append(": ")
                    .append(String.format(Locale.ROOT, "%,d targets, ", fs.nodes()));
            List<String> down = fs.notResponding();
            b.append(down.isEmpty() ? "all responding" : down.size() + " not responding");
            if (fs.kbytesTotal() > 0) {
                long used = fs.kbytesTotal() - fs.kbytesFree();
                b.append(String.format(Locale.ROOT, ", %.1f%% used (%s of %s, %s free)",
                        100.0 * used / fs.kbytesTotal(), kib(used), kib(fs.kbytesTotal()), kib(fs.kbytesFree())));
            } else {
                b.append(", space unknown");
            }
            out.println(b);
            int shown = 0;
            for (String node : down) {
                if (shown++ == MAX_LISTED) {
                    break;
                }
                out.println("    " + node);
            }
            if (down.size() > MAX_LISTED) {
                out.println(String.format(Locale.ROOT, "    ... and %,d more", down.size() - MAX_LISTED));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static int check(MonitorOptions o, List<CollectorClient> clients, PrintStream out, Env env) {
        FileSystemSurvey survey = new FileSystemSurvey(clients);
        List<CollectorClient> ok = survey.answering();
        List<String> failures = new ArrayList<>(survey.answers.stream().filter(a -> a.failure() != null)
                .map(a -> a.client().name() + ": " + a.failure().getMessage()).toList());
        int trapsCritical = 0;
        if (!ok.isEmpty()) {
            long wait = o.interval.toMillis();
            try (TrapFollower follower = new TrapFollower(ok, env.clockMillis(),
                    new TrapFollower.Settings(o.limit, o.sinceSeconds, o.criticalCategory, REMEMBER_IDS, wait, wait))) {
                // Every collector's answer or failure: a slow one is waited for (up to its read timeout).
                int answered = 0;
                for (TrapFollower.Round round = follower.poll(); ; round = follower.collectPending(wait)) {
                    trapsCritical += round.traps().size();
                    answered += round.answered();
                    for (TrapFollower.StateChange c : round.changes()) {
                        if (!c.up() && !c.slow()) {
                            failures.add(c.source() + ": " + c.error().getMessage());
                        }
                    }
                    if (!follower.pending()) {
                        break;
                    }
                }
                if (answered == 0) {
                    ok = List.of();
                }
            }
        }
        if (ok.isEmpty()) {
            out.println("LUSTRE UNKNOWN - no collector answered: " + String.join("; ", failures));
            out.flush();
            return ExitCodes.NAGIOS_UNKNOWN;
        }
        int down = survey.notRespondingTotal();
        boolean critical = (o.criticalNotResponding > 0 && down >= o.criticalNotResponding)
                || (o.criticalTraps > 0 && trapsCritical >= o.criticalTraps);
        boolean warning = (o.warningNotResponding > 0 && down >= o.warningNotResponding) || !failures.isEmpty();
        List<String> parts = new ArrayList<>();
        if (down > 0) {
            List<String> where = survey.fileSystems.values().stream().filter(fs -> !fs.notResponding().isEmpty())
                    .map(FileSystemInfo::name).toList();
            parts.add(down + (down == 1 ? " target" : " targets") + " not responding in " + String.join(", ", where));
        }
        if (trapsCritical > 0) {
            parts.add(trapsCritical + " " + TrapPrinter.label(o.criticalCategory)
                    + (o.criticalCategory < Category.FATAL.code() ? " or worse" : "") + " traps since " + o.sinceText);
        }
        parts.addAll(failures);
        if (parts.isEmpty()) {
            parts.add(String.format(Locale.ROOT, "%d file systems, %,d targets, all responding",
                    survey.fileSystems.size(), survey.nodesTotal()));
        }
        String state = critical ? "CRITICAL" : warning ? "WARNING" : "OK";
        out.println("LUSTRE " + state + " - " + String.join("; ", parts).replace('|', '/')
                + " | notresponding=" + down + ";" + threshold(o.warningNotResponding) + ";"
                + threshold(o.criticalNotResponding) + " traps_critical=" + trapsCritical + ";;"
                + threshold(o.criticalTraps));
        out.flush();
        return critical ? ExitCodes.NAGIOS_CRITICAL : warning ? ExitCodes.NAGIOS_WARNING : ExitCodes.NAGIOS_OK;
    }

    private static String threshold(int t) {
        return t > 0 ? Integer.toString(t) : "";
    }

    private static int fail(PrintStream err, CollectorClient c, CollectorException e) {
        err.println("monitor: " + c.name() + " (" + c.url() + "): " + e.getMessage());
        err.flush();
        return e.kind().exitCode();
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** Kibibytes as a short human size: "12.3 TiB". */
    static String kib(long kbytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = kbytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }
}
