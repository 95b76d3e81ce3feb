package org.lustre.collector.lustre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecoveryStatusParserTest {

    @Test
    void readsThe2129FilesWhoseStartIsSecondsSinceBoot() throws Exception {
        String text = Fixtures.llnl("proc/fs/lustre/mdt/lquake-MDT0000/recovery_status");
        assertEquals(new RecoveryStatus("COMPLETE", -1, 52, 69, 69, 0), RecoveryStatusParser.parse("r", text, -1));
        assertEquals(1_700_000_000L + 1406, RecoveryStatusParser.parse("r", text, 1_700_000_000L).startEpoch());
        RecoveryStatus ost = RecoveryStatusParser.parse("r",
                Fixtures.llnl("proc/fs/lustre/obdfilter/lquake-OST0000/recovery_status"), -1);
        assertEquals(new RecoveryStatus("COMPLETE", -1, 39, 68, 68, 0), ost);
        assertFalse(ost.completedWithEvictions());
    }

    @Test
    void readsThe210InactiveFile() throws Exception {
        assertEquals(new RecoveryStatus("INACTIVE", -1, -1, -1, -1, -1), RecoveryStatusParser.parse("r",
                Fixtures.hpe("proc/fs/lustre/mdt/lustrefs-MDT0000/recovery_status"), 1));
    }

    @Test
    void readsCompleteWithEvictionsRecoveringAndWaiting() throws Exception {
        Map<String, String> p = Fixtures.params("recovery_status-multiple-recovering.txt");
        RecoveryStatus mdt0 = RecoveryStatusParser.parse("r", p.get("mdt.fs-MDT0000.recovery_status"), 5);
        assertEquals(new RecoveryStatus("COMPLETE", 1_620_410_024L, 1760, 3, 7, 4), mdt0, "epoch: taken as is");
        assertTrue(mdt0.completedWithEvictions());
        RecoveryStatus mdt2 = RecoveryStatusParser.parse("r", p.get("mdt.fs-MDT0002.recovery_status"), 5);
        assertEquals("RECOVERING", mdt2.status());
        assertEquals(1_620_920_843L, mdt2.startEpoch());
        assertEquals(7, mdt2.totalClients(), "connected_clients: 3/7");
        assertFalse(mdt2.completedWithEvictions());
        Map<String, String> w = Fixtures.params("recovery_status-waiting-for-clients.txt");
        assertEquals("WAITING_FOR_CLIENTS",
                RecoveryStatusParser.parse("r", w.get("mdt.fs-MDT0002.recovery_status"), -1).status());
        Map<String, String> d = Fixtures.params("recovery_status-2.14.0_ddn145.txt");
        assertEquals("INACTIVE", RecoveryStatusParser.parse("r", d.get("obdfilter.fs-OST0000.recovery_status"), -1)
                .status());
    }

    @Test
    void readsTheRecoveringFormOfTheFormatString() throws Exception {
        // lprocfs_recovery_status_seq_show, 2.15.0:960-986 (built from the format string).
        String text = "status: RECOVERING\nrecovery_start: 1700000000\ntime_remaining: 12\nconnected_clients: 5/9\n"
                + "req_replay_clients: 1\nlock_repay_clients: 1\ncompleted_clients: 4\nevicted_clients: 2\n"
                + "replayed_requests: 0\nqueued_requests: 0\nnext_transno: 42\n";
        assertEquals(new RecoveryStatus("RECOVERING", 1_700_000_000L, -1, 4, 9, 2),
                RecoveryStatusParser.parse("r", text, -1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n", "garbage\n", "recovery_start: 5\nstatus: COMPLETE\n", "status: complete\n",
        "status: COMPLETE\nrecovery_start: soon\n", "status: COMPLETE\ncompleted_clients: 9/7\n",
        "status: COMPLETE\ncompleted_clients: a/b\n", "status: COMPLETE\nno colon here\n"})
    void rejectsMalformed(String text) {
        assertThrows(LustreParseException.class, () -> RecoveryStatusParser.parse("r", text, -1));
    }
}
