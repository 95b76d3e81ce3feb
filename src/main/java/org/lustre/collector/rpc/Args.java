package org.lustre.collector.rpc;

import java.util.List;

import org.apache.xmlrpc.XmlRpcException;

/**
 * The arguments of one call, with checks that answer -32602 naming the argument, its position
 * and what was wrong. Apache XML-RPC parses values into Integer, String, Boolean, Double,
 * Object[], Map and Date; extension types are refused by the parser.
 */
public final class Args {
    private final String method;
    private final List<Object> values;
    private final List<String> names;

    Args(String method, List<Object> values, List<String> names) throws XmlRpcException {
        this.method = method;
        this.values = values;
        this.names = names;
        if (values.size() != names.size()) {
            throw Faults.badArguments(method + " takes " + names.size() + " argument"
                    + (names.size() == 1 ? "" : "s") + (names.isEmpty() ? "" : " (" + String.join(", ", names) + ")")
                    + ", got " + values.size());
        }
    }

    public int getInt(int i) throws XmlRpcException {
        Object v = values.get(i);
        if (v instanceof Integer n) {
            return n;
        }
        throw wrongType(i, "int", v);
    }

    public String getString(int i) throws XmlRpcException {
        Object v = values.get(i);
        if (v instanceof String s) {
            return s;
        }
        throw wrongType(i, "string", v);
    }

    public Object[] getArray(int i) throws XmlRpcException {
        Object v = values.get(i);
        if (v instanceof Object[] a) {
            return a;
        }
        throw wrongType(i, "array", v);
    }

    private XmlRpcException wrongType(int i, String want, Object got) {
        return Faults.badArguments(method + ": argument " + (i + 1) + " (" + names.get(i) + ") must be "
                + (want.equals("int") || want.equals("array") ? "an " : "a ") + want + ", got " + typeName(got));
    }

    /** XML-RPC type names, so the message speaks the caller's language, not Java's. */
    static String typeName(Object v) {
        return v == null ? "nil"
                : v instanceof Integer ? "int"
                : v instanceof String ? "string"
                : v instanceof Boolean ? "boolean"
                : v instanceof Double ? "double"
                : v instanceof Object[] ? "array"
                : v instanceof java.util.Map ? "struct"
                : v instanceof java.util.Date ? "dateTime.iso8601"
                : v instanceof byte[] ? "base64"
                : v instanceof UnusableValue u ? u.shown()
                : "value";
    }
}
