package org.lustre.collector.rpc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.XmlRpcHandler;
import org.apache.xmlrpc.XmlRpcRequest;
import org.apache.xmlrpc.metadata.XmlRpcListableHandlerMapping;
import org.apache.xmlrpc.server.XmlRpcNoSuchHandlerException;

/**
 * Maps plain method names ({@code getTraps}, not {@code Handler.getTraps} as Apache XML-RPC's
 * PropertyHandlerMapping would) to our methods, and adds system.listMethods, system.methodHelp
 * and system.methodSignature answered from the same table, and system.multicall ({@link Multicall}). Built once, then read-only: safe for
 * any number of request threads.
 */
public final class MethodTable implements XmlRpcListableHandlerMapping {
    private final Map<String, RpcMethod> methods = new LinkedHashMap<>();

    public MethodTable(List<RpcMethod> api) {
        for (RpcMethod m : api) {
            add(m);
        }
        add(RpcMethod.of("system.listMethods", "array", "The names of all methods.",
                a -> getListMethods()));
        add(RpcMethod.of("system.methodHelp", "string", "Help text of a method.",
                a -> getMethodHelp(known(a.getString(0))), "methodName:string"));
        add(RpcMethod.of("system.methodSignature", "array",
                "Signatures of a method: arrays of the return type then the argument types.",
                a -> getMethodSignature(known(a.getString(0))), "methodName:string"));
        Multicall multicall = new Multicall(methods::get);
        add(RpcMethod.of(Multicall.NAME, "array",
                "Several calls in one: an array of {methodName, params}; answers, in order, [result] or "
                        + "{faultCode, faultString} for each.",
                multicall::call, "calls:array"));
    }

    private void add(RpcMethod m) {
        if (methods.putIfAbsent(m.name(), m) != null) {
            throw new IllegalArgumentException("method defined twice: " + m.name());
        }
    }

    private String known(String name) throws XmlRpcException {
        if (!methods.containsKey(name)) {
            throw new XmlRpcException(Faults.BAD_ARGUMENTS, "no such method: " + Faults.shown(name));
        }
        return name;
    }

    @Override
    public XmlRpcHandler getHandler(String name) throws XmlRpcException {
        RpcMethod m = name == null ? null : methods.get(name);
        if (m == null) {
            throw new XmlRpcNoSuchHandlerException("unknown method: " + Faults.shown(name));
        }
        return (XmlRpcRequest request) -> {
            List<Object> values = new ArrayList<>(request.getParameterCount());
            for (int i = 0; i < request.getParameterCount(); i++) {
                values.add(request.getParameter(i));
            }
            return m.body().call(new Args(m.name(), values, m.argNames()));
        };
    }

    @Override
    public String[] getListMethods() {
        return methods.keySet().toArray(new String[0]);
    }

    @Override
    public String[][] getMethodSignature(String name) {
        RpcMethod m = methods.get(name);
        return new String[][] {Stream.concat(Stream.of(m.returns()), m.argTypes().stream()).toArray(String[]::new)};
    }

    @Override
    public String getMethodHelp(String name) {
        return methods.get(name).help();
    }
}
