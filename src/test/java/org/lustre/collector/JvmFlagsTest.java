package org.lustre.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class JvmFlagsTest {
    @Test
    void noFlagsAndNoEnvironmentRelaunchesWithThePackagedFlags() {
        assertEquals(Optional.of(JvmFlags.PACKAGED), JvmFlags.forCollector(List.of(), Map.of()));
        assertEquals(Optional.of(JvmFlags.PACKAGED), JvmFlags.forCollector(List.of(), Map.of(JvmFlags.ENV, "  ")));
    }

    @Test
    void anyFlagOfTheAdministratorRunsInThisJvm() {
        assertEquals(Optional.empty(), JvmFlags.forCollector(List.of("-Xmx512m"), Map.of()));
        // JAVA_TOOL_OPTIONS shows among the input arguments too: a choice as well
        assertEquals(Optional.empty(), JvmFlags.forCollector(List.of("-Dfile.encoding=UTF-8"),
                Map.of(JvmFlags.ENV, "-Xmx64m")));
    }

    @Test
    void theRelaunchedAndTheDaemonChildNeverRelaunch() {
        assertEquals(Optional.empty(), JvmFlags.forCollector(List.of("-D" + JvmFlags.RELAUNCHED_PROPERTY + "=true"),
                Map.of()));
        assertEquals(Optional.empty(), JvmFlags.forCollector(List.of("-Xmx192m",
                "-D" + Daemon.CHILD_PROPERTY + "=/run/lc.pid"), Map.of()));
    }

    @Test
    void theEnvironmentGivesOwnFlagsOrOptsOut() {
        assertEquals(Optional.of(List.of("-Xmx300m", "-XX:+UseSerialGC")),
                JvmFlags.forCollector(List.of(), Map.of(JvmFlags.ENV, " -Xmx300m   -XX:+UseSerialGC ")));
        assertEquals(Optional.empty(), JvmFlags.forCollector(List.of(), Map.of(JvmFlags.ENV, "none")));
    }

    @Test
    void commandMarksTheChildAndKeepsTheArguments() {
        List<String> cmd = JvmFlags.command("/jdk/bin/java", List.of("-Xmx192m"), "/opt/lc.jar",
                new String[] {"--port", "0"});
        assertEquals(List.of("/jdk/bin/java", "-Xmx192m", "-Dlustre.collector.relaunched=true", "-cp", "/opt/lc.jar",
                "org.lustre.collector.Main", "--port", "0"), cmd);
        assertEquals(Optional.empty(), JvmFlags.forCollector(cmd.subList(1, 3), Map.of()));
    }

    @Test
    void packagedFlagsAreTheSystemdUnitsAndTheInitScripts() throws Exception {
        Matcher unit = Pattern.compile("Environment=\"JAVA_OPTS=([^\"]+)\"")
                .matcher(Files.readString(Path.of("conf/lustre-collector.service")));
        assertTrue(unit.find());
        assertEquals(JvmFlags.PACKAGED, List.of(unit.group(1).split(" ")));
        Matcher init = Pattern.compile("JAVA_OPTS=\\$\\{JAVA_OPTS:-([^}]+)}")
                .matcher(Files.readString(Path.of("conf/lustre-collector.init")));
        assertTrue(init.find());
        assertEquals(JvmFlags.PACKAGED, List.of(init.group(1).split(" ")));
    }
}
