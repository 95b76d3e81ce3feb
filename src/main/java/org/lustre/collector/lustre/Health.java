package org.lustre.collector.lustre;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * This node's health: {@code health_check} (sysfs; proc before 2.10) and, when it is not
 * healthy, its 2.13-2.16 debugfs twin that names the unhealthy devices. Stateless.
 */
final class Health {
    private Health() {
    }

    /**
     * The status, followed by {@code " (unhealthy devices: a, b)"} when the twin names some; ""
     * when absent; null when it exists but cannot be read (the caller keeps what it knew).
     */
    static String read(LustreLayout layout, TreeErrors.Tally errs) {
        String text;
        try {
            text = layout.read(LustreLayout.Item.HEALTH_CHECK, "health_check");
        } catch (IOException e) {
            errs.read(LustreLayout.Item.HEALTH_CHECK, layout.pathOf(LustreLayout.Item.HEALTH_CHECK, "health_check"), e);
            return null;
        }
        if (text == null) {
            return "";
        }
        HealthCheckParser.HealthCheck hc;
        try {
            hc = HealthCheckParser.parse(layout.pathOf(LustreLayout.Item.HEALTH_CHECK, "health_check"), text);
        } catch (LustreParseException e) {
            errs.parse(e.getMessage());
            return "";
        }
        List<String> devices = new ArrayList<>(hc.unhealthyDevices());
        if (!hc.healthy()) {
            String twin = layout.readCounting(LustreLayout.Item.HEALTH_DEVICES, "health_check", errs);
            if (twin != null) {
                try {
                    for (String dev : HealthCheckParser.parseUnhealthyDevices(
                            LustreLayout.DEBUGFS + "/health_check", twin)) {
                        if (!devices.contains(dev)) {
                            devices.add(dev);
                        }
                    }
                } catch (LustreParseException e) {
                    errs.parse(e.getMessage());
                }
            }
        }
        if (hc.healthy() || devices.isEmpty()) {
            return hc.status();
        }
        return hc.status() + " (unhealthy devices: " + String.join(", ", devices) + ")";
    }
}
