package org.lustre.collector.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KmsgRecordParserTest {

    @Test
    void recordWithDictionaryLines() throws SourceParseException {
        KmsgRecordParser.Record r = KmsgRecordParser.parse(
                "7,160,424069,-;pci_root PNP0A03:00: host bridge window [io  0x0000-0x0cf7] (ignored)\n"
                + " SUBSYSTEM=acpi\n DEVICE=+acpi:PNP0A03:00\n");
        assertEquals(0, r.facility());
        assertEquals(160, r.seq());
        assertEquals(424069, r.usec());
        assertEquals("pci_root PNP0A03:00: host bridge window [io  0x0000-0x0cf7] (ignored)", r.message());
    }

    @Test
    void facilityAndCallerField() throws SourceParseException {
        KmsgRecordParser.Record user = KmsgRecordParser.parse("30,340,5690716,-;udevd[80]: starting version 181");
        assertEquals(3, user.facility());
        KmsgRecordParser.Record lustre = KmsgRecordParser.parse(
                "6,2423,87950000002,-,caller=T4711;Lustre: DIAS-OST0002-osc-MDT0000: Connection restored to 192.168.14.178@tcp (at 192.168.14.178@tcp)");
        assertEquals(2423, lustre.seq());
        assertEquals("Lustre: DIAS-OST0002-osc-MDT0000: Connection restored to 192.168.14.178@tcp (at 192.168.14.178@tcp)",
                lustre.message());
        assertEquals("", KmsgRecordParser.parse("0,1,2,c;").message());
        assertEquals("a;b", KmsgRecordParser.parse("0,1,2,-;a;b").message());
    }

    @Test
    void everyRecordOfTheFixtureParses() throws IOException, SourceParseException {
        int records = 0;
        for (String line : KmsgRulesTest.fixture("constructed", "dev-kmsg-records.txt")) {
            if (!line.startsWith(" ")) {
                assertTrue(KmsgRecordParser.looksLikeRecord(line), line);
                KmsgRecordParser.parse(line);
                records++;
            }
        }
        assertEquals(15, records);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "no header at all", "6,2301,87000120345 Lustre: no semicolon", "6,2301;Lustre: too few fields",
        "x,1,2,-;letters in prio", "6,-1,2,-;negative seq", "6,1,99999999999999999999,-;usec too long",
        "6,1,2,-;message\nnot a continuation line",
    })
    void malformedRecords(String text) {
        SourceParseException e = assertThrows(SourceParseException.class, () -> KmsgRecordParser.parse(text));
        assertFalse(e.reason().isBlank());
        assertEquals(text, e.line());
    }
}
