package org.lustre.collector.lustre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImportParserTest {

    /**
     * The 2.16+ connection section, written after the format strings of lprocfs_import_seq_show
     * (quoted NIDs, nids_stats block); the rest is the real 2.10 file. CONSTRUCTED, not captured.
     */
    static final String IMPORT_216 = """
            import:
                name: fs-OST0002-osc-MDT0000
                target: fs-OST0002_UUID
                state: DISCONN
                connect_flags: [ lov_index, connect_from_mds, version ]
                connect_data:
                   flags: 0x2040401443000066
                   instance: 3
                   target_version: 2.16.0.0
                import_flags: [ replayable, pingable, connect_tried ]
                connection:
                   failover_nids: [ "172.20.20.5@o2ib", "172.20.20.6@o2ib" ]
                   nids_stats:
                      "172.20.20.5@o2ib": { connects: 4, replied: 3, uptodate: false, sec_ago: 12 }
                      "172.20.20.6@o2ib": { connects: 1, replied: 0, uptodate: false, sec_ago: never }
                   current_connection: "172.20.20.6@o2ib"
                   connection_attempts: 5
                   generation: 1
                   in-progress_invalidations: 0
                   idle: 0 sec
                rpcs:
                   inflight: 0
                   unregistering: 0
                   timeouts: 2
                   avg_waittime: 300 usec
            """;

    @Test
    void readsThe210ImportFiles() throws Exception {
        ImportParser.Import imp = ImportParser.parse("import", Fixtures.hpe(String.format(Fixtures.HPE_OSP, 0) + "import"));
        assertEquals("lustrefs-OST0000-osc-MDT0000", imp.name());
        assertEquals("lustrefs-OST0000_UUID", imp.target());
        assertEquals("FULL", imp.state());
        assertEquals(List.of("172.20.20.5@o2ib", "172.20.20.6@o2ib"), imp.failoverNids());
        assertEquals("172.20.20.5@o2ib", imp.currentNid());
        for (int i = 0; i < 7; i++) {
            ImportParser.Import x = ImportParser.parse("import", Fixtures.hpe(String.format(Fixtures.HPE_OSP, i) + "import"));
            assertEquals("FULL", x.state());
            // ost_conn_uuid names the same NID as the import's current connection
            assertEquals(Fixtures.hpe(String.format(Fixtures.HPE_OSP, i) + "ost_conn_uuid").strip(), x.currentNid());
        }
    }

    @Test
    void readsThe216QuotedForm() throws Exception {
        ImportParser.Import imp = ImportParser.parse("import", IMPORT_216);
        assertEquals("DISCONN", imp.state());
        assertEquals(List.of("172.20.20.5@o2ib", "172.20.20.6@o2ib"), imp.failoverNids());
        assertEquals("172.20.20.6@o2ib", imp.currentNid());
    }

    @Test
    void noConnectionGivesEmptyNid() throws Exception {
        ImportParser.Import imp = ImportParser.parse("i", "import:\n    state: NEW\n    connection:\n"
                + "       failover_nids: [ ]\n       current_connection: \"<none>\"\n");
        assertEquals("", imp.currentNid());
        assertEquals(List.of(), imp.failoverNids());
    }

    @Test
    void linesEndAsStringLinesEndsThemAndOnlyTheConnectionSectionGivesNids() throws Exception {
        ImportParser.Import imp = ImportParser.parse("i", "\r\nimport:\r\n    name: n1\r\n    state: REPLAY_LOCKS\r"
                + "    connect_data:\n       current_connection: 9.9.9.9@tcp\n    connection:\n"
                + "       failover_nids: [ 1.1.1.1@tcp, 2.2.2.2@tcp ]\n       current_connection: 2.2.2.2@tcp  \n"
                + "    rpcs:\n       current_connection: 8.8.8.8@tcp\n");
        assertEquals("n1", imp.name());
        assertEquals("REPLAY_LOCKS", imp.state());
        assertEquals(List.of("1.1.1.1@tcp", "2.2.2.2@tcp"), imp.failoverNids());
        assertEquals("2.2.2.2@tcp", imp.currentNid());
        assertTrue(ImportParser.isStateName("<UNKNOWN>"));
        assertFalse(ImportParser.isStateName("Full"));
        assertFalse(ImportParser.isStateName("_FULL"));
        assertFalse(ImportParser.isStateName(""));
        LustreParseException e = assertThrows(LustreParseException.class,
                () -> ImportParser.parse("i", "import:\n    name: x\n\n    state: full\n"));
        assertTrue(e.getMessage().contains(":4"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "garbage\n",
        "import:\n    name: x\n",                                   // no state
        "import:\n    state FULL\n",                               // no colon
        "import:\n    state: 42\n",                                // not a state name
        "state: FULL\n",                                           // no header
        "import:\n    state: FULL\n    connection:\n       failover_nids: 1.2.3.4@tcp\n",
    })
    void rejectsMalformed(String text) {
        assertThrows(LustreParseException.class, () -> ImportParser.parse("import", text));
    }
}
