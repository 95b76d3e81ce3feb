package org.lustre.collector.rpc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import org.apache.xmlrpc.XmlRpcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The XML-RPC exchange without a server: results, faults and hostile bodies. */
class XmlRpcEndpointTest {
    private final XmlRpcEndpoint endpoint = new XmlRpcEndpoint(new MethodTable(List.of(
            RpcMethod.of("echo", "string", "Echoes a string.", a -> a.getString(0), "text:string"),
            RpcMethod.of("twice", "int", "Doubles an int.", a -> a.getInt(0) * 2, "n:int"),
            RpcMethod.of("echo2", "int", "Echoes an int.", a -> a.getInt(0), "n:int"),
            RpcMethod.of("pair", "array", "Two values.", a -> new Object[] {a.getInt(0), a.getString(1)},
                    "n:int", "s:string"),
            RpcMethod.of("many", "array", "n strings of 100 characters.", a -> {
                Object[] out = new Object[a.getInt(0)];
                java.util.Arrays.fill(out, "x".repeat(100));
                return out;
            }, "n:int"),
            RpcMethod.of("unwritable", "int", "Returns a Java long, which XML-RPC cannot carry.", a -> 5L),
            RpcMethod.of("nothing", "int", "Returns null.", a -> null),
            RpcMethod.of("fails", "int", "Throws.", a -> {
                throw new IllegalStateException("secret internals");
            }),
            RpcMethod.of("domain", "int", "A domain fault.", a -> {
                throw new XmlRpcException(Faults.UNKNOWN_NODE, "unknown node: x");
            }))));

    private Answer call(String xml) {
        return Answer.parse(endpoint.handle(xml.getBytes(UTF_8)));
    }

    private static void assertFault(Answer a, int code) {
        assertFalse(a.ok(), "expected a fault, got " + a.value());
        assertEquals(code, a.faultCode(), a.faultString());
        assertFalse(a.faultString().contains("Exception"), "no Java class names on the wire: " + a.faultString());
        assertFalse(a.faultString().contains("org.apache"), a.faultString());
    }

    @Test
    void goodCalls() {
        assertEquals("héllo <&>", call(Answer.call("echo", "<string>héllo &lt;&amp;&gt;</string>")).value());
        assertEquals("untyped", call(Answer.call("echo", "untyped")).value());
        assertEquals("disk \uD83D\uDCBE ünïcode", call(Answer.call("echo", "<string>disk \uD83D\uDCBE ünïcode</string>")).value());
        assertEquals(42, call(Answer.call("twice", "<int>21</int>")).value());
        assertEquals(42, call(Answer.call("twice", "<i4>21</i4>")).value());
        assertArrayEquals(new Object[] {1, "a"},
                (Object[]) call(Answer.call("pair", "<int>1</int>", "<string>a</string>")).value());
    }

