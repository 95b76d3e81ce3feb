package org.lustre.collector.rpc;

import org.apache.xmlrpc.XmlRpcException;

/**
 * Fault codes on the wire: the XML-RPC interoperability codes for protocol errors
 * (specs.xmlrpc.com/interop, "faultCode" conventions) and ours for the domain.
 */
public final class Faults {
    public static final int PARSE_ERROR = -32700;
    public static final int UNKNOWN_METHOD = -32601;
    public static final int BAD_ARGUMENTS = -32602;
    public static final int INTERNAL = -32603;
    public static final int UNKNOWN_NODE = 2;
    public static final int UNKNOWN_FILE_SYSTEM = 3;
    public static final int NOT_READY = 4;

    private Faults() {
    }

    public static XmlRpcException badArguments(String message) {
        return new XmlRpcException(BAD_ARGUMENTS, message);
    }

    /**
     * A caller's name (of a method, node or file system) as a fault message repeats it: at most
     * 100 characters, since a request body may hold a 1 MiB one.
     */
    static String shown(String name) {
        return name.length() <= 100 ? name : name.substring(0, 100) + "...";
    }
}
