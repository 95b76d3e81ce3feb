package org.lustre.collector.config;

/**
 * A configuration error. Its message is the one line printed before exiting with code 2; it names
 * the option and where the value came from (file:line or command line).
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
