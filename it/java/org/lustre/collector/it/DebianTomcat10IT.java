package org.lustre.collector.it;

import java.nio.file.Path;

/** The WAR in Debian's Tomcat 10.1 (package tomcat10-common: the server without a system service). */
class DebianTomcat10IT extends StandaloneTomcatChecks {
    @Override
    Path home() {
        return StandaloneTomcat.debianTomcat10Home();
    }

    @Override
    String name() {
        return "debian-tomcat10";
    }
}