    @Test
    void answerTextRoundTripsExactly() {
        // escaped in the request, so the echo returns exactly these characters
        assertEquals("a<b&c>d\r\ne \"q\" ]]> \uD83D\uDCBE", call(Answer.call("echo",
                "<string>a&lt;b&amp;c&gt;d&#13;\ne \"q\" ]]&gt; \uD83D\uDCBE</string>")).value());
        String raw = new String(endpoint.handle(Answer.call("pair", "<int>1</int>", "<string></string>")
                .getBytes(UTF_8)), UTF_8);
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodResponse><params><param><value><array><data>"
                + "<value><i4>1</i4></value><value/></data></array></value></param></params></methodResponse>",
                raw);
    }

    /** One call of a multicall, as XML-RPC struct text. */
    private static String multi(String method, String... params) {
        StringBuilder sb = new StringBuilder("<value><struct><member><name>methodName</name><value><string>")
                .append(method).append("</string></value></member><member><name>params</name><value><array><data>");
        for (String p : params) {
            sb.append("<value>").append(p).append("</value>");
        }
        return sb.append("</data></array></value></member></struct></value>").toString();
    }

    private Object[] multicall(String... calls) {
        Answer a = call(Answer.call("system.multicall", "<array><data>" + String.join("", calls) + "</data></array>"));
        assertTrue(a.ok(), a.faultString());
        return (Object[]) a.value();
    }

    private static void assertFaultStruct(Object answer, int code, String says) {
        assertTrue(answer instanceof java.util.Map, "a fault struct, got " + answer);
        java.util.Map<?, ?> f = (java.util.Map<?, ?>) answer;
        assertEquals(code, f.get("faultCode"), String.valueOf(f.get("faultString")));
        assertTrue(String.valueOf(f.get("faultString")).contains(says), String.valueOf(f.get("faultString")));
        assertFalse(String.valueOf(f.get("faultString")).contains("Exception"), String.valueOf(f.get("faultString")));
    }

    @Test
    void multicallAnswersEachCallInOrderAndOneFaultSparesTheOthers() {
        Object[] r = multicall(multi("twice", "<int>21</int>"), multi("nope"), multi("twice", "<string>x</string>"),
                multi("domain"), multi("fails"), multi("pair", "<int>1</int>", "<string>a</string>"),
                multi("twice"));
        assertEquals(7, r.length);
        assertArrayEquals(new Object[] {42}, (Object[]) r[0]);
        assertFaultStruct(r[1], Faults.UNKNOWN_METHOD, "nope");
        assertFaultStruct(r[2], Faults.BAD_ARGUMENTS, "must be an int, got string");
        assertFaultStruct(r[3], Faults.UNKNOWN_NODE, "unknown node: x");
        assertFaultStruct(r[4], Faults.INTERNAL, "internal error in call 5");
        assertArrayEquals(new Object[] {1, "a"}, (Object[]) ((Object[]) r[5])[0]);
        assertFaultStruct(r[6], Faults.BAD_ARGUMENTS, "takes 1 argument");
        assertEquals(0, multicall().length);
        // a result the type system cannot write still fails the whole answer cleanly, as a plain call does
        assertFault(call(Answer.call("system.multicall", "<array><data>" + multi("unwritable")
                + "</data></array>")), Faults.INTERNAL);
    }

    @Test
    void multicallStopsOnceItsAnswersWouldPassTheirBudget() {
        // 50,000 strings of 100 characters: over 4 MiB written; alone it is a plain call's business
        Object[] r = multicall(multi("many", "<int>10</int>"), multi("many", "<int>50000</int>"),
                multi("twice", "<int>1</int>"));
        assertEquals(10, ((Object[]) ((Object[]) r[0])[0]).length);
        assertFaultStruct(r[1], Faults.BAD_ARGUMENTS, "would pass the 4 MiB");
        assertFaultStruct(r[2], Faults.BAD_ARGUMENTS, "not run");
        assertEquals(50_000, ((Object[]) call(Answer.call("many", "<int>50000</int>")).value()).length);
    }

    @Test
    void anAnswerOverTheHardLimitIsAFaultNotAHeapFull() {
        // 100,000 strings of 100 characters: ~12 MB once written, past the 8 MiB every answer may take
        Answer a = call(Answer.call("many", "<int>100000</int>"));
        assertFault(a, Faults.INTERNAL);
        assertTrue(a.faultString().contains("8 MiB"), a.faultString());
        assertEquals(1000, ((Object[]) call(Answer.call("many", "<int>1000</int>")).value()).length);
    }

    /** What other languages' clients send for a long, a None/undef or a big number: bad arguments, named. */
    @ParameterizedTest
    @ValueSource(strings = {"<i8>5</i8>", "<nil/>", "<int>2147483648</int>", "<i4>-2147483649</i4>",
        "<int>99999999999999999999999</int>", "<int>12x</int>", "<int>notanumber</int>", "<long>5</long>"})
    void unsupportedOrOutOfRangeValuesAreBadArgumentsNamingTheArgument(String value) {
        Answer a = call(Answer.call("twice", value));
        assertFault(a, Faults.BAD_ARGUMENTS);
        assertTrue(a.faultString().startsWith("twice: argument 1 (n) must be an int, got "), a.faultString());
        assertFalse(a.faultString().contains("ws.apache.org"), a.faultString());
        assertFalse(a.faultString().matches(".*[a-z]+\\.[a-z]+\\.[A-Za-z]+.*"), "no Java names: " + a.faultString());
        // also inside an array, and for a string argument
        assertFault(call(Answer.call("echo", value)), Faults.BAD_ARGUMENTS);
        assertEquals(42, call(Answer.call("twice", "<int> 21 </int>")).value());
        assertEquals(-2147483648, call(Answer.call("echo2", "<int>-2147483648</int>")).value());
    }

    @Test
    void theContentTypeCharsetIsUsedWhenTheXmlNamesNoEncoding() {
        byte[] latin1 = (Answer.call("echo", "<string>caf\u00e9 \u00e0 l'\u00e9t\u00e9</string>"))
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Answer a = Answer.parse(endpoint.reply(latin1, "ISO-8859-1").toByteArray());
        assertEquals("caf\u00e9 \u00e0 l'\u00e9t\u00e9", a.value());
        // the XML's own declaration wins over the header
        byte[] declared = Answer.call("echo", "<string>\u00e9</string>").replace("<?xml version=\"1.0\"?>",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .getBytes(UTF_8);
        assertEquals("\u00e9", Answer.parse(endpoint.reply(declared, "ISO-8859-1").toByteArray()).value());
        // no charset: UTF-8, as before
        assertEquals("\u00e9", Answer.parse(endpoint.reply(Answer.call("echo", "<string>\u00e9</string>").getBytes(UTF_8),
                null).toByteArray()).value());
        assertEquals("\u00e9", Answer.parse(endpoint.reply(Answer.call("echo", "<string>\u00e9</string>").getBytes(UTF_8),
                "no-such-charset").toByteArray()).value());
    }

    @Test
    void aHugeMethodNameIsNotEchoedWhole() {
        String name = "n".repeat(100_000);
        Answer a = call("<?xml version=\"1.0\"?><methodCall><methodName>" + name + "</methodName></methodCall>");
        assertFault(a, Faults.UNKNOWN_METHOD);
        assertTrue(a.faultString().length() < 200, a.faultString().length() + " characters");
        Object[] r = multicall(multi(name));
        assertFaultStruct(r[0], Faults.UNKNOWN_METHOD, "unknown method: nnn");
        assertTrue(String.valueOf(((java.util.Map<?, ?>) r[0]).get("faultString")).length() < 200);
    }

    @Test
    void multicallRefusesNestingMalformedCallsAndHugeBatches() {
        Object[] r = multicall(multi("system.multicall", "<array><data></data></array>"),
                "<value><string>echo</string></value>",
                "<value><struct><member><name>params</name><value><array><data/></array></value></member></struct></value>",
                "<value><struct><member><name>methodName</name><value>echo</value></member>"
                        + "<member><name>params</name><value><string>x</string></value></member></struct></value>",
                multi("system.listMethods"));
        assertFaultStruct(r[0], Faults.BAD_ARGUMENTS, "cannot hold another");
        assertFaultStruct(r[1], Faults.BAD_ARGUMENTS, "must be a struct");
        assertFaultStruct(r[2], Faults.BAD_ARGUMENTS, "methodName must be a string");
        assertFaultStruct(r[3], Faults.BAD_ARGUMENTS, "params must be an array");
        assertTrue(List.of((Object[]) ((Object[]) r[4])[0]).contains("system.multicall"));
        String many = multi("twice", "<int>1</int>").repeat(Multicall.MAX_CALLS + 1);
        assertFault(call(Answer.call("system.multicall", "<array><data>" + many + "</data></array>")),
                Faults.BAD_ARGUMENTS);
        assertFault(call(Answer.call("system.multicall", "<string>x</string>")), Faults.BAD_ARGUMENTS);
    }

    @Test
    void deepNestingIsAParseErrorNotAStackOverflow() {
        // 100,000 nested arrays: Apache XML-RPC's chain of value parsers overflowed the stack
        int depth = 100_000;
        String deep = "<array><data><value>".repeat(depth) + "<int>1</int>" + "</value></data></array>".repeat(depth);
        Answer a = call(Answer.call("echo", deep));
        assertFault(a, Faults.PARSE_ERROR);
        assertTrue(a.faultString().contains("depth"), a.faultString());
        // the API's own nesting still passes: a multicall of arrays inside structs
        assertArrayEquals(new Object[] {1, "a"}, (Object[]) ((Object[]) multicall(multi("pair", "<int>1</int>",
                "<string>a</string>"))[0])[0]);
        assertEquals(42, call(Answer.call("twice", "<int>21</int>")).value());
    }

    @Test
    void systemMethods() {
        Object[] names = (Object[]) call(Answer.call("system.listMethods")).value();
        assertTrue(List.of(names).containsAll(List.of("echo", "twice", "system.listMethods",
                "system.methodHelp", "system.methodSignature")));
        assertEquals("Doubles an int.", call(Answer.call("system.methodHelp", "twice")).value());
        Object[] sigs = (Object[]) call(Answer.call("system.methodSignature", "pair")).value();
        assertArrayEquals(new Object[] {"array", "int", "string"}, (Object[]) sigs[0]);
        assertFault(call(Answer.call("system.methodHelp", "nope")), Faults.BAD_ARGUMENTS);
    }

    @Test
    void unknownMethod() {
        assertFault(call(Answer.call("getEverything")), Faults.UNKNOWN_METHOD);
    }

    @Test
    void wrongArgumentCountSaysWhatIsExpected() {
        Answer a = call(Answer.call("pair", "<int>1</int>"));
        assertFault(a, Faults.BAD_ARGUMENTS);
        assertEquals("pair takes 2 arguments (n, s), got 1", a.faultString());
    }

    @Test
    void wrongArgumentTypeNamesArgumentAndTypes() {
        Answer a = call(Answer.call("twice", "<string>21</string>"));
        assertFault(a, Faults.BAD_ARGUMENTS);
        assertEquals("twice: argument 1 (n) must be an int, got string", a.faultString());
        assertEquals("pair: argument 2 (s) must be a string, got array",
                call(Answer.call("pair", "<int>1</int>", "<array><data></data></array>")).faultString());
        assertEquals("twice: argument 1 (n) must be an int, got struct",
                call(Answer.call("twice", "<struct></struct>")).faultString());
    }

    @Test
    void resultTheTypeSystemCannotWriteIsAFaultNotAnEmptyAnswer() {
        assertFault(call(Answer.call("unwritable")), Faults.INTERNAL);
        assertFault(call(Answer.call("nothing")), Faults.INTERNAL);
    }

    @Test
    void runtimeFailureIsAnInternalFaultWithoutDetails() {
        Answer a = call(Answer.call("fails"));
        assertFault(a, Faults.INTERNAL);
        assertFalse(a.faultString().contains("secret internals"));
    }

    @Test
    void domainFaultKeepsItsCode() {
        assertFault(call(Answer.call("domain")), Faults.UNKNOWN_NODE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not xml at all",
        "<methodCall><methodName>echo</methodName><params><param><value><string>x",
        "<methodCall><methodName>echo</methodName><params></methodCall>",
        "<?xml version=\"1.0\"?><methodCall></methodCall>",
        // a namespace declared on the value's own element trips Apache's parser: still a plain parse error
        "<methodCall><methodName>echo</methodName><params><param><value><ex:serializable xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\">rO0ABXNyABFqYXZhLmxhbmcuSW50ZWdlchLioKT3gYc4AgABSQAFdmFsdWV4cgAQamF2YS5sYW5nLk51bWJlcoaslR0LlOCLAgAAeHAAAAAB</ex:serializable></value></param></params></methodCall>",
        "\u0000\u0001\u0002"
    })
    void malformedTruncatedAndExtensionBodiesAreParseErrors(String body) {
        assertFault(call(body), Faults.PARSE_ERROR);
    }

    /** Extension values (a serialized Java object among them) are never deserialized: refused as arguments. */
    @Test
    void extensionValuesAreRefusedAsArguments() {
        String ns = "<methodCall xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\">";
        for (String v : List.of("<ex:serializable>rO0ABXNyABFqYXZhLmxhbmcuSW50ZWdlchLioKT3gYc4AgABSQAFdmFsdWV4cgAQamF2YS5sYW5nLk51bWJlcoaslR0LlOCLAgAAeHAAAAAB</ex:serializable>",
                "<ex:nil/>", "<ex:i8>5</ex:i8>", "<ex:dom><a><b/></a></ex:dom>", "<i8>5</i8>", "<nil/>")) {
            Answer a = call(Answer.call("echo", v).replace("<methodCall>", ns));
            assertFault(a, Faults.BAD_ARGUMENTS);
            assertTrue(a.faultString().startsWith("echo: argument 1 (text) must be a string, got "), a.faultString());
        }
    }

    @Test
    void xxeNamingEtcPasswdReadsNothing() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + Answer.call("echo", "<string>&x;</string>");
        Answer a = call(xxe);
        assertFault(a, Faults.PARSE_ERROR);
        assertEquals("parse error: DOCTYPE is not allowed", a.faultString());
        assertFalse(a.faultString().contains("root:"));
    }

    @Test
    void externalDtdOnLoopbackIsNeverFetched() throws Exception {
        AtomicInteger fetched = new AtomicInteger();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            fetched.incrementAndGet();
            byte[] dtd = "<!ENTITY x \"leak\">".getBytes(UTF_8);
            ex.sendResponseHeaders(200, dtd.length);
            ex.getResponseBody().write(dtd);
            ex.close();
        });
        http.start();
        try {
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/evil.dtd";
            String body = "<?xml version=\"1.0\"?><!DOCTYPE methodCall SYSTEM \"" + url + "\">"
                    + Answer.call("echo", "<string>x</string>");
            assertFault(call(body), Faults.PARSE_ERROR);
            String param = "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY % p SYSTEM \"" + url + "\"> %p;]>"
                    + Answer.call("echo", "<string>&x;</string>");
            assertFault(call(param), Faults.PARSE_ERROR);
            assertEquals(0, fetched.get(), "the collector fetched an external DTD");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void billionLaughsIsRefusedAtOnce() {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        b.append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">");
        for (int i = 2; i <= 9; i++) {
            b.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                b.append("&lol").append(i - 1).append(';');
            }
            b.append("\">");
        }
        b.append("]>").append(Answer.call("echo", "<string>&lol9;</string>"));
        assertFault(call(b.toString()), Faults.PARSE_ERROR);
    }

    @Test
    void afterEveryHostileBodyAGoodCallStillWorks() {
        call("<bad");
        call("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><x/>");
        assertEquals("ok", call(Answer.call("echo", "<string>ok</string>")).value());
    }
}
