package org.lustre.collector.monitor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Asks each collector for its file systems and merges them by name (both MDS of a pair may know
 * the same file system: node counts and space are taken from the larger answer, non-responding
 * targets are united). Used by {@code status} and {@code check}. The calling thread only.
 */
final class FileSystemSurvey {

    /** A file system as seen by the collectors that know it. */
    static final class Fs {
        final String name;
        long nodes;
        long kbytesTotal;
        long kbytesFree;
        final Set<String> notResponding = new LinkedHashSet<>();

        Fs(String name) {
            this.name = name;
        }
    }

    /** How one collector answered: its info (may be null) or its failure. */
    record Answer(CollectorClient client, CollectorInfo info, CollectorException failure) {
    }

    final Map<String, Fs> fileSystems = new TreeMap<>();
    private final List<Answer> answers = new ArrayList<>();

    FileSystemSurvey(List<CollectorClient> clients) {
        for (CollectorClient c : clients) {
            try {
                CollectorInfo info = null;
                try {
                    info = c.info();
                } catch (CollectorException e) {
                    if (e.kind() != CollectorException.Kind.FAULT) {
                        throw e;
                    }
                }
                for (String name : c.fileSystems()) {
                    FileSystemInfo fi;
                    try {
                        fi = c.fileSystemInfo(name);
                    } catch (CollectorException e) {
                        if (e.kind() == CollectorException.Kind.FAULT) {
                            continue; // vanished between the two calls (fault 3)
                        }
                        throw e;
                    }
                    Fs fs = fileSystems.computeIfAbsent(name, Fs::new);
                    fs.nodes = Math.max(fs.nodes, fi.nodes());
                    if (fi.kbytesTotal() > fs.kbytesTotal) {
                        fs.kbytesTotal = fi.kbytesTotal();
                        fs.kbytesFree = fi.kbytesFree();
                    }
                    fs.notResponding.addAll(fi.notResponding());
                }
                answers.add(new Answer(c, info, null));
            } catch (CollectorException e) {
                answers.add(new Answer(c, null, e));
            }
        }
    }

    List<Answer> answers() {
        return answers;
    }

    List<CollectorClient> answering() {
        List<CollectorClient> ok = new ArrayList<>();
        for (Answer a : answers) {
            if (a.failure() == null) {
                ok.add(a.client());
            }
        }
        return ok;
    }

    CollectorException lastFailure() {
        CollectorException last = null;
        for (Answer a : answers) {
            if (a.failure() != null) {
                last = a.failure();
            }
        }
        return last;
    }

    int notRespondingTotal() {
        int n = 0;
        for (Fs fs : fileSystems.values()) {
            n += fs.notResponding.size();
        }
        return n;
    }

    long nodesTotal() {
        long n = 0;
        for (Fs fs : fileSystems.values()) {
            n += fs.nodes;
        }
        return n;
    }
}
