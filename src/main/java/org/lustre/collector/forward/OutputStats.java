package org.lustre.collector.forward;

/**
 * One output's counters, for getCollectorInfo and /metrics. Each counter is read on its own.
 *
 * @param kind      "alertmanager" or "syslog"
 * @param target    where it sends (URL or udp/tcp/tls://host:port)
 * @param state     "ok" after the last send succeeded (or before any), "error" after it failed
 * @param message   the last error, "" when none
 * @param sent      items delivered (alerts accepted by Alertmanager, syslog messages written)
 * @param queueFull items not sent because the output's bounded queue was full
 * @param rejected  items not sent because the receiver refused them (HTTP 4xx) or a write failed
 *                  for good
 * @param queued    items waiting now
 */
public record OutputStats(String kind, String target, String state, String message, long sent, long queueFull,
                          long rejected, int queued) {
}
