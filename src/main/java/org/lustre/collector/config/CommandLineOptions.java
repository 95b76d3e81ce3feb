package org.lustre.collector.config;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * The collector's command line, built from the {@link Option} table plus the few flags that are
 * commands rather than settings ({@code --demo}, {@code --help}, {@code --version}).
 */
public final class CommandLineOptions {
    public static final String DEMO = "demo";
    public static final String HELP = "help";
    public static final String VERSION = "version";

    private CommandLineOptions() {
    }

    public static Options collectorOptions() {
        Options options = new Options();
        for (Option o : Option.values()) {
            org.apache.commons.cli.Option.Builder b = org.apache.commons.cli.Option.builder(o.shortName())
                    .longOpt(o.longName())
                    .desc(o.description() + (o.defaultText().isEmpty() || o.type().isFlag() ? ""
                            : " (default " + o.defaultText() + ")"));
            if (!o.type().isFlag()) {
                b.hasArg().argName(o.type().argName());
            }
            options.addOption(b.build());
        }
        options.addOption(org.apache.commons.cli.Option.builder().longOpt(DEMO)
                .desc("run over a temporary simulated Lustre tree with live events").build());
        options.addOption(org.apache.commons.cli.Option.builder().longOpt(HELP).desc("print this help").build());
        options.addOption(org.apache.commons.cli.Option.builder().longOpt(VERSION).desc("print the version").build());
        return options;
    }

    /** Parses the collector's arguments; a usage error names the argument. */
    public static CommandLine parse(String[] args) throws ConfigException {
        try {
            CommandLine cl = new DefaultParser(false).parse(collectorOptions(), args);
            if (!cl.getArgList().isEmpty()) {
                throw new ConfigException("unexpected argument '" + cl.getArgList().get(0)
                        + "' (see --help)");
            }
            return cl;
        } catch (org.apache.commons.cli.MissingArgumentException e) {
            throw new ConfigException("option '" + e.getOption().getLongOpt() + "' (command line): needs a value"
                    + " (see --help)");
        } catch (ParseException e) {
            throw new ConfigException(e.getMessage() + " (see --help)");
        }
    }

    public static String help() {
        StringWriter sw = new StringWriter();
        PrintWriter pw = new PrintWriter(sw);
        new HelpFormatter().printHelp(pw, 100,
                "java -jar lustre-collector.jar [options]\n"
                        + "       java -jar lustre-collector.jar monitor [options] URL...\n"
                        + "       java -jar lustre-collector.jar simulate [options] DIR",
                "\nWatches a Lustre MDS and serves traps and node state over XML-RPC at /RPC2.\n"
                        + "Options also come from the [collector] section of -f FILE or ~/.lustre-collector/config,\n"
                        + "then /etc/lustre-collector/config (long names as keys).\n\n",
                collectorOptions(), 2, 2,
                "\nStarted with no JVM flag, the collector runs in a second JVM with the packaged flags\n"
                        + "(-Xmx192m -XX:+UseSerialGC ...); LUSTRE_COLLECTOR_JAVA_OPTS=\"...\" gives others, =none runs\n"
                        + "in this JVM as it is (so does any JVM flag given to java).\n"
                        + "'monitor --help' and 'simulate --help' describe the tools.", false);
        pw.flush();
        return sw.toString();
    }
}
