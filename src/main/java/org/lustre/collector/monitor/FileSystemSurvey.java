package org.lustre.collector.monitor;

import org.lustre.collector.Threads;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Asks each collector for its file systems and merges them by name ({@link FileSystemInfo#merge}).
 * Used by {@code status} and {@code check}. The collectors are asked at once, each on its own
 * daemon thread ({@code monitor-survey-NAME}), so that one that hangs costs its read timeout once,
 * not once per collector before it; the answers are merged on the calling thread, in the order
 * of the URLs. Created and read by one thread.
 */
final class FileSystemSurvey {

    /** How one collector answered: its info (may be null) and file systems, or its failure. */
    record Answer(CollectorClient client, CollectorInfo info, Map<String, FileSystemInfo> fileSystems,
                  CollectorException failure) {
    }

    final Map<String, FileSystemInfo> fileSystems = new TreeMap<>();
    final List<Answer> answers = new ArrayList<>();

    FileSystemSurvey(List<CollectorClient> clients) {
        List<ExecutorService> threads = new ArrayList<>();
        List<Future<Answer>> pending = new ArrayList<>();
        try {
            for (CollectorClient c : clients) {
                ExecutorService thread = Executors.newSingleThreadExecutor(
                        r -> Threads.daemon(r, "monitor-survey-" + c.name()));
                threads.add(thread);
                pending.add(thread.submit(() -> ask(c)));
            }
            for (Future<Answer> f : pending) {
                Answer a = Futures.result(f, "asking the collectors"); // bounded by the HTTP timeouts
                answers.add(a);
                for (FileSystemInfo fi : a.fileSystems().values()) {
                    fileSystems.merge(fi.name(), fi, FileSystemInfo::merge);
                }
            }
        } finally {
            for (ExecutorService t : threads) {
                t.shutdownNow();
            }
        }
    }

    /** On the collector's thread: its info and every file system it knows, or its failure. */
    private static Answer ask(CollectorClient c) {
        Map<String, FileSystemInfo> found = new LinkedHashMap<>();
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
                try {
                    found.put(name, c.fileSystemInfo(name));
                } catch (CollectorException e) {
                    if (e.kind() == CollectorException.Kind.FAULT) {
                        continue; // vanished between the two calls (fault 3)
                    }
                    throw e;
                }
            }
            return new Answer(c, info, found, null);
        } catch (CollectorException e) {
            return new Answer(c, null, Map.of(), e);
        }
    }

    List<CollectorClient> answering() {
        return answers.stream().filter(a -> a.failure() == null).map(Answer::client).toList();
    }

    int notRespondingTotal() {
        return fileSystems.values().stream().mapToInt(fs -> fs.notResponding().size()).sum();
    }

    long nodesTotal() {
        return fileSystems.values().stream().mapToLong(FileSystemInfo::nodes).sum();
    }
}
