package org.lustre.collector.config;

/**
 * How many traps ({@code maxtraps}) a heap can hold and serve. The store keeps {@code maxtraps}
 * traps whatever their size, so the bound assumes the worst trap a source delivers: a message cut
 * at about 4 KiB.
 * <p>
 * Measured (TrapStore filled with 20,000 traps of 4,096-character messages, heap used after GC):
 * 4.4 KiB a trap when the text is Latin-1, 8.4 KiB when it is not (Java stores such a string in
 * UTF-16, two bytes a character). Serving adds the trap's XML form while an answer is written or
 * cached: 4 to 12 KiB of UTF-8 for such a message, more with escaped characters, which the answer
 * byte cap bounds. Hence {@value #BYTES_PER_TRAP} bytes a trap, and the traps may take at most
 * half of the heap: the rest is Tomcat, the state of up to 100,000 targets, request buffers and
 * the garbage collector's room.
 * <p>
 * With the packaged {@code -Xmx192m} that allows about 6,000 traps; the default 250 needs 8 MiB.
 */
final class TrapHeapBudget {
    /** Worst-case heap bytes one stored trap costs, held and served (see the class comment). */
    static final long BYTES_PER_TRAP = 16 * 1024;
    /** The traps take at most 1/HEAP_SHARE of the heap. */
    static final int HEAP_SHARE = 2;

    private TrapHeapBudget() {
    }

    /** The largest maxtraps a heap of {@code maxHeapBytes} (Runtime.maxMemory()) holds and serves. */
    static int maxTraps(long maxHeapBytes) {
        return (int) Math.min(Integer.MAX_VALUE, maxHeapBytes / HEAP_SHARE / BYTES_PER_TRAP);
    }

    /** The heap, in MiB rounded up, that {@code maxTraps} traps need (as Runtime.maxMemory() reports it). */
    static long heapMibFor(int maxTraps) {
        long bytes = maxTraps * BYTES_PER_TRAP * HEAP_SHARE;
        return (bytes + (1 << 20) - 1) >> 20;
    }

    /**
     * The -Xmx to suggest, in MiB: the need plus 10%, to a multiple of 64. Runtime.maxMemory()
     * is less than -Xmx with some collectors (the serial one leaves a survivor space out: 185 MiB
     * of -Xmx192m), so -Xmx set to the bare need would be refused again.
     */
    static long suggestedXmxMib(int maxTraps) {
        long withRoom = heapMibFor(maxTraps) * 11 / 10;
        return (withRoom + 63) / 64 * 64;
    }
}
