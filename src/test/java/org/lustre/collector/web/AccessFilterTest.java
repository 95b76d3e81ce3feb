package org.lustre.collector.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The allow rule over whole address ranges, and the httpd-authenticated-user rule. */
class AccessFilterTest {

    private static AccessFilter filter(String... allow) {
        AccessFilter f = new AccessFilter();
        f.setAllow(List.of(allow));
        return f;
    }

    @Test
    void defaultLoopbackOnly() throws Exception {
        AccessFilter f = filter("127.0.0.1/32", "::1/128");
        assertTrue(f.isAllowed("127.0.0.1", null));
        assertTrue(f.isAllowed("0:0:0:0:0:0:0:1", null));
        assertTrue(f.isAllowed("::1", null));
        for (int i = 2; i < 256; i++) {
            assertFalse(f.isAllowed("127.0.0." + i, null), "127.0.0." + i);
        }
        assertFalse(f.isAllowed("10.0.0.1", null));
        assertFalse(f.isAllowed("::2", null));
        assertFalse(f.isAllowed("::ffff:10.0.0.1", null));
    }

    @Test
    void sweepsA16Block() throws Exception {
        AccessFilter f = filter("172.20.0.0/16");
        int allowed = 0;
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b += 15) {
                if (f.isAllowed("172.20." + a + "." + b, null)) {
                    allowed++;
                }
                assertFalse(f.isAllowed("172.21." + a + "." + b, null));
                assertFalse(f.isAllowed("172.19." + a + "." + b, null));
            }
        }
        assertEquals(256 * 18, allowed);
    }

    @Test
    void ipv6Prefix() throws Exception {
        AccessFilter f = filter("fd00:1234::/32");
        assertTrue(f.isAllowed("fd00:1234:ffff::1", null));
        assertFalse(f.isAllowed("fd00:1235::1", null));
        assertFalse(f.isAllowed("127.0.0.1", null), "an IPv4 peer never matches an IPv6 block");
    }

    @Test
    void authenticatedUserFromHttpdIsAdmittedFromAnyAddress() throws Exception {
        AccessFilter f = filter("127.0.0.1/32");
        assertTrue(f.isAllowed("192.0.2.7", "admin"));
        assertFalse(f.isAllowed("192.0.2.7", ""));
        // what a misconfigured httpd forwards for "no user": a blank is not a user
        assertFalse(f.isAllowed("192.0.2.7", " "));
        assertFalse(f.isAllowed("192.0.2.7", "\t \u00a0"));
        assertFalse(f.isAllowed("192.0.2.7", "   "));
        assertFalse(f.isAllowed("192.0.2.7", "\u0000"));
        assertFalse(f.isAllowed("192.0.2.7", null));
    }

    @Test
    void garbageAddressIsDenied() throws Exception {
        AccessFilter f = filter("0.0.0.0/0");
        assertFalse(f.isAllowed("not-an-address", null));
        assertFalse(f.isAllowed("", null));
    }

    @Test
    void emptyListDeniesEverything() throws Exception {
        AccessFilter f = filter();
        assertFalse(f.isAllowed("127.0.0.1", null));
    }
}
