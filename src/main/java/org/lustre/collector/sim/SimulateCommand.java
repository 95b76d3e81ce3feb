package org.lustre.collector.sim;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.lustre.collector.trap.Category;

/**
 * {@code java -jar lustre-collector.jar simulate [options] DIR}: creates a simulated Lustre MDS
 * tree in DIR (missing or empty, no action given) or changes an existing one, applying the
 * actions in the order given. Created and changed again with actions in one call when DIR is
 * empty. See docs/simulator.md.
 *
 * <p>Exit codes: 0 done, 1 I/O error, 2 usage error (one line on {@code err}). Never calls
 * System.exit. Thread safety: {@link #run} keeps no state; any thread.
 */
public final class SimulateCommand {

    static final int OK = 0;
    static final int IO_ERROR = 1;
    static final int USAGE = 2;

    /** Every other option but --help is an action. */
    private static final Set<String> CREATE_OPTIONS = Set.of("filesystems", "osts", "layout", "mdts", "nul-padding");

    private SimulateCommand() {
    }

    static Options options() {
        Options o = new Options();
        o.addOption(Option.builder("F").longOpt("filesystems").hasArg().argName("F")
                .desc("file systems to create (default 2; one is named testfs, more fs00, fs01, ...)").build());
        o.addOption(Option.builder("N").longOpt("osts").hasArg().argName("N")
                .desc("OSTs in all, spread evenly over the file systems (default 16)").build());
        o.addOption(Option.builder("l").longOpt("layout").hasArg().argName("VERSION")
                .desc("Lustre file layout: 2.10, 2.12 (no target_obd to read, MDT space in osd-zfs, as the real "
                        + "LLNL 2.12.9 capture), 2.15 or 2.17 (default 2.15)").build());
        o.addOption(Option.builder().longOpt("mdts").hasArg().argName("M")
                .desc("MDTs per file system (DNE, 1-16, default 1): an OSP device per MDT for every OST and MDT")
                .build());
        o.addOption(Option.builder().longOpt("nul-padding")
                .desc("pad sysfs files with NULs to 4096 bytes, as real captures do").build());
        o.addOption(action("down", "FS:IDX", "the connection to an OST is lost (import DISCONN, kmsg line)"));
        o.addOption(action("up", "FS:IDX", "the OST is reachable again (import FULL, kmsg line)"));
        o.addOption(action("deactivate", "FS:IDX", "administrative deactivation (active 0, target_obd INACTIVE)"));
        o.addOption(action("activate", "FS:IDX", "undo --deactivate"));
        o.addOption(action("unreadable", "FS:IDX", "the OST's OSP kbytesfree fails to read (as ENOTCONN, EIO do)"));
        o.addOption(action("readable", "FS:IDX", "undo --unreadable"));
        o.addOption(action("fill", "FS:IDX:PCT", "set how full an OST is, in percent"));
        o.addOption(action("health", "TEXT", "write health_check (healthy, \"NOT HEALTHY\", LBUG)"));
        o.addOption(action("router-failure", "FS[:NET]",
                "every OST of FS behind network NET (o2ib1 when not given) disconnects in the same second"));
        o.addOption(action("router-restore", "FS[:NET]", "the OSTs behind NET reconnect"));
        o.addOption(action("trap", "CATEGORY:FS:NODE:MESSAGE", "append a line to DIR/traps.log"));
        o.addOption(action("kmsg", "MESSAGE", "append a /dev/kmsg record to DIR/kmsg"));
        o.addOption(Option.builder("h").longOpt("help").desc("print this help").build());
        return o;
    }

    private static Option action(String name, String arg, String desc) {
        return Option.builder().longOpt(name).hasArg().argName(arg).desc(desc).build();
    }

