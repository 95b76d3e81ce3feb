package org.lustre.collector.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;

import org.junit.jupiter.api.Test;

/** A request body read past its deadline fails instead of keeping a request thread. */
class RpcServletDeadlineTest {

    @Test
    void aBodyReadPastItsDeadlineFails() throws Exception {
        RpcServlet.Deadline passed = new RpcServlet.Deadline(new ByteArrayInputStream(new byte[10]),
                System.nanoTime() - 1);
        assertThrows(java.net.SocketTimeoutException.class, () -> passed.read(new byte[10], 0, 10));
        RpcServlet.Deadline open = new RpcServlet.Deadline(new ByteArrayInputStream(new byte[10]),
                System.nanoTime() + 60_000_000_000L);
        assertEquals(10, open.read(new byte[10], 0, 10));
    }
}
