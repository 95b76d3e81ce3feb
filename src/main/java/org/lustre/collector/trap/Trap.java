package org.lustre.collector.trap;

import java.util.List;

/**
 * A stored trap. Immutable: raising a coalesced trap's count publishes a new record, never
 * changes one a reader may hold.
 *
 * @param seq       store sequence number (the cursor), starts at 1, only grows
 * @param id        stable id (see {@link TrapEvent#id()}); a coalesced trap takes its first member's id
 *                  plus a suffix, so both collectors of a pair still agree
 * @param time      receive time, epoch seconds, never going backwards
 * @param eventTime source time of the (first) event, epoch seconds
 * @param category  severity
 * @param fs        file system, "" when unknown
 * @param node      target name; for a coalesced trap the first node
 * @param message   text; for a coalesced trap the summary; at most {@link TrapEvent#MAX_MESSAGE_BYTES}
 * @param count     how many events this trap stands for (1 unless coalesced or repeated)
 * @param source    producing source
 * @param nodes     for a coalesced trap the first node names (bounded); otherwise empty
 */
public record Trap(long seq, String id, long time, long eventTime, Category category, String fs, String node,
                   String message, int count, String source, List<String> nodes) {
    public Trap {
        // what a Trap holds goes on the wire: id and message made XML-safe here (fs, node and the
        // node names already are, by TrapEvent)
        id = TrapEvent.xmlSafe(TextBound.id(id, TrapEvent.MAX_NAME_BYTES));
        message = TrapEvent.xmlSafe(TextBound.cut(message, TrapEvent.MAX_MESSAGE_BYTES));
        nodes = List.copyOf(nodes);
    }
}
