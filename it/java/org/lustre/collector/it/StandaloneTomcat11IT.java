package org.lustre.collector.it;

import java.nio.file.Path;

/** The WAR in the Tomcat 11 distribution from Maven Central (unpacked by the build). */
class StandaloneTomcat11IT extends StandaloneTomcatChecks {
    @Override
    Path home() {
        return StandaloneTomcat.tomcat11Home();
    }

    @Override
    String name() {
        return "tomcat11";
    }
}