    /** Runs the command on the arguments after {@code simulate}; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cmd;
        try {
            cmd = new DefaultParser().parse(options(), args);
        } catch (ParseException e) {
            return usage(err, e.getMessage());
        }
        if (cmd.hasOption("help")) {
            printHelp(out);
            return OK;
        }
        List<String> rest = cmd.getArgList();
        if (rest.size() != 1) {
            return usage(err, rest.isEmpty() ? "missing DIR" : "one DIR expected, got " + rest.size() + ": " + rest);
        }
        try {
            return execute(cmd, Path.of(rest.get(0)), out);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (IOException e) {
            err.println("simulate: I/O error: " + e.getMessage());
            return IO_ERROR;
        }
    }

    private static int execute(CommandLine cmd, Path dir, PrintStream out) throws IOException {
        boolean hasActions = false;
        boolean hasCreateOptions = false;
        for (Option o : cmd.getOptions()) {
            hasCreateOptions |= CREATE_OPTIONS.contains(o.getLongOpt());
            hasActions |= !CREATE_OPTIONS.contains(o.getLongOpt());
        }
        SimulatedTree tree;
        if (SimulatedTree.exists(dir)) {
            if (hasCreateOptions) {
                throw new IllegalArgumentException(dir + " already holds a tree: --filesystems, --osts, --layout, "
                        + "--mdts and --nul-padding"
                        + " only apply when creating one");
            }
            tree = SimulatedTree.open(dir);
            if (!hasActions) {
                out.println(describe(tree));
                return OK;
            }
        } else {
            if (Files.exists(dir) && !TreeFiles.isEmptyDirectory(dir)) {
                throw new IllegalArgumentException(dir + " is neither empty nor a simulated tree");
            }
            int fs = intOption(cmd, "filesystems", 2);
            int osts = intOption(cmd, "osts", 16);
            String layout = cmd.getOptionValue("layout", SimulatedTree.DEFAULT_LAYOUT);
            Layout.parse(layout); // a bad layout is a usage error before anything is written
            long t0 = System.nanoTime();
            tree = SimulatedTree.create(dir, fs, osts, layout, System::currentTimeMillis,
                    new SimulatedTree.Shape(intOption(cmd, "mdts", 1), cmd.hasOption("nul-padding")));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            out.println("created " + describe(tree) + ": " + tree.filesWritten() + " files in " + ms + " ms");
        }
        for (Option o : cmd.getOptions()) {
            if (!CREATE_OPTIONS.contains(o.getLongOpt())) {
                out.println(apply(tree, o.getLongOpt(), o.getValue()));
            }
        }
        return OK;
    }

    private static String describe(SimulatedTree tree) {
        return "Lustre " + tree.layout() + " tree in " + tree.root() + " with " + tree.fileSystems().size()
                + " file system(s), " + tree.totalOsts() + " OSTs";
    }

    private static String apply(SimulatedTree tree, String action, String value) throws IOException {
        switch (action) {
            case "down", "up", "deactivate", "activate", "unreadable", "readable" -> {
                String[] p = split(action, value, 2, "FS:IDX");
                int idx = ostIndex(p[1]);
                String now = switch (action) {
                    case "down" -> tree.ostDown(p[0], idx) ? "DISCONN" : "already DISCONN";
                    case "up" -> tree.ostUp(p[0], idx) ? "FULL" : "already FULL";
                    case "deactivate" -> tree.deactivate(p[0], idx) ? "INACTIVE" : "already INACTIVE";
                    case "activate" -> tree.activate(p[0], idx) ? "ACTIVE" : "already ACTIVE";
                    case "unreadable" -> "kbytesfree " + (tree.unreadable(p[0], idx) ? "" : "already ") + action;
                    default -> "kbytesfree " + (tree.readable(p[0], idx) ? "" : "already ") + action;
                };
                return SimulatedTree.targetName(p[0], idx) + ": " + now;
            }
            case "fill" -> {
                String[] p = split(action, value, 3, "FS:IDX:PCT");
                int idx = ostIndex(p[1]);
                int pct = parseInt("--fill percent", p[2].endsWith("%") ? p[2].substring(0, p[2].length() - 1) : p[2]);
                tree.fill(p[0], idx, pct);
                return SimulatedTree.targetName(p[0], idx) + ": " + pct + "% used";
            }
            case "health" -> {
                tree.health(value);
                return "health_check: " + value.strip();
            }
            case "router-failure", "router-restore" -> {
                int colon = value.indexOf(':');
                String fs = colon < 0 ? value : value.substring(0, colon);
                String net = colon < 0 ? null : value.substring(colon + 1);
                String where = fs + (net == null ? "" : " " + net) + ": ";
                return action.equals("router-failure") ? where + tree.routerFailure(fs, net) + " OSTs DISCONN"
                        : where + tree.routerRestore(fs, net) + " OSTs FULL";
            }
            case "trap" -> {
                String[] p = value.split(":", 4);
                if (p.length != 4 || p[3].isBlank()) {
                    throw new IllegalArgumentException("--trap wants CATEGORY:FS:NODE:MESSAGE, got '" + value + "'");
                }
                tree.appendTrap(Category.parse(p[0]), p[1], p[2], p[3]);
                return "trap appended to " + tree.trapFile();
            }
            case "kmsg" -> {
                long seq = tree.nextKmsgSeq();
                tree.appendKmsg(value);
                return "kmsg record " + seq + " appended to " + tree.kmsgFile();
            }
            default -> throw new IllegalStateException("unhandled action " + action);
        }
    }

    private static String[] split(String action, String value, int parts, String form) {
        String[] p = value.split(":", -1);
        if (p.length != parts) {
            throw new IllegalArgumentException("--" + action + " wants " + form + ", got '" + value + "'");
        }
        return p;
    }

    /** An OST index: decimal ("10"), hex with 0x ("0xa") or as Lustre names it ("OST000a", "fs00-OST000a"). */
    static int ostIndex(String text) {
        String t = text.trim();
        int ost = t.toUpperCase(Locale.ROOT).lastIndexOf("OST");
        try {
            if (ost >= 0) {
                return Integer.parseInt(t.substring(ost + 3), 16);
            }
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Integer.parseInt(t.substring(2), 16);
            }
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad OST index '" + text + "' (want 10, 0xa or OST000a)", e);
        }
    }

    private static int intOption(CommandLine cmd, String name, int dflt) {
        String v = cmd.getOptionValue(name);
        return v == null ? dflt : parseInt("--" + name, v);
    }

    private static int parseInt(String what, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " wants a number, got '" + v + "'", e);
        }
    }

    private static int usage(PrintStream err, String message) {
        err.println("simulate: " + message + " (see simulate --help)");
        return USAGE;
    }

    private static void printHelp(PrintStream out) {
        PrintWriter w = new PrintWriter(out);
        new HelpFormatter().printHelp(w, 100, "java -jar lustre-collector.jar simulate [options] DIR",
                "Create a simulated Lustre MDS tree in DIR (missing or empty) or change an existing one; actions run in"
                        + " the order given. FS is a file-system name (testfs, fs00, ...), IDX an OST index (10, 0xa,"
                        + " OST000a).\n\n",
                options(), 2, 4, "\nPoint the collector at it with --lustre-root DIR --trap-file DIR/traps.log"
                        + " --kmsg DIR/kmsg.", false);
        w.flush();
    }
}
