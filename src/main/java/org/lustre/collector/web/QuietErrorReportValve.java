package org.lustre.collector.web;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's error pages without what they tell an attacker: no exception (its class, message and
 * stack trace: Tomcat attaches the parse failure of a bad request line, header or chunk to its
 * 400 page), and no server version. The status line and the message a servlet gave with
 * {@code sendError} stay ("XML-RPC takes POST only"). For the embedded server; a standalone Tomcat
 * gets the same effect, without the servlet's message, from ErrorReportValve's showReport="false"
 * showServerInfo="false" (tomcat/server-connectors.xml). Thread-safe, like its superclass.
 */
public final class QuietErrorReportValve extends ErrorReportValve {
    /** Public: the Host creates it by name (errorReportValveClass). */
    public QuietErrorReportValve() {
        setShowServerInfo(false);
        setShowReport(true);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        super.report(request, response, null);
    }
}
