package org.lustre.collector.lustre;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixture tree with changes laid over it, without copying it: files written, files hidden
 * (whole subtrees by prefix) and files that fail to read with a given error (ENOTCONN, EIO,
 * EACCES as {@link IOException}s), the way a live tree fails.
 */
public final class OverlayTree implements LustreTree {
    private final LustreTree base;
    private final Map<String, String> written = new ConcurrentHashMap<>();
    private final Map<String, String> failing = new ConcurrentHashMap<>();
    private final List<String> hidden = new java.util.concurrent.CopyOnWriteArrayList<>();

    public OverlayTree(LustreTree base) {
        this.base = base;
    }

    /** Writes (or overwrites) a file. */
    public OverlayTree put(String path, String content) {
        written.put(path, content);
        return this;
    }

    /** Every path starting with this prefix is gone. */
    public OverlayTree hide(String prefix) {
        hidden.add(prefix);
        return this;
    }

    /** Reads of paths starting with this prefix throw an IOException with this message. */
    public OverlayTree fail(String prefix, String message) {
        failing.put(prefix, message);
        return this;
    }

    /** Reads work again. */
    public OverlayTree heal() {
        failing.clear();
        return this;
    }

    private boolean isHidden(String path) {
        return hidden.stream().anyMatch(path::startsWith);
    }

    @Override
    public String read(String path) throws IOException {
        String w = written.get(path);
        if (w != null) {
            return w;
        }
        if (isHidden(path)) {
            return null;
        }
        String text = base.read(path);
        if (text != null) {
            for (Map.Entry<String, String> f : failing.entrySet()) {
                if (path.startsWith(f.getKey())) {
                    throw new IOException(path + ": " + f.getValue());
                }
            }
        }
        return text;
    }

    @Override
    public List<String> list(String dir) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        if (!isHidden(dir)) {
            for (String n : base.list(dir)) {
                if (!isHidden(dir + "/" + n)) {
                    names.add(n);
                }
            }
        }
        String prefix = dir + "/";
        for (String p : written.keySet()) {
            if (p.startsWith(prefix)) {
                String rest = p.substring(prefix.length());
                names.add(rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest);
            }
        }
        return new ArrayList<>(names);
    }

    @Override
    public boolean exists(String path) {
        if (written.keySet().stream().anyMatch(p -> p.equals(path) || p.startsWith(path + "/"))) {
            return true;
        }
        return !isHidden(path) && base.exists(path);
    }
}
