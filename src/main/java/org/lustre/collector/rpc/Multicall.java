package org.lustre.collector.rpc;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.xmlrpc.XmlRpcException;

/**
 * {@code system.multicall}, the XML-RPC convention for several calls in one request (Python's
 * xmlrpc.client.MultiCall sends it): an array of structs {@code {methodName, params}} answered by
 * an array holding, per call in order, {@code [result]} or a fault struct {@code {faultCode,
 * faultString}}. One failing call does not fail the others. The web page uses it to ask a
 * hundred file systems' state in one request instead of a hundred. Nested multicalls are refused,
 * and so is a batch larger than {@link #MAX_CALLS}: the request body limit bounds it anyway, this
 * bounds the work of one request. Stateless; any thread.
 */
final class Multicall {
    private static final Logger LOG = LogManager.getLogger(Multicall.class);
    static final String NAME = "system.multicall";
    static final int MAX_CALLS = 1_000;
    /** Most bytes (estimated) of one multicall's results, or a thousand getNodeNames("") would build gigabytes. */
    private static final long MAX_ANSWER_BYTES = AnswerLimit.TRAP_BYTES;

    private final Function<String, RpcMethod> methods;

    /** @param methods the method of a name, or null when there is none */
    Multicall(Function<String, RpcMethod> methods) {
        this.methods = methods;
    }

    Object[] call(Args args) throws XmlRpcException {
        Object[] calls = args.getArray(0);
        if (calls.length > MAX_CALLS) {
            throw Faults.badArguments(NAME + ": at most " + MAX_CALLS + " calls, got " + calls.length);
        }
        Object[] answers = new Object[calls.length];
        long bytes = 0;
        for (int i = 0; i < calls.length; i++) {
            if (bytes > MAX_ANSWER_BYTES) {
                answers[i] = fault(Faults.BAD_ARGUMENTS, "not run: the answers before it already fill the "
                        + (MAX_ANSWER_BYTES >> 20) + " MiB a multicall may return; ask for less at once");
                continue;
            }
            try {
                Object result = one(i, calls[i]);
                bytes += AnswerSize.estimate(result, MAX_ANSWER_BYTES - bytes + 1);
                answers[i] = bytes > MAX_ANSWER_BYTES ? fault(Faults.BAD_ARGUMENTS, "its answer would pass the "
                        + (MAX_ANSWER_BYTES >> 20) + " MiB a multicall may return; ask for less at once")
                        : new Object[] {result};
            } catch (XmlRpcException e) {
                answers[i] = fault(e.code, e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("internal error in call {} of a multicall", i + 1, e);
                answers[i] = fault(Faults.INTERNAL, "internal error in call " + (i + 1));
            }
        }
        return answers;
    }

    private Object one(int i, Object call) throws XmlRpcException {
        String where = NAME + ": call " + (i + 1);
        if (!(call instanceof Map<?, ?> struct)) {
            throw Faults.badArguments(where + " must be a struct {methodName, params}, got " + Args.typeName(call));
        }
        if (!(struct.get("methodName") instanceof String name)) {
            throw Faults.badArguments(where + ": methodName must be a string");
        }
        Object params = struct.get("params");
        if (params != null && !(params instanceof Object[])) {
            throw Faults.badArguments(where + ": params must be an array, got " + Args.typeName(params));
        }
        if (name.equals(NAME)) {
            throw Faults.badArguments(where + ": a multicall cannot hold another");
        }
        RpcMethod m = methods.apply(name);
        if (m == null) {
            throw new XmlRpcException(Faults.UNKNOWN_METHOD, "unknown method: " + Faults.shown(name));
        }
        List<Object> values = params == null ? List.of() : Arrays.asList((Object[]) params);
        return m.body().call(new Args(m.name(), values, m.argNames()));
    }

    private static Map<String, Object> fault(int code, String message) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("faultCode", code);
        f.put("faultString", message == null ? "" : message);
        return f;
    }
}
