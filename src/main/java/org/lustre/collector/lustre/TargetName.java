package org.lustre.collector.lustre;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names Lustre gives targets and the devices that reach them: a target
 * {@code <fs>-OSTxxxx} or {@code <fs>-MDTxxxx} (index in hex, at least four digits), and an OSP
 * device of an MDT, {@code <fs>-OSTxxxx-osc-MDTyyyy} for an OST or {@code <fs>-MDTxxxx-osp-MDTyyyy}
 * for another MDT (DNE). Immutable.
 *
 * @param fs    file system name
 * @param kind  "OST" or "MDT"
 * @param index target index
 * @param name  the target name, {@code <fs>-<kind><hex>}
 */
record TargetName(String fs, String kind, int index, String name) {
    private static final Pattern TARGET = Pattern.compile("([A-Za-z0-9_-]{1,32})-(OST|MDT)([0-9a-fA-F]{4,8})");
    private static final Pattern OSP = Pattern.compile(
            "([A-Za-z0-9_-]{1,32})-(OST|MDT)([0-9a-fA-F]{4,8})-(osc|osp)-(MDT[0-9a-fA-F]{4,8})");

    /** The target a name stands for; null when it is not a target name. */
    static TargetName parse(String s) {
        Matcher m = TARGET.matcher(s);
        return m.matches() ? of(m) : null;
    }

    /**
     * The target an OSP device reaches; null when the name is not an OSP device's (an OST is
     * reached through {@code -osc-}, an MDT through {@code -osp-}; anything else is not ours).
     */
    static TargetName ofOspDevice(String device) {
        Matcher m = OSP.matcher(device);
        if (!m.matches() || m.group(2).equals("OST") != m.group(4).equals("osc")) {
            return null;
        }
        return of(m);
    }

    private static TargetName of(Matcher m) {
        long index = Long.parseLong(m.group(3), 16);
        if (index > Integer.MAX_VALUE) {
            return null;
        }
        // The file system and kind are shared by every target of a file system: at 100,000
        // targets a copy each is 10 MB of the heap. Interned strings are collected once unused.
        String kind = m.group(2).equals("OST") ? "OST" : "MDT";
        return new TargetName(m.group(1).intern(), kind, (int) index, m.group(1) + "-" + m.group(2) + m.group(3));
    }

    /**
     * The uuid Lustre gives a target unless configured otherwise, {@code <name>_UUID}. Targets and
     * nodes keep null for it and make it when asked: at 100,000 targets a copy each is 6 MB of
     * the heap.
     */
    static String defaultUuid(String name) {
        return name + "_UUID";
    }

    /** Null when {@code uuid} is {@link #defaultUuid} of {@code name}, else {@code uuid}; no allocation. */
    static String unlessDefault(String name, String uuid) {
        boolean isDefault = uuid != null && uuid.length() == name.length() + 5 && uuid.startsWith(name)
                && uuid.endsWith("_UUID");
        return isDefault ? null : uuid;
    }

    boolean isOst() {
        return kind.equals("OST");
    }
}
