package org.lustre.collector.service;

import java.io.IOException;
import java.util.List;

import org.lustre.collector.lustre.LustreTree;

/**
 * The Lustre tree as the collector reads it, remembering the last path a read started on, so
 * that a stalled scan can say where it waits ({@link Watcher}). One volatile write a read: a
 * scan reads a few thousand files, so this costs nothing measurable. Any thread.
 */
final class TreeReads implements LustreTree {
    private final LustreTree tree;
    private volatile String current = "";

    TreeReads(LustreTree tree) {
        this.tree = tree;
    }

    /** The path of the read in progress, or of the last one when none is; "" before any read. */
    String current() {
        return current;
    }

    @Override
    public String read(String path) throws IOException {
        current = path;
        return tree.read(path);
    }

    @Override
    public byte[] readIfChanged(String path, byte[] previous) throws IOException {
        current = path;
        return tree.readIfChanged(path, previous);
    }

    @Override
    public List<String> list(String dir) throws IOException {
        current = dir;
        return tree.list(dir);
    }

    @Override
    public boolean exists(String path) {
        current = path;
        return tree.exists(path);
    }
}
