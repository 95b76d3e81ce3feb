package org.lustre.collector.lustre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetObdParserTest {

    @Test
    void readsThe210TargetObd() throws Exception {
        List<TargetObdParser.Target> t = TargetObdParser.parse("target_obd",
                Fixtures.hpe("proc/fs/lustre/lod/lustrefs-MDT0000-mdtlov/target_obd"));
        assertEquals(7, t.size());
        for (int i = 0; i < 7; i++) {
            assertEquals(i, t.get(i).index());
            assertEquals("lustrefs-OST000" + i + "_UUID", t.get(i).uuid());
            assertEquals("lustrefs-OST000" + i, t.get(i).name());
            assertTrue(t.get(i).active());
        }
    }

    @Test
    void readsInactiveAndEmpty() throws Exception {
        List<TargetObdParser.Target> t = TargetObdParser.parse("t",
                "0: fs-OST0000_UUID ACTIVE\n3: fs-OST0003_UUID INACTIVE\n");
        assertEquals(new TargetObdParser.Target(3, "fs-OST0003_UUID", false), t.get(1));
        assertEquals(List.of(), TargetObdParser.parse("t", ""), "a file system without OSTs yet");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "garbage\n",
        "0: fs-OST0000_UUID\n",                          // too few fields
        "0 fs-OST0000_UUID ACTIVE\n",                    // no colon
        "x: fs-OST0000_UUID ACTIVE\n",                   // bad number
        "99999999999: fs-OST0000_UUID ACTIVE\n",         // index out of range
        "0: fs-OST0000_UUID ACTIVE\n1: fs-OST0001_UUID SLEEPY\n",
        "0: fs-OST0000_UUID ACTIVE extra\n",
    })
    void rejectsMalformed(String text) {
        LustreParseException e = assertThrows(LustreParseException.class, () -> TargetObdParser.parse("t", text));
        assertTrue(e.getMessage().contains("\""), "quotes the line: " + e.getMessage());
    }

    @Test
    void namesTheBadLine() {
        LustreParseException e = assertThrows(LustreParseException.class,
                () -> TargetObdParser.parse("t", "0: a_UUID ACTIVE\nboom\n"));
        assertEquals("t:2: want \"<index>: <uuid> ACTIVE|INACTIVE\": \"boom\"", e.getMessage());
    }
}
