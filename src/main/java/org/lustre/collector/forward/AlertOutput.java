package org.lustre.collector.forward;

import java.net.URI;
import java.util.List;

import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.Trap;

/**
 * The {@code alertmanager} option: each trap at or above {@code alert-min-category} becomes an
 * alert ({@link TrapAlerts}) sent to every Alertmanager listed, as Alertmanager's documentation
 * asks of clients of a cluster; each has its own queue and thread ({@link AlertmanagerSender}).
 * Feed thread for accept and tick; stats from any thread.
 */
final class AlertOutput implements TrapOutput {
    private final TrapAlerts alerts;
    private final List<AlertmanagerSender> senders;

    AlertOutput(List<URI> alertmanagers, Category minimum) {
        this.alerts = new TrapAlerts(minimum);
        this.senders = alertmanagers.stream().map(AlertmanagerSender::new).toList();
    }

    @Override
    public void start() {
        senders.forEach(AlertmanagerSender::start);
    }

    @Override
    public void accept(Trap trap) {
        for (Alert a : alerts.onTrap(trap)) {
            for (AlertmanagerSender s : senders) {
                s.offer(a);
            }
        }
    }

    @Override
    public void tick(long nowMillis) {
        for (Alert a : alerts.due(nowMillis)) {
            for (AlertmanagerSender s : senders) {
                s.offerRefresh(a);
            }
        }
    }

    @Override
    public List<OutputStats> stats() {
        return senders.stream().map(AlertmanagerSender::stats).toList();
    }

    @Override
    public void close() {
        senders.forEach(AlertmanagerSender::close);
    }
}
