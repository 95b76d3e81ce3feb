package org.lustre.collector.lustre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OstServerUuidParserTest {

    @Test
    void readsThe210Files() throws Exception {
        for (int i = 0; i < 7; i++) {
            OstServerUuidParser.OstServerUuid o = OstServerUuidParser.parse("ost_server_uuid",
                    Fixtures.hpe(String.format(Fixtures.HPE_OSP, i) + "ost_server_uuid"));
            assertEquals(new OstServerUuidParser.OstServerUuid("lustrefs-OST000" + i + "_UUID", "FULL", false), o);
        }
    }

    @Test
    void readsThe2129DebugfsFiles() throws Exception {
        for (String osp : new FileLustreTree(Fixtures.LLNL).list("sys/kernel/debug/lustre/osp")) {
            OstServerUuidParser.OstServerUuid o = OstServerUuidParser.parse("ost_server_uuid",
                    Fixtures.llnl("sys/kernel/debug/lustre/osp/" + osp + "/ost_server_uuid"));
            assertEquals(new OstServerUuidParser.OstServerUuid(osp.substring(0, 14) + "_UUID", "FULL", false), o);
        }
    }

    @Test
    void readsDeactivated() throws Exception {
        assertEquals(new OstServerUuidParser.OstServerUuid("fs-OST0001_UUID", "DISCONN", true),
                OstServerUuidParser.parse("o", "fs-OST0001_UUID\tDISCONN\tDEACTIVATED\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage\n", "fs-OST0001_UUID\n", "fs-OST0001_UUID\tfull\n",
        "fs-OST0001_UUID\tFULL\tWHATEVER\n", "a\tFULL\tDEACTIVATED\tx\n", "a\tFULL\nb\tFULL\n", "a\t42\n"})
    void rejectsMalformed(String text) {
        assertThrows(LustreParseException.class, () -> OstServerUuidParser.parse("o", text));
    }
}
