package dev.coxswain.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * A browser library packaged as a WebJar on the classpath (a Maven artifact holding the library's files under
 * {@code META-INF/resources/webjars/<name>/<version>/}), so that pages and reports use it without a download at run
 * time. The version is read from the jar's own Maven properties: the one Maven resolved.
 *
 * @param group    the WebJar's Maven group, {@code org.webjars} or {@code org.webjars.npm}
 * @param artifact the WebJar's artifact, which is also the library's folder name
 */
public record WebJar(String group, String artifact) {
    public static final WebJar SWAGGER_UI = new WebJar("org.webjars", "swagger-ui");
    public static final WebJar UPLOT = new WebJar("org.webjars.npm", "uplot");
    public static final WebJar ECHARTS = new WebJar("org.webjars.npm", "echarts");

    /** The library's version, from the jar's Maven properties. */
    public String version() {
        String path = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = WebJar.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the " + artifact + " WebJar is missing from the classpath (" + path
                        + ")");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** The classpath resource of one of the library's files, {@code file} relative to its folder. */
    public String resource(String file) {
        return "/META-INF/resources/webjars/" + artifact + "/" + version() + "/" + file;
    }

    /** One of the library's files, whole. */
    public byte[] read(String file) {
        String path = resource(file);
        try (InputStream in = WebJar.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the " + artifact + " WebJar has no " + file + " (" + path + ")");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
