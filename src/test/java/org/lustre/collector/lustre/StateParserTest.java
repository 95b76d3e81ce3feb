package org.lustre.collector.lustre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StateParserTest {

    @Test
    void readsThe210StateFile() throws Exception {
        StateParser.State s = StateParser.parse("state", Fixtures.hpe(String.format(Fixtures.HPE_OSP, 0) + "state"));
        assertEquals("FULL", s.current());
        assertEquals(16, s.history().size());
        assertEquals(new StateParser.Transition(1510605203L, "DISCONN"), s.history().get(0));
        assertEquals(new StateParser.Transition(1510605709L, "FULL"), s.history().get(15));
        assertEquals(1510605709L, s.since());
    }

    @Test
    void readsARealDisconnHistory() throws Exception {
        // DDN 2025: one OSP of an MDS in DISCONN, its 16-entry history cycling DISCONN/CONNECTING.
        String text = Fixtures.read(Fixtures.ROOT.resolve("lctl-get_param/ddn-2025/osc_states.txt"));
        int start = text.indexOf("osc.tesfs-OST0000-osc-MDT0000.state=\n") + "osc.tesfs-OST0000-osc-MDT0000.state=\n".length();
        int end = text.indexOf("osc.", start);
        StateParser.State st = StateParser.parse("state", text.substring(start, end < 0 ? text.length() : end));
        assertEquals("DISCONN", st.current());
        assertEquals(16, st.history().size());
        assertEquals(st.history().get(15).epochSeconds(), st.since());
    }

    @Test
    void sinceIsTheStartOfTheLastRunInTheCurrentState() throws Exception {
        StateParser.State s = StateParser.parse("state", "current_state: DISCONN\nstate_history:\n"
                + " - [ 100, FULL ]\n - [ 200, DISCONN ]\n - [ 210, DISCONN ]\n");
        assertEquals(200, s.since());
        StateParser.State other = StateParser.parse("state", "current_state: DISCONN\nstate_history:\n - [ 100, FULL ]\n");
        assertEquals(-1, other.since());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "garbage\n",
        "state_history:\n - [ 1, FULL ]\n",                       // no current_state
        "current_state: FULL\nstate_history:\n - [ 1 ]\n",          // too few fields
        "current_state: FULL\nstate_history:\n - [ x, FULL ]\n",    // bad number
        "current_state: FULL\nstate_history:\n - [ 99999999999999999999, FULL ]\n",
        "current_state: full?\n",
        "current_state: FULL\ncurrent_state: FULL\n",
        " - [ 1, FULL ]\ncurrent_state: FULL\n",
    })
    void rejectsMalformed(String text) {
        assertThrows(LustreParseException.class, () -> StateParser.parse("state", text));
    }
}
