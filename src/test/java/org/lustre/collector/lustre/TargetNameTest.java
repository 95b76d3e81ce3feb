package org.lustre.collector.lustre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetNameTest {

    @Test
    void everyOspDeviceOfThe2129TreeNamesItsTarget() throws Exception {
        List<String> devices = new FileLustreTree(Fixtures.LLNL).list("sys/fs/lustre/osp");
        assertEquals(64 + 240, devices.size());
        for (String d : devices) {
            TargetName t = TargetName.ofOspDevice(d);
            assertEquals("lquake", t.fs(), d);
            assertEquals(d.contains("-osc-") ? "OST" : "MDT", t.kind(), d);
            assertEquals(d.substring(0, "lquake-OST0000".length()), t.name(), d);
        }
    }

    @Test
    void parsesTargetsWithDashesInTheFileSystemName() {
        assertEquals(new TargetName("my-fs", "OST", 0x1a, "my-fs-OST001a"), TargetName.parse("my-fs-OST001a"));
        assertEquals(new TargetName("my-fs", "MDT", 3, "my-fs-MDT0003"), TargetName.ofOspDevice("my-fs-MDT0003-osp-MDT0000"));
        assertEquals(new TargetName("fs", "OST", 0x10000, "fs-OST10000"), TargetName.parse("fs-OST10000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MGS", "fs-OST", "fs-OST12", "fs-OSTzzzz", "fs-MDT0000-mdtlov", "-OST0000",
        "fs-OST0000-osp-MDT0000", "fs-MDT0001-osc-MDT0000", "fs-OST0000-osc-OST0001", "fs-OST0000-mdc-MDT0000"})
    void rejectsWhatIsNotATargetOrOspDevice(String s) {
        assertNull(s.contains("-os") || s.contains("-mdc") ? TargetName.ofOspDevice(s) : TargetName.parse(s), s);
    }

    @Test
    void aDefaultUuidIsMadeWhenAskedAndAConfiguredOneKept() {
        assertNull(TargetName.unlessDefault("fs-OST0001", "fs-OST0001_UUID"));
        assertEquals("fs-OST0002_UUID", TargetName.unlessDefault("fs-OST0001", "fs-OST0002_UUID"));
        assertEquals("fs-OST0001_uuid", TargetName.unlessDefault("fs-OST0001", "fs-OST0001_uuid"));
        NodeState plain = new NodeState("fs-OST0001", "fs", "OST", 1, "fs-OST0001_UUID", "", true, "FULL", true,
                1, 1, 1, 1, 1, 0);
        NodeState configured = new NodeState("fs-OST0001", "fs", "OST", 1, "ost1-uuid", "", true, "FULL", true,
                1, 1, 1, 1, 1, 0);
        assertEquals("fs-OST0001_UUID", plain.uuid());
        assertEquals("ost1-uuid", configured.uuid());
        Target t = new Target(TargetName.parse("fs-OST0001"), "fs-OST0001_UUID", List.of("MDT0000"), null, null,
                false, false);
        assertEquals("fs-OST0001_UUID", t.uuid());
        assertEquals("fs-OST0001-osc-MDT0000", t.osp(0));
    }
}
