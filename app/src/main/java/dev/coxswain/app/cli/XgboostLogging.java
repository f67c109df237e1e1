package dev.coxswain.app.cli;

/**
 * XGBoost4J logs through commons-logging, which picks log4j-api when it is on the classpath (Kafka brings it)
 * even though no log4j implementation is, and then prints a "could not find a logging implementation" error.
 * Pointing commons-logging at SLF4J sends XGBoost's messages to the application's logging instead.
 */
final class XgboostLogging {
    private static final String FACTORY = "org.apache.commons.logging.LogFactory";

    private XgboostLogging() {
    }

    static void routeToSlf4j() {
        if (System.getProperty(FACTORY) == null) {
            System.setProperty(FACTORY, "org.apache.commons.logging.impl.Slf4jLogFactory");
        }
    }
}
