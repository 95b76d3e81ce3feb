package org.lustre.collector;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.commons.cli.CommandLine;
import org.lustre.collector.config.CollectorConfig;
import org.lustre.collector.config.CommandLineOptions;
import org.lustre.collector.config.ConfigException;
import org.lustre.collector.config.ConfigLoader;

/**
 * {@code java -jar lustre-collector.jar}: the collector itself, or the {@code monitor} and
 * {@code simulate} tools. Exit codes: 0 done, 1 failed while running (e.g. port in use),
 * 2 bad configuration or usage.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Before anything touches java.util.logging: Tomcat's log lines go through log4j2 too.
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
            // Lets Tomcat set JUL levels without log4j-jul warning that it cannot.
            System.setProperty("log4j2.julLoggerAdapter", "org.apache.logging.log4j.jul.CoreLoggerAdapter");
        }
        System.exit(run(args, System.out, System.err, Relaunch::flags));
    }

    /**
     * @param relaunchFlags the flags to run the collector with in a second JVM, or empty to run it
     *                      in this one (see {@link JvmFlags}); asked only once the options are valid
     */
    static int run(String[] args, PrintStream out, PrintStream err, Supplier<Optional<List<String>>> relaunchFlags) {
        if (args.length > 0 && args[0].equals("monitor")) {
            return org.lustre.collector.monitor.MonitorCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("simulate")) {
            return org.lustre.collector.sim.SimulateCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        CommandLine cli;
        CollectorConfig config;
        try {
            cli = CommandLineOptions.parse(args);
            if (cli.hasOption(CommandLineOptions.HELP)) {
                out.print(CommandLineOptions.help());
                return 0;
            }
            if (cli.hasOption(CommandLineOptions.VERSION)) {
                out.println("lustre-collector " + Version.get());
                return 0;
            }
            config = ConfigLoader.load(cli, Path.of(System.getProperty("user.home")), ConfigLoader.SYSTEM_FILE);
        } catch (ConfigException e) {
            err.println("lustre-collector: " + e.getMessage());
            return 2;
        }
        boolean demo = cli.hasOption(CommandLineOptions.DEMO);
        // The demo reads only its own temporary tree, so it may run as root (a fresh CI machine is).
        if (isRoot() && !config.allowRoot() && !demo) {
            err.println("lustre-collector: refusing to run as root (run as a dedicated user, or pass --allow-root)");
            return 2;
        }
        if (config.daemon() && !Daemon.isChild()) {
            return Daemon.launch(args, config, out, err);
        }
        if (!Daemon.isChild()) {
            Optional<List<String>> flags = relaunchFlags.get();
            if (flags.isPresent()) {
                return Relaunch.run(flags.get(), args, err);
            }
        }
        return CollectorRunner.run(config, demo, err);
    }

    /** Whether this process runs as root (uid 0), read from the JDK's Unix login module. */
    private static boolean isRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (RuntimeException | LinkageError e) {
            // Not a Unix JVM: the name is the best we have.
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
