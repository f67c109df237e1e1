package dev.coxswain.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

import java.util.Map;

/**
 * The commands' logging, set up in code rather than from a logback.xml: reading XML loads the JAXP parser and
 * logback's configuration machinery, some 500 classes, into every process, the agent on each GPU node included.
 * Lines go to standard error as {@code HH:mm:ss.SSS LEVEL Logger - message}; the audit log ({@code coxswain.audit}) as
 * {@code <ISO time> AUDIT message}; Kafka, its broker, Netty and DJL at WARN (DJL's CUDA probe, which fails on every
 * machine without a GPU, at ERROR); the root at {@code COXSWAIN_LOG_LEVEL} (INFO). Two warnings the embedded broker
 * gives on every start and stop ({@link RoutineWarnings}) are left out.
 * A test's {@code logback-test.xml} on the classpath wins. Registered through
 * {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    private static final Map<String, Level> QUIET = Map.of("org.apache.kafka", Level.WARN, "kafka", Level.WARN,
            "state.change.logger", Level.WARN, "io.netty", Level.WARN, "ai.djl", Level.WARN,
            "ai.djl.util.cuda.CudaUtils", Level.ERROR);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getenv().getOrDefault("COXSWAIN_LOG_LEVEL", "INFO"), Level.INFO));
        root.addAppender(stderr(context, "ERR", "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n"));
        QUIET.forEach((name, level) -> context.getLogger(name).setLevel(level));
        RoutineWarnings routine = new RoutineWarnings();
        routine.setContext(context);
        routine.start();
        context.addTurboFilter(routine);
        Logger audit = context.getLogger("coxswain.audit");
        audit.setLevel(Level.INFO);
        audit.setAdditive(false);
        audit.addAppender(stderr(context, "AUDIT", "%d{ISO8601} AUDIT %msg%n"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Leaves out the warnings Kafka gives at every start and stop of a broker, which ask nothing of anyone: the
     * controller's activation, and a client closed twice on the way down. Other messages of those loggers pass.
     */
    static final class RoutineWarnings extends TurboFilter {
        private static final Map<String, String> ROUTINE = Map.of(
                "org.apache.kafka.controller.QuorumController", "Performing controller activation",
                "org.apache.kafka.clients.NetworkClient",
                "Attempting to close NetworkClient that has already been closed");

        @Override
        public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                                  Throwable t) {
            String routine = ROUTINE.get(logger.getName());
            return routine != null && format != null && format.contains(routine) ? FilterReply.DENY
                    : FilterReply.NEUTRAL;
        }
    }

    private static ConsoleAppender<ILoggingEvent> stderr(LoggerContext context, String name, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }
}
