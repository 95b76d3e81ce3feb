package org.lustre.collector.rpc;

import org.apache.ws.commons.util.NamespaceContextImpl;
import org.apache.xmlrpc.common.TypeFactoryImpl;
import org.apache.xmlrpc.common.XmlRpcController;
import org.apache.xmlrpc.common.XmlRpcHttpRequestConfigImpl;
import org.apache.xmlrpc.common.XmlRpcStreamConfig;
import org.apache.xmlrpc.parser.TypeParser;

/**
 * Apache XML-RPC's type system, reading requests strictly: ints are range-checked and types the
 * API never takes are read as {@link UnusableValue}s, so that they answer -32602 naming the
 * argument instead of a parse error. Answers are written with Apache's own serializers, unchanged.
 * Thread-safe, like its superclass.
 */
final class AnswerTypes extends TypeFactoryImpl {
    /** The settings every answer is written with: UTF-8, no extensions, no exceptions. */
    static XmlRpcHttpRequestConfigImpl answerConfig() {
        XmlRpcHttpRequestConfigImpl config = new XmlRpcHttpRequestConfigImpl();
        config.setEnabledForExtensions(false);
        config.setEnabledForExceptions(false);
        config.setEncoding("UTF-8");
        return config;
    }

    AnswerTypes(XmlRpcController controller) {
        super(controller);
    }

    @Override
    public TypeParser getParser(XmlRpcStreamConfig config, NamespaceContextImpl context, String uri,
                                String localName) {
        if (UnusableValue.isInt(uri, localName)) {
            return UnusableValue.intParser();
        }
        if (!UnusableValue.isStandard(uri, localName)) {
            return UnusableValue.parserFor(localName);
        }
        return super.getParser(config, context, uri, localName);
    }
}
