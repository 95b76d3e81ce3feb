package org.lustre.collector.rpc;

import java.util.ArrayList;
import java.util.List;

import org.apache.xmlrpc.XmlRpcException;

/**
 * One method of the API: its name, argument names and XML-RPC types, help text and body.
 * Results must be of the types the XML-RPC type system writes with extensions off: Integer,
 * Double, Boolean, String, Object[] or Map (never Long, null or void).
 *
 * @param returns   XML-RPC type of the result ("array", "struct", "int", ...)
 * @param argNames  names, for error messages
 * @param argTypes  XML-RPC types, for system.methodSignature
 */
public record RpcMethod(String name, String returns, List<String> argNames, List<String> argTypes, String help,
                        Body body) {

    /** The work of one call. Runs on a Tomcat request thread. */
    @FunctionalInterface
    public interface Body {
        Object call(Args args) throws XmlRpcException;
    }

    public static RpcMethod of(String name, String returns, String help, Body body, String... namesAndTypes) {
        List<String> names = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (String nt : namesAndTypes) {
            int colon = nt.indexOf(':');
            names.add(nt.substring(0, colon));
            types.add(nt.substring(colon + 1));
        }
        return new RpcMethod(name, returns, List.copyOf(names), List.copyOf(types), help, body);
    }
}
